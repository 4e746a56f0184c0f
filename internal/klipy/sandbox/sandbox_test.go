package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

type memSource map[source.Kind][]source.Record

func (m memSource) Each(kind source.Kind, fn func(source.Record) error) error {
	for _, r := range m[kind] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// people returns n people with ids per_000… and one interaction each.
func people(n int) memSource {
	m := memSource{}
	for i := range n {
		id := fmt.Sprintf("per_%03d", i)
		m[source.Person] = append(m[source.Person], source.Record{Kind: source.Person, ID: id,
			Fields: map[string]string{"id": id, "first_name": "Ann", "last_name": fmt.Sprint(i),
				"created_at": "2024-01-02T03:04:05Z", "company_id": "cmp_1", "owner": "not served"}})
		m[source.Interaction] = append(m[source.Interaction], source.Record{Kind: source.Interaction, ID: "int_" + id,
			Fields: map[string]string{"id": "int_" + id, "type": "EMAIL", "person_ids": id, "company_ids": fmt.Sprintf("cmp_%d", i%3),
				"interaction_date": "2024-01-02T03:04:05Z", "duration_minutes": "5"}})
	}
	m[source.Company] = []source.Record{{Kind: source.Company, ID: "cmp_1",
		Fields: map[string]string{"id": "cmp_1", "name": "Acme", "employee_count": "12", "tags": "not served"}}}
	return m
}

const (
	newKey = "klipy_api_test"
	oldKey = "klipy_pk_test"
)

func testServer(api string, src Source, mod func(*Options)) *Server {
	o := Options{API: api, Source: src, Keys: []Key{{Value: newKey}, {Value: oldKey},
		{Value: "klipy_api_people", Scopes: []string{ScopePeopleRead}}}}
	if mod != nil {
		mod(&o)
	}
	return New(o)
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func call(t *testing.T, h http.Handler, method, path string, headers map[string]string, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answer{status: rec.Code, header: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), &a.body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v: %s", method, path, err, rec.Body)
	}
	return a
}

func key(k string) map[string]string { return map[string]string{"X-Klipy-Api-Key": k} }

func TestEnvelopes(t *testing.T) {
	src := people(3)
	n := testServer("new", src, nil)
	o := testServer("old", src, nil)
	person := map[string]any{"id": "per_001", "firstName": "Ann", "lastName": "1", "companyId": "cmp_1", "createdAt": 1704164645000.0}
	// The old generation writes times as ISO strings, as its reference's examples do.
	personOld := map[string]any{"id": "per_001", "firstName": "Ann", "lastName": "1", "companyId": "cmp_1", "createdAt": "2024-01-02T03:04:05Z"}
	for _, tc := range []struct {
		name   string
		srv    *Server
		method string
		path   string
		hdr    map[string]string
		body   string
		status int
		want   map[string]any // compared on these keys only
	}{
		{"new auth", n, "GET", "/api/v1/authenticate", key(newKey), "", 200,
			map[string]any{"object": "authentication", "data": map[string]any{"team_name": "Sandbox Workspace"}}},
		{"old auth is bare", o, "GET", "/api/v1/authenticate", map[string]string{"X-KLIPY-API-KEY": oldKey}, "", 200,
			map[string]any{"team_name": "Sandbox Workspace"}},
		{"new get", n, "GET", "/api/v1/people/per_001", map[string]string{"Authorization": "Bearer " + newKey}, "", 200,
			map[string]any{"object": "person", "data": person}},
		{"old get", o, "GET", "/api/v1/people/per_001", key(oldKey), "", 200,
			map[string]any{"success": true, "data": personOld}},
		{"company get", n, "GET", "/api/v1/companies/cmp_1", key(newKey), "", 200,
			map[string]any{"data": map[string]any{"id": "cmp_1", "name": "Acme", "employeeCount": 12.0}}},
		{"interaction get", n, "GET", "/api/v1/interactions/int_per_002", key(newKey), "", 200,
			map[string]any{"data": map[string]any{"id": "int_per_002", "type": "EMAIL", "contacts": []any{"per_002"},
				"companies": []any{"cmp_2"}, "interactionDate": 1704164645000.0}}},
		{"new list", n, "POST", "/api/v1/people/query", key(newKey), `{"limit":2}`, 200,
			map[string]any{"object": "list", "page_info": map[string]any{"has_more": true, "next_cursor": "cGVyc29uOjI"}}},
		{"old list", o, "POST", "/api/v1/people/query", key(oldKey), `{"limit":2,"cursor":"cGVyc29uOjI"}`, 200,
			map[string]any{"success": true, "data": map[string]any{"people": []any{map[string]any{"id": "per_002",
				"firstName": "Ann", "lastName": "2", "companyId": "cmp_1", "createdAt": "2024-01-02T03:04:05Z"}}, "nextCursor": nil, "hasMore": false}}},
		{"new not found", n, "GET", "/api/v1/companies/nope", key(newKey), "", 404,
			map[string]any{"object": "error", "error": map[string]any{"code": "not_found", "message": `no company with id "nope"`}}},
		{"old not found", o, "GET", "/api/v1/companies/nope", key(oldKey), "", 404,
			map[string]any{"success": false, "error": map[string]any{"code": "not_found", "message": `no company with id "nope"`}}},
		{"scope", n, "POST", "/api/v1/interactions/query", key("klipy_api_people"), "", 403,
			map[string]any{"error": map[string]any{"code": "forbidden", "message": "API key lacks the interactions:read scope",
				"details": map[string]any{"required_scope": "interactions:read"}}}},
		{"no key", n, "POST", "/api/v1/people/query", nil, "", 401, map[string]any{"object": "error"}},
		{"unknown key", n, "POST", "/api/v1/people/query", key("klipy_api_nope"), "", 401, map[string]any{"object": "error"}},
		{"old key on new api", n, "POST", "/api/v1/people/query", key(oldKey), "", 401, map[string]any{"object": "error"}},
		{"bearer on old api", o, "GET", "/api/v1/authenticate", map[string]string{"Authorization": "Bearer " + oldKey}, "", 401,
			map[string]any{"success": false}},
		{"limit too big", n, "POST", "/api/v1/people/query", key(newKey), `{"limit":101}`, 400,
			map[string]any{"error": map[string]any{"code": "invalid_request", "message": "limit 101: allowed are 1 to 100 (default 20)"}}},
		{"limit zero", n, "POST", "/api/v1/people/query", key(newKey), `{"limit":0}`, 400, map[string]any{"object": "error"}},
		{"bad body", n, "POST", "/api/v1/people/query", key(newKey), `{"limit":"ten"}`, 400, map[string]any{"object": "error"}},
		{"bad cursor", n, "POST", "/api/v1/people/query", key(newKey), `{"cursor":"zz"}`, 400,
			map[string]any{"error": map[string]any{"code": "invalid_cursor"}}},
		{"cursor of another query", n, "POST", "/api/v1/interactions/query", key(newKey), `{"cursor":"cGVyc29uOjI"}`, 400,
			map[string]any{"error": map[string]any{"code": "invalid_cursor"}}},
		{"write", n, "POST", "/api/v1/people", key(newKey), `{}`, 501, map[string]any{"error": map[string]any{"code": "not_implemented"}}},
		{"unknown route", n, "GET", "/api/v2/people", key(newKey), "", 404, map[string]any{"error": map[string]any{"code": "not_found"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, tc.srv, tc.method, tc.path, tc.hdr, tc.body)
			if a.status != tc.status {
				t.Fatalf("status %d, want %d: %v", a.status, tc.status, a.body)
			}
			if d := cmp.Diff(tc.want, prune(tc.want, a.body)); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
			if tc.srv == n {
				if m, ok := a.body["meta"].(map[string]any); !ok || m["request_id"] == "" || m["api_version"] == nil || m["timestamp"] == nil {
					t.Errorf("new generation answer without meta{request_id, api_version, timestamp}: %v", a.body)
				}
			}
		})
	}
}

// TestPagingDefaultLimit pages 45 people with the default limit: 20, 20, 5.
func TestPagingDefaultLimit(t *testing.T) {
	s := testServer("new", people(45), nil)
	var sizes []int
	cursor := ""
	seen := map[string]bool{}
	for {
		body := "{}"
		if cursor != "" {
			body = fmt.Sprintf(`{"cursor":%q}`, cursor)
		}
		a := call(t, s, "POST", "/api/v1/people/query", key(newKey), body)
		data := a.body["data"].([]any)
		sizes = append(sizes, len(data))
		for _, p := range data {
			seen[p.(map[string]any)["id"].(string)] = true
		}
		pi := a.body["page_info"].(map[string]any)
		if pi["has_more"] != true {
			break
		}
		cursor = pi["next_cursor"].(string)
	}
	if d := cmp.Diff([]int{20, 20, 5}, sizes); d != "" || len(seen) != 45 {
		t.Errorf("page sizes (-want +got):\n%s; %d distinct people", d, len(seen))
	}
}

func TestRateLimits(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC)
	s := testServer("new", people(1), func(o *Options) {
		o.Limits, o.KeyLimit, o.OrgLimit, o.Now = true, 2, 3, func() time.Time { return now }
	})
	var got []string
	for _, k := range []string{newKey, newKey, newKey, "klipy_api_people", "klipy_api_people"} {
		a := call(t, s, "POST", "/api/v1/people/query", key(k), "")
		got = append(got, fmt.Sprintf("%d %s/%s/%s %s", a.status, a.header.Get("X-RateLimit-Limit"),
			a.header.Get("X-RateLimit-Remaining"), a.header.Get("X-RateLimit-Reset"), a.header.Get("Retry-After")))
	}
	want := []string{
		"200 2/1/1767225660 ", "200 2/0/1767225660 ", "429 2/0/1767225660 50", // the key's 2
		"200 2/0/1767225660 ", "429 2/0/1767225660 50", // the organisation's 3
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("status limit/remaining/reset retry-after (-want +got):\n%s", d)
	}
	now = now.Add(time.Minute)
	if a := call(t, s, "POST", "/api/v1/people/query", key(newKey), ""); a.status != 200 {
		t.Errorf("next window: status %d, want 200", a.status)
	}
	if st := s.Stats(); st.RateLimited != 2 || st.Requests != 6 || st.ByStatus["429"] != 2 {
		t.Errorf("stats %+v, want 6 requests, 2 limited", st)
	}
	off := testServer("new", people(1), nil)
	for range 300 {
		if a := call(t, off, "POST", "/api/v1/people/query", key(newKey), ""); a.status != 200 || a.header.Get("X-RateLimit-Limit") != "" {
			t.Fatalf("limits off: status %d, headers %v", a.status, a.header)
		}
	}
}

func TestOverlay(t *testing.T) {
	s := testServer("new", people(5), nil)
	ids := func() []string {
		a := call(t, s, "POST", "/api/v1/people/query", key(newKey), `{"limit":100}`)
		var out []string
		for _, p := range a.body["data"].([]any) {
			m := p.(map[string]any)
			out = append(out, fmt.Sprint(m["id"], ":", m["firstName"]))
		}
		return out
	}
	if err := s.UpsertPerson(source.Record{ID: "per_001", Fields: map[string]string{"first_name": "Bea"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertPerson(source.Record{ID: "per_new", Fields: map[string]string{"first_name": "Cy"}}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"per_003", "per_new", "per_new"} {
		_, _ = s.DeletePerson(id)
	}
	if ok, _ := s.DeletePerson("per_nope"); ok {
		t.Errorf("DeletePerson of an unknown id reported true")
	}
	if err := s.UpsertPerson(source.Record{ID: "per_late", Fields: map[string]string{"first_name": "Di"}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"per_000:Ann", "per_001:Bea", "per_002:Ann", "per_004:Ann", "per_late:Di"}
	if d := cmp.Diff(want, ids()); d != "" {
		t.Errorf("people after changes (-want +got):\n%s", d)
	}
	if s.Count(source.Person) != 5 {
		t.Errorf("Count = %d, want 5", s.Count(source.Person))
	}
	if a := call(t, s, "GET", "/api/v1/people/per_003", key(newKey), ""); a.status != 404 {
		t.Errorf("deleted person: status %d, want 404", a.status)
	}
	if err := s.UpsertInteraction(source.Record{Kind: source.Person, ID: "x"}); err == nil {
		t.Errorf("UpsertInteraction of a person record: no error")
	}
	if err := s.UpsertCompany(source.Record{}); err == nil {
		t.Errorf("UpsertCompany without id: no error")
	}
}

func TestStatsRoute(t *testing.T) {
	s := testServer("old", people(7), nil)
	call(t, s, "GET", "/api/v1/people/per_001", key(oldKey), "")
	a := call(t, s, "GET", "/_sandbox/stats", nil, "")
	want := map[string]any{"api": "old", "requests": 1.0, "records": map[string]any{"person": 7.0, "company": 1.0, "interaction": 7.0},
		"by_route": map[string]any{"GET /api/v1/people/{id}": 1.0}}
	got := map[string]any{}
	for k := range want {
		got[k] = a.body[k]
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
}

func TestLoadErrorAnswers500(t *testing.T) {
	s := New(Options{Source: failing{}, Keys: []Key{{Value: newKey}}})
	if s.Err() == nil {
		t.Fatal("Err() = nil for a failing source")
	}
	if a := call(t, s, "GET", "/api/v1/authenticate", key(newKey), ""); a.status != 500 {
		t.Errorf("status %d, want 500", a.status)
	}
}

// prune keeps of got only the map keys that want has, at every depth, so a test states
// just the part of an answer it is about.
func prune(want, got any) any {
	w, ok := want.(map[string]any)
	g, ok2 := got.(map[string]any)
	if !ok || !ok2 {
		return got
	}
	out := map[string]any{}
	for k, v := range w {
		if gv, ok := g[k]; ok {
			out[k] = prune(v, gv)
		}
	}
	return out
}

type failing struct{}

func (failing) Each(source.Kind, func(source.Record) error) error { return fmt.Errorf("disk on fire") }
