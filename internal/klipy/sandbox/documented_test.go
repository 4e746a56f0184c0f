package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy/docs"
	"ferry/internal/source"
)

type oneKind map[source.Kind][]source.Record

func (m oneKind) Each(kind source.Kind, fn func(source.Record) error) error {
	for _, r := range m[kind] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// TestServesDocumentedOldExamples loads the interaction of the old reference's example and
// requires the old generation (with paging "none", as the example shows none) to answer its
// query and its get exactly as documented.
func TestServesDocumentedOldExamples(t *testing.T) {
	example := func(name string) map[string]any {
		for _, e := range docs.API() {
			if e.Name == name {
				var v map[string]any
				if err := json.Unmarshal(e.Body, &v); err != nil {
					t.Fatal(err)
				}
				return v
			}
		}
		t.Fatalf("no documented example %s", name)
		return nil
	}
	in := source.Record{Kind: source.Interaction, ID: "<string>", Fields: map[string]string{
		"company_ids": "<string>", "person_ids": "<string>", "direction": "INBOUND",
		source.CustomPrefix + "sentiment": "MEETING_REQUESTED", "channel": "EMAIL", "summary": "<string>",
		"title": "<string>", "type": "EMAIL", "created_by": "<string>",
		"created_at": "2023-11-07T05:31:56Z", "interaction_date": "2023-11-07T05:31:56Z"}}
	key := NewKey("old")
	s := New(Options{API: "old", PagingStyle: "none", Source: oneKind{source.Interaction: {in}},
		Keys: []Key{{Value: key}}})
	for _, tc := range []struct{ method, path, body, example string }{
		{"POST", "/api/v1/interactions/query", `{"limit":20}`, "old.interactions.query"},
		{"GET", "/api/v1/interactions/%3Cstring%3E", "", "old.interactions.get"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		r.Header.Set("X-KLIPY-API-KEY", key)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", tc.method, tc.path, w.Code, w.Body)
		}
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(example(tc.example), got); d != "" {
			t.Errorf("%s %s differs from the documented %s (-doc +sandbox):\n%s", tc.method, tc.path, tc.example, d)
		}
	}
}
