package klipy

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy/docs"
	"ferry/internal/source"
)

// TestDocumentedAPIExamples feeds every documented API answer to the client's decoding and
// checks the result: the old reference's query ({success, data: {interactions: […]}}, ISO
// times) and get, and the new generation's create answer ({object, data, meta}).
func TestDocumentedAPIExamples(t *testing.T) {
	interaction := map[string]string{"id": "<string>", "company_ids": "<string>", "person_ids": "<string>",
		"direction": "INBOUND", "custom.sentiment": "MEETING_REQUESTED", "channel": "EMAIL", "summary": "<string>",
		"title": "<string>", "type": "EMAIL", "created_by": "<string>", "created_at": "2023-11-07T05:31:56Z",
		"interaction_date": "2023-11-07T05:31:56Z"}
	tests := map[string]func(t *testing.T, body []byte){
		"old.interactions.query": func(t *testing.T, body []byte) {
			env, err := decodeEnvelope(GenOld, body)
			if err != nil {
				t.Fatal(err)
			}
			l, err := decodeList(GenOld, env, "interactions")
			if err != nil || len(l.Items) != 1 || l.HasMore || l.Paged {
				t.Fatalf("decodeList = %+v, %v; want one item and no paging", l, err)
			}
			r, err := decodeObject(source.Interaction, l.Items[0], "/interactions/query")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(interaction, map[string]string(r.Fields)); d != "" {
				t.Errorf("record (-want +got):\n%s", d)
			}
		},
		"old.interactions.get": func(t *testing.T, body []byte) {
			env, err := decodeEnvelope(GenOld, body)
			if err != nil {
				t.Fatal(err)
			}
			r, err := decodeObject(source.Interaction, env.Data, "/interactions/{id}")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(interaction, map[string]string(r.Fields)); d != "" {
				t.Errorf("record (-want +got):\n%s", d)
			}
		},
		"new.interactions.create": func(t *testing.T, body []byte) {
			env, err := decodeEnvelope(GenNew, body)
			if err != nil || env.Meta == nil || env.Meta.RequestID != "req_abc123" {
				t.Fatalf("decodeEnvelope = %+v, %v", env, err)
			}
			if _, err := decodeEnvelope(GenOld, body); err == nil {
				t.Error("the new envelope passed as the old one")
			}
		},
	}
	for _, ex := range docs.API() {
		t.Run(ex.Name, func(t *testing.T) {
			check, ok := tests[ex.Name]
			if !ok {
				t.Fatalf("documented example %s has no check here", ex.Name)
			}
			check(t, ex.Body)
		})
	}
}
