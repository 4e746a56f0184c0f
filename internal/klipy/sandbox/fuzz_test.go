package sandbox

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzQuery sends arbitrary query bodies to both query routes: the answer must be a JSON
// envelope with 200 or 400, never a panic or a 500.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{`{}`, `{"limit":5}`, `{"cursor":"cGVyc29uOjI","limit":1}`, `{"cursor":"aW50ZXJhY3Rpb246OTk5OQ"}`,
		`{"filter":{"companyId":"cmp_1","contactId":"per_001"}}`, `{"limit":-1}`, `null`, `[1]`, `{"cursor":7}`} {
		f.Add(s)
	}
	s := testServer("new", people(30), nil)
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/v1/people/query", "/api/v1/interactions/query"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(body))
			req.Header.Set("X-Klipy-Api-Key", newKey)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			var v map[string]any
			if rec.Code != 200 && rec.Code != 400 || json.Unmarshal(rec.Body.Bytes(), &v) != nil {
				t.Fatalf("%s %q: status %d body %s", path, body, rec.Code, rec.Body)
			}
		}
	})
}
