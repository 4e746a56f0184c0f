package sandbox

import "testing"

// TestUserAdd: POST /api/v1/users (addUser) as the spec describes it: email required, only
// email, access and active_flag accepted, an existing email refused, admin scope required.
func TestUserAdd(t *testing.T) {
	e := newEnv(t, Options{Users: []User{{Name: "Old Rep", Email: "old@acme.com", Inactive: true}}})
	for _, c := range []struct {
		body any
		want int
	}{
		{map[string]any{}, 400},
		{map[string]any{"email": "not-an-email"}, 400},
		{map[string]any{"email": "new@acme.com", "name": "New"}, 400}, // name is not in addUserRequest
		{map[string]any{"email": "OLD@acme.com"}, 400},                // already a user (inactive)
		{map[string]any{"email": "new@acme.com", "active_flag": "yes"}, 400},
	} {
		if r := e.do("POST", "/api/v1/users", c.body); r.status != c.want {
			t.Errorf("POST /api/v1/users %v: status %d, want %d: %s", c.body, r.status, c.want, r.raw)
		}
	}
	u := e.must(200, "POST", "/api/v1/users", map[string]any{"email": "new@acme.com", "access": []any{map[string]any{"app": "sales"}}}).(map[string]any)
	if u["email"] != "new@acme.com" || u["active_flag"] != true {
		t.Errorf("added user: %v", u)
	}
	active := map[string]bool{}
	for _, x := range e.must(200, "GET", "/api/v1/users", nil).([]any) {
		m := x.(map[string]any)
		active[m["email"].(string)] = m["active_flag"].(bool)
	}
	if !active["new@acme.com"] || active["old@acme.com"] {
		t.Errorf("users' active flags: %v", active)
	}
	ro := newEnv(t, Options{NotAdmin: true})
	if r := ro.do("POST", "/api/v1/users", map[string]any{"email": "x@acme.com"}); r.status != 403 {
		t.Errorf("a regular user's token: status %d, want 403", r.status)
	}
}

// TestV1WithoutAPIPrefix: the v1 API answers at /v1/... (the official clients' default base
// https://api.pipedrive.com/v1) exactly as at /api/v1/..., token costs included.
func TestV1WithoutAPIPrefix(t *testing.T) {
	e := newEnv(t, Options{Limits: true})
	a := e.do("GET", "/api/v1/users/me", nil)
	b := e.do("GET", "/v1/users/me", nil)
	if a.status != 200 || b.status != 200 || a.body["data"].(map[string]any)["id"] != b.body["data"].(map[string]any)["id"] {
		t.Fatalf("/v1/users/me: %d %s; /api/v1/users/me: %d", b.status, b.raw, a.status)
	}
	n := e.must(200, "POST", "/v1/notes", map[string]any{"content": "via /v1", "org_id": e.create("/api/v2/organizations", map[string]any{"name": "O"})}).(map[string]any)
	if got := e.must(200, "GET", "/api/v1/notes/"+itoa(int64(n["id"].(float64))), nil).(map[string]any); got["content"] != "via /v1" {
		t.Errorf("a note created at /v1 reads back as %v", got)
	}
	if r := e.do("GET", "/v1/users/me", nil); r.header.Get("x-daily-ratelimit-token-limit") == "" {
		t.Error("/v1 answers carry no budget headers")
	}
}
