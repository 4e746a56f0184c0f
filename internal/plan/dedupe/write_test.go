package dedupe

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
)

// TestWriteJSONLikeMarshalIndent checks WriteJSON byte for byte against json.MarshalIndent on a
// generated workspace (every section filled) and on an empty result.
func TestWriteJSONLikeMarshalIndent(t *testing.T) {
	full := run(t, genSource{gen.New(gen.Config{People: 300, Seed: 5})}, Options{DefaultRegion: "US"})
	if len(full.PersonClusters) == 0 || len(full.CompanyClusters) == 0 || len(full.NameVariants) == 0 {
		t.Fatalf("the dataset leaves sections empty: %+v", full.Stats)
	}
	empty := &Result{}
	empty.nonNil()
	for name, res := range map[string]*Result{"generated": full, "empty": empty, "nil slices": {}} {
		want, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := res.WriteJSON(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(string(append(want, '\n')), got.String()); diff != "" {
			t.Errorf("%s: WriteJSON differs from MarshalIndent (-want +got):\n%s", name, diff)
		}
	}
}
