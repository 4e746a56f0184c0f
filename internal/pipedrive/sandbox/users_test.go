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
