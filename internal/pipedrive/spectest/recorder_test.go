package spectest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeTB captures what Check reports.
type fakeTB struct {
	testing.TB
	errors []string
	logs   []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeTB) Logf(format string, a ...any) { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }

// canned serves fixed answers by "METHOD path".
func canned(t *testing.T) *httptest.Server {
	t.Helper()
	answers := map[string]struct {
		status int
		body   string
	}{
		"GET /api/v2/persons/12":    {200, goodPerson},
		"GET /api/v2/persons/13":    {200, strings.Replace(goodPerson, `"id":12`, `"id":"13"`, 1)},
		"GET /api/v2/persons/99":    {404, `{"success":false,"error":"Entity was not found"}`},
		"POST /_sandbox/reset":      {200, `{"ok":true}`},
		"GET /api/v2/unknown/thing": {200, `{}`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.Method+" "+r.URL.Path]
		if !ok {
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			a.status, a.body = 500, `{"success":false,"error":"test server"}`
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRecorder(t *testing.T) {
	s := Load(t)
	srv := canned(t)
	rec := NewRecorder(s, srv.Client().Transport)
	client := &http.Client{Transport: rec}
	do := func(method, path string) string {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("x-api-token", token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got := do("GET", "/api/v2/persons/12?api_token="+token); got != goodPerson {
		t.Errorf("caller got a different body than the server sent: %q", got)
	}
	do("GET", "/api/v2/persons/13")
	do("GET", "/api/v2/persons/99")
	do("POST", "/_sandbox/reset")
	do("GET", "/api/v2/unknown/thing")

	var got []string
	for _, ex := range rec.Exchanges() {
		got = append(got, fmt.Sprintf("%s %s %d valid=%t", ex.Method, ex.Template, ex.Status, ex.Err == nil))
		if strings.Contains(ex.URL, token) || strings.Contains(fmt.Sprint(ex.Header), token) {
			t.Errorf("token not redacted in %s %v", ex.URL, ex.Header)
		}
	}
	want := []string{
		"GET /api/v2/persons/{id} 200 valid=true",
		"GET /api/v2/persons/{id} 200 valid=false",
		"GET /api/v2/persons/{id} 404 valid=true",
		"POST  200 valid=true",
		"GET  200 valid=false",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exchanges (-want +got):\n%s", diff)
	}
	if n := rec.Count(); n != 4 {
		t.Errorf("Count() = %d, want 4 (sandbox control excluded)", n)
	}

	f := &fakeTB{}
	rec.Check(f)
	if len(f.errors) != 2 {
		t.Errorf("Check reported %d errors, want 2: %q", len(f.errors), f.errors)
	}
	if len(f.logs) == 0 || !strings.Contains(f.logs[0], "validated 4 exchanges against the Pipedrive OpenAPI documents") ||
		!strings.Contains(f.logs[0], "3  GET /api/v2/persons/{id} (getPerson)") {
		t.Errorf("Check log = %q", f.logs)
	}
}

func TestRecorderCheckFailsWhenEmpty(t *testing.T) {
	rec := NewRecorder(Load(t), nil)
	f := &fakeTB{}
	rec.Check(f)
	if len(f.errors) != 1 {
		t.Errorf("Check on an empty recorder reported %q, want one error", f.errors)
	}
}

// TestRecorderLostResponse records a request whose response never arrives: the request is
// still validated and the transport error reaches the caller.
func TestRecorderLostResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Fatal("no hijacker")
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
	}))
	defer srv.Close()
	rec := NewRecorder(Load(t), srv.Client().Transport)
	req, err := http.NewRequest("POST", srv.URL+"/api/v2/persons", strings.NewReader(`{"emails":"nope"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-token", token)
	req.Header.Set("Content-Type", "application/json")
	if _, err := (&http.Client{Transport: rec}).Do(req); err == nil {
		t.Fatal("want a transport error")
	}
	exs := rec.Exchanges()
	if len(exs) != 1 || exs[0].TransportErr == nil || exs[0].Err == nil || exs[0].Status != 0 {
		t.Fatalf("exchanges = %+v, want one lost exchange with an invalid request", exs)
	}
}

func TestTokenCost(t *testing.T) {
	s := Load(t)
	for _, tt := range []struct {
		method, target string
		want           int
	}{
		{"GET", "/api/v2/persons/1", 1},
		{"POST", "/api/v2/persons", 5},
		{"GET", "/api/v2/persons/search", 20},
		{"GET", "/api/v1/users/me", 2},
		{"POST", "/api/v1/files", 10},
	} {
		m, err := s.Find(tt.method, newReq(t, tt.method, tt.target, "", nil).URL)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.TokenCost(); got != tt.want {
			t.Errorf("TokenCost(%s %s) = %d, want %d", tt.method, tt.target, got, tt.want)
		}
	}
}

func TestUndeclaredResponseProperties(t *testing.T) {
	s := Load(t)
	req := newReq(t, "GET", "/api/v2/persons/12", "", nil)
	h := http.Header{"Content-Type": {"application/json"}}
	body := strings.Replace(goodPerson, `"name":"Ada Lovelace"`, `"name":"Ada Lovelace","invented":1`, 1)
	body = strings.Replace(body, `"custom_fields":{}`, `"custom_fields":{"abc":1}`, 1)
	body = strings.Replace(body, `"label":"work"}`, `"label":"work","extra":true}`, 1)
	got := s.UndeclaredResponseProperties(req, 200, h, []byte(body))
	want := []string{"/additional_data", "/data/emails/[]/extra", "/data/invented"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UndeclaredResponseProperties (-want +got):\n%s", diff)
	}
	if err := s.ValidateResponse(req, 200, h, []byte(body)); err != nil {
		t.Errorf("undeclared properties must stay valid: %v", err)
	}
}
