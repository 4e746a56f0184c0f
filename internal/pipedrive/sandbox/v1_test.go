package sandbox

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUsers(t *testing.T) {
	e := newEnv(t, Options{Users: []User{{Name: "Bea Owner", Email: "Bea@Example.com"}}})
	me := obj(e.must(200, "GET", "/api/v1/users/me", nil))
	if me["id"] != float64(1) || me["is_you"] != true || me["company_domain"] != "sandbox" {
		t.Errorf("me = %v", me)
	}
	if n := len(list(e.must(200, "GET", "/api/v1/users", nil))); n != 2 {
		t.Errorf("%d users, want 2", n)
	}
	found := list(e.must(200, "GET", "/api/v1/users/find?term=bea@example.com&search_by_email=1", nil))
	if len(found) != 1 || obj(found[0])["name"] != "Bea Owner" {
		t.Errorf("find by email = %v", found)
	}
	if n := len(list(e.must(200, "GET", "/api/v1/users/find?term=Owner@", nil))); n != 0 {
		t.Errorf("name search matched an email: %d", n)
	}
	e.must(200, "GET", "/api/v1/users/2", nil)
	e.must(404, "GET", "/api/v1/users/99", nil)
	seats := newEnv(t, Options{Seats: 3})
	if n := len(list(seats.must(200, "GET", "/api/v1/users", nil))); n != 3 {
		t.Errorf("3 seats gave %d users", n)
	}
}

func TestNotes(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.create("/api/v2/persons", map[string]any{"name": "P"})
	d := e.create("/api/v2/deals", map[string]any{"title": "D"})
	n1 := obj(e.must(200, "POST", "/api/v1/notes", map[string]any{"content": "<b>hi</b>", "person_id": p,
		"add_time": "2019-01-02 03:04:05", "pinned_to_person_flag": 1}))
	if n1["add_time"] != "2019-01-02 03:04:05" || n1["pinned_to_person_flag"] != true || obj(n1["person"])["name"] != "P" {
		t.Errorf("note = %v", n1)
	}
	for i := range 4 {
		e.must(200, "POST", "/api/v1/notes", map[string]any{"content": fmt.Sprint("deal note ", i), "deal_id": d})
	}
	r := e.do("GET", fmt.Sprintf("/api/v1/notes?deal_id=%d&start=0&limit=3", d), nil)
	pg := obj(obj(r.body["additional_data"])["pagination"])
	if len(list(r.body["data"])) != 3 || pg["more_items_in_collection"] != true || pg["next_start"] != float64(3) {
		t.Errorf("page 1 = %d items, pagination %v", len(list(r.body["data"])), pg)
	}
	r = e.do("GET", fmt.Sprintf("/api/v1/notes?deal_id=%d&start=3&limit=3", d), nil)
	pg = obj(obj(r.body["additional_data"])["pagination"])
	if _, has := pg["next_start"]; len(list(r.body["data"])) != 1 || pg["more_items_in_collection"] != false || has {
		t.Errorf("page 2 = %d items, pagination %v", len(list(r.body["data"])), pg)
	}
	id := int64(n1["id"].(float64))
	upd := obj(e.must(200, "PUT", "/api/v1/notes/"+itoa(id), map[string]any{"content": "bye"}))
	if upd["content"] != "bye" {
		t.Errorf("updated content = %v", upd["content"])
	}
	if del := e.do("DELETE", "/api/v1/notes/"+itoa(id), nil); del.body["data"] != true {
		t.Errorf("delete = %v", del.body)
	}
	e.must(404, "GET", "/api/v1/notes/"+itoa(id), nil)
	for _, bad := range []map[string]any{{"content": "x"}, {"person_id": p}, {"content": "x", "person_id": 999},
		{"content": "x", "deal_id": d, "add_time": "2019-01-02T03:04:05Z"}, {"content": "x", "deal_id": d, "pinned_to_person_flag": 1}} {
		if r := e.do("POST", "/api/v1/notes", bad); r.status != 400 || r.body["success"] != false {
			t.Errorf("POST note %v: %d", bad, r.status)
		}
	}
}

// multipartBody builds a files upload; parts maps names to values, file is added when non-nil.
func multipartBody(t *testing.T, file []byte, parts map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range parts {
		_ = mw.WriteField(k, v)
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", "report.pdf")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

func (e *env) upload(file []byte, parts map[string]string) resp {
	e.t.Helper()
	body, ct := multipartBody(e.t, file, parts)
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/files", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("x-api-token", testToken)
	return e.send(req)
}

func TestFiles(t *testing.T) {
	e := newEnv(t, Options{})
	d := e.create("/api/v2/deals", map[string]any{"title": "D"})
	content := []byte("%PDF-1.4 binary \x00\x01\x02 bytes")
	r := e.upload(content, map[string]string{"deal_id": itoa(d)})
	if r.status != 200 {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	f := obj(r.body["data"])
	if f["file_name"] != "report.pdf" || f["file_size"] != float64(len(content)) || f["deal_id"] != float64(d) || f["deal_name"] != "D" {
		t.Errorf("file = %v", f)
	}
	if _, err := time.Parse(v1TimeFmt, f["add_time"].(string)); err != nil {
		t.Errorf("add_time %v is not v1 format", f["add_time"])
	}
	id := itoa(int64(f["id"].(float64)))
	dl := e.send(authReq(t, "GET", e.ts.URL+"/api/v1/files/"+id+"/download"))
	if dl.raw != string(content) {
		t.Errorf("download = %q", dl.raw)
	}
	if n := len(list(e.must(200, "GET", "/api/v1/deals/"+itoa(d)+"/files", nil))); n != 1 {
		t.Errorf("deal files: %d", n)
	}
	tests := []struct {
		name  string
		file  []byte
		parts map[string]string
		want  string
	}{
		{"missing file part", nil, map[string]string{"deal_id": itoa(d)}, "No files were provided"},
		{"note_id part", content, map[string]string{"note_id": "1"}, "note_id - This field was not expected"},
		{"bad deal", content, map[string]string{"deal_id": "999"}, "not found"},
	}
	for _, tc := range tests {
		r := e.upload(tc.file, tc.parts)
		if msg, _ := r.body["error"].(string); r.status != 400 || !strings.Contains(msg, tc.want) || r.body["success"] != false {
			t.Errorf("%s: %d %v", tc.name, r.status, r.body)
		}
	}
	e.must(200, "DELETE", "/api/v1/files/"+id, nil)
	e.must(404, "GET", "/api/v1/files/"+id, nil)
	if n := len(list(e.must(200, "GET", "/api/v1/files", nil))); n != 0 {
		t.Errorf("files after delete: %d", n)
	}
}

func authReq(t *testing.T, method, url string) *http.Request {
	req := mustReq(t, method, url)
	req.Header.Set("x-api-token", testToken)
	return req
}

func TestActivityTypesAndLeadLabels(t *testing.T) {
	e := newEnv(t, Options{})
	at := obj(e.must(200, "POST", "/api/v1/activityTypes", map[string]any{"name": "LinkedIn DM", "icon_key": "bubble", "color": "00AAFF"}))
	if at["key_string"] != "linkedin_dm" {
		t.Errorf("key_string = %v", at["key_string"])
	}
	e.must(200, "POST", "/api/v2/activities", map[string]any{"subject": "DM", "type": "linkedin_dm"})
	id := itoa(int64(at["id"].(float64)))
	if upd := obj(e.must(200, "PUT", "/api/v1/activityTypes/"+id, map[string]any{"name": "LinkedIn"})); upd["key_string"] != "linkedin_dm" {
		t.Errorf("key_string changed on rename: %v", upd["key_string"])
	}
	e.must(400, "POST", "/api/v1/activityTypes", map[string]any{"name": "X", "icon_key": "rocket"})
	e.must(200, "DELETE", "/api/v1/activityTypes/"+id, nil)
	if r := e.do("POST", "/api/v2/activities", map[string]any{"subject": "DM", "type": "linkedin_dm"}); r.status != 400 {
		t.Errorf("activity with deleted type: %d", r.status)
	}
	labels := list(e.must(200, "GET", "/api/v1/leadLabels", nil))
	if len(labels) != 3 {
		t.Errorf("%d default lead labels", len(labels))
	}
	ll := obj(e.must(200, "POST", "/api/v1/leadLabels", map[string]any{"name": "VIP", "color": "purple"}))
	if len(ll["id"].(string)) != 36 {
		t.Errorf("lead label id %v is not a UUID", ll["id"])
	}
	e.must(400, "POST", "/api/v1/leadLabels", map[string]any{"name": "X", "color": "teal"})
	e.must(200, "PATCH", "/api/v1/leadLabels/"+ll["id"].(string), map[string]any{"name": "V.I.P."})
	e.must(200, "DELETE", "/api/v1/leadLabels/"+ll["id"].(string), nil)
	e.must(404, "DELETE", "/api/v1/leadLabels/"+ll["id"].(string), nil)
}
