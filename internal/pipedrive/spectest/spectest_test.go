package spectest

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const token = "secret-token-123"

// newReq builds a request to the sandbox-like host with the token header set.
func newReq(t *testing.T, method, target, contentType string, body []byte) *http.Request {
	t.Helper()
	req := httptest.NewRequest(method, "http://sandbox.test"+target, bytes.NewReader(body))
	req.Header.Set("x-api-token", token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// multipartBody writes parts (name → value; the "file" part as a file) and returns the body
// and its content type.
func multipartBody(t *testing.T, parts map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, name := range sortedKeys(parts) {
		var err error
		if name == "file" {
			var fw interface{ Write([]byte) (int, error) }
			fw, err = w.CreateFormFile("file", "hello.txt")
			if err == nil {
				_, err = fw.Write([]byte(parts[name]))
			}
		} else {
			err = w.WriteField(name, parts[name])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

func TestValidateRequest(t *testing.T) {
	s := Load(t)
	goodFile, goodFileCT := multipartBody(t, map[string]string{"file": "hello", "deal_id": "7"})
	badID, badIDCT := multipartBody(t, map[string]string{"file": "hello", "deal_id": "seven"})
	noFile, noFileCT := multipartBody(t, map[string]string{"deal_id": "7"})
	noteID, noteIDCT := multipartBody(t, map[string]string{"file": "hello", "note_id": "7"})
	tests := []struct {
		name, method, target, ct, body string
		auth                           string // "" header token, "query", "bearer", "none"
		wantErr                        bool
		wantIs                         error
	}{
		{name: "good person create", method: "POST", target: "/api/v2/persons", ct: "application/json",
			body: `{"name":"Ada Lovelace","emails":[{"value":"ada@example.com","primary":true,"label":"work"}],"custom_fields":{"abc":"x"}}`},
		{name: "emails not an array", method: "POST", target: "/api/v2/persons", ct: "application/json",
			body: `{"emails":"nope"}`, wantErr: true},
		{name: "visible_to as string", method: "POST", target: "/api/v2/persons", ct: "application/json",
			body: `{"name":"A","visible_to":"3"}`, wantErr: true},
		{name: "undeclared top-level property", method: "POST", target: "/api/v2/persons", ct: "application/json",
			body: `{"name":"A","email":"a@example.com"}`, wantErr: true, wantIs: ErrUndeclaredProperty},
		{name: "undeclared nested property", method: "POST", target: "/api/v2/persons", ct: "application/json",
			body: `{"name":"A","emails":[{"value":"a@example.com","is_primary":true}]}`, wantErr: true, wantIs: ErrUndeclaredProperty},
		{name: "unknown path", method: "GET", target: "/api/v2/nothing", wantErr: true, wantIs: ErrUnknownOperation},
		{name: "v2 has no bulk delete", method: "DELETE", target: "/api/v2/persons?ids=1,2", wantErr: true, wantIs: ErrUnknownOperation},
		{name: "v1 legacy person create is gone", method: "POST", target: "/api/v1/persons", ct: "application/json",
			body: `{"name":"A"}`, wantErr: true, wantIs: ErrUnknownOperation},
		{name: "path id not an integer", method: "GET", target: "/api/v2/persons/abc", wantErr: true},
		{name: "offset pagination on a v2 list", method: "GET", target: "/api/v2/persons?start=0&limit=500", wantErr: true, wantIs: ErrUndeclaredQuery},
		{name: "v2 list limit above the stated maximum", method: "GET", target: "/api/v2/persons?limit=501", wantErr: true},
		{name: "itemSearch limit above its stated maximum of 100", method: "GET", target: "/api/v2/itemSearch?term=ab&limit=500", wantErr: true},
		{name: "itemSearch limit at its maximum", method: "GET", target: "/api/v2/itemSearch?term=ab&limit=100"},
		{name: "v2 list limit not an integer", method: "GET", target: "/api/v2/persons?limit=many", wantErr: true},
		{name: "v2 list with cursor", method: "GET", target: "/api/v2/persons?limit=500&cursor=abc"},
		{name: "comma-separated search fields", method: "GET", target: "/api/v2/persons/search?term=ada&fields=email,name"},
		{name: "comma-separated fields with an unknown one", method: "GET", target: "/api/v2/persons/search?term=ada&fields=email,nope", wantErr: true},
		{name: "search is not persons/{id}", method: "GET", target: "/api/v2/persons/search?term=ada%40example.com&fields=email&exact_match=true"},
		{name: "token as query parameter", method: "GET", target: "/api/v1/users/me?api_token=x", auth: "query"},
		{name: "bearer token", method: "GET", target: "/api/v1/users/me", auth: "bearer"},
		{name: "no credentials", method: "GET", target: "/api/v1/users/me", auth: "none", wantErr: true},
		{name: "body where none is declared", method: "GET", target: "/api/v1/users/me", ct: "application/json", body: `{"a":1}`, wantErr: true},
		{name: "options body is an array", method: "POST", target: "/api/v2/personFields/0123456789abcdef0123456789abcdef01234567/options",
			ct: "application/json", body: `[{"label":"Gold"}]`},
		{name: "options item with unknown key", method: "POST", target: "/api/v2/personFields/0123456789abcdef0123456789abcdef01234567/options",
			ct: "application/json", body: `[{"label":"Gold","color":"red"}]`, wantErr: true, wantIs: ErrUndeclaredProperty},
		{name: "multipart upload", method: "POST", target: "/api/v1/files", ct: goodFileCT, body: string(goodFile)},
		{name: "multipart deal_id not an integer", method: "POST", target: "/api/v1/files", ct: badIDCT, body: string(badID), wantErr: true},
		{name: "multipart without the file part", method: "POST", target: "/api/v1/files", ct: noFileCT, body: string(noFile), wantErr: true},
		{name: "multipart note_id part is undefined", method: "POST", target: "/api/v1/files", ct: noteIDCT, body: string(noteID), wantErr: true},
		{name: "sandbox control is exempt", method: "POST", target: "/_sandbox/reset", auth: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, tt.method, tt.target, tt.ct, []byte(tt.body))
			switch tt.auth {
			case "query", "none":
				req.Header.Del("x-api-token")
			case "bearer":
				req.Header.Del("x-api-token")
				req.Header.Set("Authorization", "Bearer abc")
			}
			err := s.ValidateRequest(req, []byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateRequest() error = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Fatalf("ValidateRequest() error = %v, want errors.Is %v", err, tt.wantIs)
			}
		})
	}
}

const goodPerson = `{"success":true,"data":{"id":12,"name":"Ada Lovelace","first_name":"Ada","last_name":"Lovelace",
"owner_id":1,"org_id":3,"add_time":"2024-01-02T03:04:05Z","update_time":"2024-01-02T03:04:05Z",
"emails":[{"value":"ada@example.com","primary":true,"label":"work"}],"phones":[],"is_deleted":false,
"visible_to":3,"label_ids":[],"custom_fields":{}},"additional_data":null}`

const goodField = `{"success":true,"data":{"field_name":"Klipy ID","field_code":"0123456789abcdef0123456789abcdef01234567",
"field_type":"varchar","options":null,"subfields":null,"is_custom_field":true,"is_optional_response_field":false}}`

func TestValidateResponse(t *testing.T) {
	s := Load(t)
	tests := []struct {
		name, method, target string
		status               int
		ct, body             string
		wantErr              bool
		wantIs               error
	}{
		{name: "good person", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "application/json", body: goodPerson},
		{name: "id of wrong type", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "application/json",
			body: strings.Replace(goodPerson, `"id":12`, `"id":"12"`, 1), wantErr: true},
		{name: "success of wrong type", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "application/json",
			body: strings.Replace(goodPerson, `"success":true`, `"success":"true"`, 1), wantErr: true},
		{name: "2xx with success false", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "application/json",
			body: strings.Replace(goodPerson, `"success":true`, `"success":false`, 1), wantErr: true, wantIs: ErrNotSuccess},
		{name: "2xx without success", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "application/json",
			body: strings.Replace(goodPerson, `"success":true,`, ``, 1), wantErr: true, wantIs: ErrNotSuccess},
		{name: "not json", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "text/html", body: "<html>", wantErr: true},
		{name: "good field create", method: "POST", target: "/api/v2/personFields", status: 200, ct: "application/json", body: goodField},
		{name: "field missing required field_code", method: "POST", target: "/api/v2/personFields", status: 200, ct: "application/json",
			body: strings.Replace(goodField, `"field_code":"0123456789abcdef0123456789abcdef01234567",`, "", 1), wantErr: true},
		{name: "undeclared 201 on a v2 create", method: "POST", target: "/api/v2/persons", status: 201, ct: "application/json",
			body: goodPerson, wantErr: true, wantIs: ErrUndeclaredStatus},
		{name: "404 envelope", method: "GET", target: "/api/v2/persons/99", status: 404, ct: "application/json",
			body: `{"success":false,"error":"Entity was not found","error_info":"Object was not found.","data":null,"additional_data":null}`},
		{name: "500 envelope with code", method: "GET", target: "/api/v2/persons/99", status: 500, ct: "application/json; charset=utf-8",
			body: `{"success":false,"error":"Internal Server Error","code":"ERR_UNKNOWN"}`},
		{name: "401 with errorCode", method: "GET", target: "/api/v1/users/me", status: 401, ct: "application/json",
			body: `{"success":false,"error":"unauthorized access","errorCode":401}`},
		{name: "404 claiming success", method: "GET", target: "/api/v2/persons/99", status: 404, ct: "application/json",
			body: `{"success":true,"error":"x"}`, wantErr: true, wantIs: ErrErrorEnvelope},
		{name: "429 as plain text", method: "GET", target: "/api/v2/persons/99", status: 429, ct: "text/plain",
			body: "slow down", wantErr: true, wantIs: ErrErrorEnvelope},
		{name: "400 with empty error", method: "POST", target: "/api/v2/persons", status: 400, ct: "application/json",
			body: `{"success":false,"error":""}`, wantErr: true, wantIs: ErrErrorEnvelope},
		{name: "400 with unknown key", method: "POST", target: "/api/v2/persons", status: 400, ct: "application/json",
			body: `{"success":false,"error":"bad","details":[]}`, wantErr: true, wantIs: ErrErrorEnvelope},
		{name: "422 is not a generic error status", method: "POST", target: "/api/v2/persons", status: 422, ct: "application/json",
			body: `{"success":false,"error":"bad"}`, wantErr: true, wantIs: ErrUndeclaredStatus},
		{name: "v1 date-time in v1 form", method: "GET", target: "/api/v1/notes/1", status: 200, ct: "application/json",
			body: `{"success":true,"data":{"id":1,"content":"x","add_time":"2019-12-09 13:59:21","update_time":"2019-12-09 14:26:11"}}`},
		{name: "v2 add_time in v1 form", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "application/json",
			body: strings.Replace(goodPerson, `"add_time":"2024-01-02T03:04:05Z"`, `"add_time":"2024-01-02 03:04:05"`, 1), wantErr: true, wantIs: ErrTimeFormat},
		{name: "v2 add_time with fraction and offset", method: "GET", target: "/api/v2/persons/12", status: 200, ct: "application/json",
			body: strings.Replace(goodPerson, `"add_time":"2024-01-02T03:04:05Z"`, `"add_time":"2024-01-02T03:04:05.123+02:00"`, 1)},
		{name: "file download bytes", method: "GET", target: "/api/v1/files/3/download", status: 200, ct: "application/octet-stream", body: "hello\x00\xff"},
		{name: "file download with an undeclared content type", method: "GET", target: "/api/v1/files/3/download", status: 200, ct: "text/plain", body: "hello", wantErr: true},
		{name: "unknown path", method: "GET", target: "/api/v3/persons", status: 200, ct: "application/json", body: `{}`,
			wantErr: true, wantIs: ErrUnknownOperation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, tt.method, tt.target, "", nil)
			h := http.Header{"Content-Type": {tt.ct}}
			err := s.ValidateResponse(req, tt.status, h, []byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateResponse() error = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Fatalf("ValidateResponse() error = %v, want errors.Is %v", err, tt.wantIs)
			}
		})
	}
}

// TestDateTimeFormats pins the one deliberate deviation: v1 `format: date-time` also takes
// Pipedrive's v1 form "YYYY-MM-DD HH:MM:SS"; v2 stays strict RFC 3339.
func TestDateTimeFormats(t *testing.T) {
	s := Load(t)
	v1 := func(ts string) string {
		return `{"success":true,"data":[{"id":4,"order_nr":1,"name":"Call","key_string":"call","icon_key":"call",` +
			`"active_flag":true,"color":"FFFFFF","is_custom_flag":false,"add_time":"` + ts + `","update_time":"` + ts + `"}]}`
	}
	v2 := func(ts string) string {
		return `{"success":true,"data":[{"field_name":"Tier","field_code":"0123456789abcdef0123456789abcdef01234567",` +
			`"field_type":"enum","options":[{"id":1,"label":"Gold","add_time":"` + ts + `","update_time":"` + ts + `"}],` +
			`"is_custom_field":true,"is_optional_response_field":false}],"additional_data":{"next_cursor":null}}`
	}
	tests := []struct {
		name, target, body string
		wantErr            bool
	}{
		{"v1 space form", "/api/v1/activityTypes", v1("2019-10-04 16:24:55"), false},
		{"v1 rfc 3339", "/api/v1/activityTypes", v1("2019-10-04T16:24:55Z"), false},
		{"v1 not a date-time", "/api/v1/activityTypes", v1("04/10/2019"), true},
		{"v1 T form without a zone", "/api/v1/activityTypes", v1("2019-10-04T16:24:55"), true},
		{"v2 rfc 3339", "/api/v2/personFields", v2("2019-10-04T16:24:55Z"), false},
		{"v2 space form", "/api/v2/personFields", v2("2019-10-04 16:24:55"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, "GET", tt.target, "", nil)
			err := s.ValidateResponse(req, 200, http.Header{"Content-Type": {"application/json"}}, []byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateResponse() error = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

// TestDeviations pins each response-schema relaxation and shows it stays narrow.
func TestDeviations(t *testing.T) {
	s := Load(t)
	for _, d := range Deviations {
		t.Log("deviation: " + d)
	}
	v1Fields := func(ft string) string {
		return `{"success":true,"data":[{"id":1,"key":"id","name":"ID","field_type":"` + ft + `","options":null}],` +
			`"additional_data":{"pagination":{"start":0,"limit":500,"more_items_in_collection":false}}}`
	}
	org := func(route string) string {
		return `{"success":true,"data":{"id":3,"name":"Acme","address":{"value":"1 Main St","route":` + route + `}}}`
	}
	tests := []struct {
		name, method, target, body string
		request                    bool
		wantErr                    bool
	}{
		{"next_cursor null ends a v2 list", "GET", "/api/v2/persons", `{"success":true,"data":[],"additional_data":{"next_cursor":null}}`, false, false},
		{"next_cursor must still be a string otherwise", "GET", "/api/v2/persons", `{"success":true,"data":[],"additional_data":{"next_cursor":5}}`, false, true},
		{"undocumented null stays invalid", "GET", "/api/v2/persons/1", strings.Replace(goodPerson, `"name":"Ada Lovelace"`, `"name":null`, 1), false, true},
		{"org address subfield null", "GET", "/api/v2/organizations/3", org("null"), false, false},
		{"org address subfield of wrong type", "GET", "/api/v2/organizations/3", org("7"), false, true},
		{"v1 field list with a system type", "GET", "/api/v1/dealFields", v1Fields("int"), false, false},
		{"v1 field list with an unknown type", "GET", "/api/v1/dealFields", v1Fields("nonsense"), false, true},
		{"v1 field create with a system type", "POST", "/api/v1/dealFields", `{"name":"X","field_type":"int"}`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.request {
				err = s.ValidateRequest(newReq(t, tt.method, tt.target, "application/json", []byte(tt.body)), []byte(tt.body))
			} else {
				err = s.ValidateResponse(newReq(t, tt.method, tt.target, "", nil), 200,
					http.Header{"Content-Type": {"application/json"}}, []byte(tt.body))
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}
