package sandbox

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEntityCRUD(t *testing.T) {
	tests := []struct {
		path          string
		create, patch map[string]any
		check         string // attribute that the patch changes
	}{
		{"persons", map[string]any{"name": "Ann Lee", "emails": []any{map[string]any{"value": "ann@x.com"}}},
			map[string]any{"name": "Ann B. Lee"}, "name"},
		{"organizations", map[string]any{"name": "Acme", "address": map[string]any{"value": "1 Main St"}},
			map[string]any{"name": "Acme Inc"}, "name"},
		{"deals", map[string]any{"title": "Big deal", "value": 1200.5, "currency": "EUR"},
			map[string]any{"title": "Bigger deal"}, "title"},
		{"activities", map[string]any{"subject": "Call Ann", "type": "call", "due_date": "2026-01-02"},
			map[string]any{"subject": "Call Ann again"}, "subject"},
		{"pipelines", map[string]any{"name": "Partners"}, map[string]any{"name": "Partner deals"}, "name"},
		{"stages", map[string]any{"name": "Intro", "pipeline_id": 1}, map[string]any{"name": "Introduction"}, "name"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			e := newEnv(t, Options{})
			base := "/api/v2/" + tc.path
			id := e.create(base, tc.create)
			got := obj(e.must(200, "GET", fmt.Sprintf("%s/%d", base, id), nil))
			for k, v := range tc.create {
				if k == "address" {
					continue
				}
				if k == "emails" {
					v = []any{map[string]any{"value": "ann@x.com", "primary": true, "label": "work"}}
				}
				if diff := cmp.Diff(v, got[k]); diff != "" && k != "pipeline_id" {
					t.Errorf("created %s (-sent +got):\n%s", k, diff)
				}
			}
			upd := obj(e.must(200, "PATCH", fmt.Sprintf("%s/%d", base, id), tc.patch))
			if upd[tc.check] != tc.patch[tc.check] {
				t.Errorf("patched %s = %v, want %v", tc.check, upd[tc.check], tc.patch[tc.check])
			}
			before := len(list(e.must(200, "GET", base, nil)))
			del := obj(e.must(200, "DELETE", fmt.Sprintf("%s/%d", base, id), nil))
			if del["id"] != float64(id) {
				t.Errorf("delete data = %v, want id %d", del, id)
			}
			after := len(list(e.must(200, "GET", base, nil)))
			if after != before-1 {
				t.Errorf("list after delete has %d items, want %d", after, before-1)
			}
			gone := obj(e.must(200, "GET", fmt.Sprintf("%s/%d", base, id), nil))
			if gone["is_deleted"] != true {
				t.Errorf("deleted record is_deleted = %v", gone["is_deleted"])
			}
			e.must(404, "PATCH", fmt.Sprintf("%s/%d", base, id), tc.patch)
			e.must(404, "DELETE", fmt.Sprintf("%s/%d", base, id), nil)
		})
	}
}

func TestNotFoundBody(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.do("GET", "/api/v2/persons/999", nil)
	want := map[string]any{"success": false, "error": "Entity was not found", "error_info": "Object was not found.",
		"data": nil, "additional_data": nil}
	if r.status != 404 {
		t.Fatalf("status %d", r.status)
	}
	if diff := cmp.Diff(want, r.body); diff != "" {
		t.Errorf("404 body (-want +got):\n%s", diff)
	}
}

func TestUnauthorized(t *testing.T) {
	e := newEnv(t, Options{})
	for name, set := range map[string]func(h map[string]string) string{
		"none":         func(map[string]string) string { return "" },
		"wrong header": func(h map[string]string) string { h["x-api-token"] = "nope"; return "" },
		"wrong query":  func(map[string]string) string { return "?api_token=nope" },
		"wrong bearer": func(h map[string]string) string { h["Authorization"] = "Bearer nope"; return "" },
	} {
		t.Run(name, func(t *testing.T) {
			h := map[string]string{}
			q := set(h)
			req := mustReq(t, "GET", e.ts.URL+"/api/v2/persons"+q)
			for k, v := range h {
				req.Header.Set(k, v)
			}
			r := e.send(req)
			want := map[string]any{"success": false, "error": "unauthorized access", "errorCode": float64(401)}
			if r.status != 401 || !cmp.Equal(want, r.body) {
				t.Errorf("got %d %v, want 401 %v", r.status, r.body, want)
			}
		})
	}
	for name, q := range map[string]string{"query": "?api_token=" + testToken} {
		r := e.send(mustReq(t, "GET", e.ts.URL+"/api/v2/persons"+q))
		if r.status != 200 {
			t.Errorf("%s auth: status %d", name, r.status)
		}
	}
	req := mustReq(t, "GET", e.ts.URL+"/api/v1/users/me")
	req.Header.Set("Authorization", "Bearer "+testToken)
	if r := e.send(req); r.status != 200 {
		t.Errorf("bearer auth: status %d", r.status)
	}
}

func TestPersonDefaultsAndAddTime(t *testing.T) {
	e := newEnv(t, Options{})
	p := obj(e.must(200, "POST", "/api/v2/persons", map[string]any{
		"first_name": "Bo", "last_name": "Diddley", "add_time": "2019-05-06T07:08:09Z",
		"phones": []any{map[string]any{"value": "+1 555", "label": "mobile"}, map[string]any{"value": "+1 556", "primary": true}},
	}))
	want := map[string]any{"name": "Bo Diddley", "add_time": "2019-05-06T07:08:09Z", "owner_id": float64(1),
		"visible_to": float64(3), "label_ids": []any{}, "emails": []any{},
		"phones": []any{map[string]any{"value": "+1 555", "primary": false, "label": "mobile"},
			map[string]any{"value": "+1 556", "primary": true, "label": "work"}}}
	for k, v := range want {
		if diff := cmp.Diff(v, p[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	r := e.do("PATCH", fmt.Sprintf("/api/v2/persons/%v", p["id"]), map[string]any{"add_time": "2020-01-01T00:00:00Z"})
	if r.status != 400 {
		t.Errorf("PATCH add_time: status %d, want 400 (add_time is create-only)", r.status)
	}
}

func TestListPagination(t *testing.T) {
	e := newEnv(t, Options{})
	for i := range 7 {
		e.create("/api/v2/organizations", map[string]any{"name": fmt.Sprintf("Org %d", i)})
	}
	var names []any
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		r := e.do("GET", "/api/v2/organizations?limit=3"+cursor, nil)
		for _, it := range list(r.body["data"]) {
			names = append(names, obj(it)["name"])
		}
		next := obj(r.body["additional_data"])["next_cursor"]
		if next == nil {
			break
		}
		cursor = "&cursor=" + next.(string)
	}
	want := []any{"Org 0", "Org 1", "Org 2", "Org 3", "Org 4", "Org 5", "Org 6"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("paged names (-want +got):\n%s", diff)
	}
	for _, q := range []string{"limit=501", "limit=abc", "cursor=bm9wZQ"} {
		if r := e.do("GET", "/api/v2/organizations?"+q, nil); r.status != 400 {
			t.Errorf("?%s: status %d, want 400", q, r.status)
		}
	}
	desc := list(e.must(200, "GET", "/api/v2/organizations?sort_by=id&sort_direction=desc&limit=2", nil))
	if obj(desc[0])["name"] != "Org 6" {
		t.Errorf("desc first = %v", obj(desc[0])["name"])
	}
	ids := list(e.must(200, "GET", "/api/v2/organizations?ids=2,4", nil))
	if len(ids) != 2 {
		t.Errorf("ids filter returned %d", len(ids))
	}
}

func mustReq(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestWrongMethodAndUnknownPath(t *testing.T) {
	e := newEnv(t, Options{})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"PUT", "/api/v2/persons/1", 405},
		{"POST", "/api/v2/activityFields", 405},
		{"GET", "/api/v2/nothing", 404},
	} {
		r := e.do(tc.method, tc.path, nil)
		if r.status != tc.want || r.body["success"] != false {
			t.Errorf("%s %s: %d %v, want %d with the error envelope", tc.method, tc.path, r.status, r.raw, tc.want)
		}
	}
}
