package docs

import (
	"encoding/json"
	"testing"
)

// TestExamplesAreEnvelopes checks every example is one JSON object of the documented envelope.
func TestExamplesAreEnvelopes(t *testing.T) {
	if n := len(Webhooks()); n < 10 {
		t.Fatalf("%d webhook examples, want the 10 documented ones", n)
	}
	for _, e := range Webhooks() {
		var env struct {
			Type, Object string
			Data         map[string]any
		}
		if err := json.Unmarshal(e.Body, &env); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if env.Type != e.Name || env.Object != "event" || len(env.Data) == 0 {
			t.Errorf("%s: type %q object %q data %d keys", e.Name, env.Type, env.Object, len(env.Data))
		}
	}
	for _, e := range API() {
		var v map[string]any
		if err := json.Unmarshal(e.Body, &v); err != nil || v["data"] == nil {
			t.Errorf("%s: %v, data %v", e.Name, err, v["data"])
		}
	}
}
