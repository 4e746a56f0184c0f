package sandbox

import (
	"strings"
	"testing"
)

// TestRequestLog: with LogRequests every request is kept in order with its method, path,
// query, body and answer, and the handler still reads the whole body; without it nothing is
// kept.
func TestRequestLog(t *testing.T) {
	e := newEnv(t, Options{LogRequests: true})
	id := e.create("/api/v2/persons", map[string]any{"name": "Logged Person"})
	e.must(400, "POST", "/api/v2/deals", map[string]any{"value": 3})
	e.must(200, "GET", "/api/v2/persons?limit=1", nil)
	got := e.srv.Requests()
	if len(got) != 3 {
		t.Fatalf("%d requests logged, want 3: %+v", len(got), got)
	}
	want := []struct {
		method, path, query, body string
		status                    int
	}{
		{"POST", "/api/v2/persons", "", `"name":"Logged Person"`, 200},
		{"POST", "/api/v2/deals", "", `"value":3`, 400},
		{"GET", "/api/v2/persons", "limit=1", "", 200},
	}
	for i, w := range want {
		r := got[i]
		if r.Method != w.method || r.Path != w.path || r.Query != w.query || r.Status != w.status || !strings.Contains(string(r.Body), w.body) {
			t.Errorf("request %d = %s %s?%s %d %q, want %s %s?%s %d containing %q", i, r.Method, r.Path, r.Query, r.Status, r.Body,
				w.method, w.path, w.query, w.status, w.body)
		}
	}
	if id == 0 {
		t.Error("the logged create did not reach the handler")
	}
	quiet := newEnv(t, Options{})
	quiet.create("/api/v2/persons", map[string]any{"name": "Not Logged"})
	if n := len(quiet.srv.Requests()); n != 0 {
		t.Errorf("without LogRequests %d requests were kept", n)
	}
}
