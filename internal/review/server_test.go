package review

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/lock"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
	"ferry/internal/workspace"
)

// fakeBackend records the commands the page runs and answers from a real, empty SQLite store.
type fakeBackend struct {
	dir   string
	users []string
	code  int
	out   string
	block bool // Exec of "run" waits for its context to end, then exits 130 as Ctrl-C does

	mu   sync.Mutex
	runs [][]string
}

func (f *fakeBackend) Exec(ctx context.Context, out io.Writer, args ...string) (int, error) {
	f.mu.Lock()
	f.runs = append(f.runs, args)
	f.mu.Unlock()
	fmt.Fprint(out, f.out)
	if f.block && args[0] == "run" {
		fmt.Fprintln(out, `{"event":"progress","kind":"person","processed":3,"total":9}`)
		<-ctx.Done()
		return 130, fmt.Errorf("interrupted: %w", ctx.Err())
	}
	return f.code, nil
}

func (f *fakeBackend) OpenStore(context.Context) (store.Store, error) {
	return sqlite.Open(filepath.Join(f.dir, workspace.StateDir, workspace.StateDB))
}

func (f *fakeBackend) Losses(context.Context, store.Store) ([]Loss, error) {
	return []Loss{{Kind: "person", Reason: "not a valid <email>", Records: 3}}, nil
}

func (f *fakeBackend) Lock(context.Context, store.Store) (lock.Lock, error) {
	return lock.Lock{}, fmt.Errorf("%w: never confirmed", lock.ErrNoLock)
}

func (f *fakeBackend) Users(context.Context) ([]string, error) { return f.users, nil }

func (f *fakeBackend) commands() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.runs...)
}

// testServer makes a workspace with testdata/ws's plan files and a server over it.
func testServer(t *testing.T) (*Server, *fakeBackend) {
	t.Helper()
	dir := t.TempDir()
	if _, err := workspace.Init(dir, "harvest"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/ws/decisions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, workspace.DecisionsFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	be := &fakeBackend{dir: dir, users: []string{"ann@acme.test", "bo@acme.test"}, out: "done <ok>\n"}
	s, err := New(Config{Workspace: ws, Backend: be, Token: "tok123", Host: "127.0.0.1:9"})
	if err != nil {
		t.Fatal(err)
	}
	return s, be
}

// do sends one request; cookie adds the token cookie, form makes it a POST.
func do(t *testing.T, s *Server, method, target string, cookie bool, form url.Values, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, "http://127.0.0.1:9"+target, body)
	r.Host = "127.0.0.1:9"
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie {
		r.AddCookie(&http.Cookie{Name: tokenCookie, Value: s.Token()})
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func TestTokenRequired(t *testing.T) {
	s, _ := testServer(t)
	tests := []struct {
		name       string
		target     string
		cookie     bool
		host       string
		wantStatus int
	}{
		{"no token", "/", false, "", http.StatusUnauthorized},
		{"wrong token", "/?token=nope", false, "", http.StatusUnauthorized},
		{"static needs it too", "/static/htmx.min.js", false, "", http.StatusUnauthorized},
		{"token in the URL trades for a cookie", "/owners?token=tok123", false, "", http.StatusSeeOther},
		{"cookie", "/owners", true, "", http.StatusOK},
		{"static with cookie", "/static/htmx.min.js", true, "", http.StatusOK},
		{"another host name", "/", true, "evil.example:9", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{}
			w := func() *httptest.ResponseRecorder {
				if tt.host == "" {
					return do(t, s, "GET", tt.target, tt.cookie, nil, hdr)
				}
				r := httptest.NewRequest("GET", tt.target, nil)
				r.Host = tt.host
				r.AddCookie(&http.Cookie{Name: tokenCookie, Value: s.Token()})
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, r)
				return rec
			}()
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if got := w.Header().Get("Content-Security-Policy"); got != csp {
				t.Errorf("Content-Security-Policy %q, want %q", got, csp)
			}
			if w.Code == http.StatusSeeOther {
				if loc := w.Header().Get("Location"); loc != "/owners" {
					t.Errorf("redirect to %q, want the URL without the token", loc)
				}
				c := w.Result().Cookies()
				if len(c) != 1 || c[0].Value != "tok123" || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
					t.Errorf("cookie %+v, want the token, HttpOnly, SameSite=Strict", c)
				}
			}
		})
	}
}

func TestPostNeedsCSRF(t *testing.T) {
	s, be := testServer(t)
	good := url.Values{"csrf": {s.csrf}, "owner": {"Ann Smith <ann@acme.test>"}, "resolution": {"map"}, "user": {"bo@acme.test"}}
	bad := url.Values{"csrf": {"guess"}, "owner": {"x"}, "resolution": {"map"}, "user": {"y"}}
	none := url.Values{"owner": {"x"}, "resolution": {"map"}, "user": {"y"}}
	tests := []struct {
		name       string
		form       url.Values
		hdr        map[string]string
		wantStatus int
	}{
		{"no csrf token", none, nil, http.StatusForbidden},
		{"wrong csrf token", bad, nil, http.StatusForbidden},
		{"foreign origin", good, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"cross-site fetch", good, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same origin", good, map[string]string{"Origin": "http://127.0.0.1:9", "Sec-Fetch-Site": "same-origin"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(be.commands())
			w := do(t, s, "POST", "/owners", true, tt.form, tt.hdr)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			ran := len(be.commands()) - before
			if want := map[bool]int{true: 1, false: 0}[tt.wantStatus == http.StatusOK]; ran != want {
				t.Errorf("%d command(s) ran, want %d", ran, want)
			}
		})
	}
}

// TestActionsRunTheCLICommands: each form runs the ferry command the CLI would, with the
// arguments from the form, and shows its output escaped.
func TestActionsRunTheCLICommands(t *testing.T) {
	tests := []struct {
		path string
		form url.Values
		want []string
	}{
		{"/owners", url.Values{"owner": {"Ann Smith <ann@acme.test>"}, "resolution": {"map"}, "user": {"bo@acme.test"}},
			[]string{"decide", "owner", "Ann Smith <ann@acme.test>", "--map", "bo@acme.test"}},
		{"/owners", url.Values{"owner": {"Ann Smith <ann@acme.test>"}, "resolution": {"fallback"}, "user": {"bo@acme.test"}},
			[]string{"decide", "owner", "Ann Smith <ann@acme.test>", "--fallback", "bo@acme.test"}},
		{"/owners", url.Values{"owner": {"Ann"}, "resolution": {"provision"}, "user": {"bo@acme.test"}},
			[]string{"decide", "owner", "Ann", "--provision", "--yes"}},
		{"/duplicates", url.Values{"survivor": {"per_1"}}, []string{"decide", "split", "per_1"}},
		{"/confirm", url.Values{}, []string{"confirm", "--yes"}},
		{"/report", url.Values{}, []string{"report"}},
		{"/confirm/accept-loss", url.Values{"reason": {"not a valid email"}}, []string{"decide", "accept-loss", "not a valid email"}},
		{"/confirm/accept-loss", url.Values{"all": {"1"}}, []string{"decide", "accept-loss", "--all"}},
		{"/labels", url.Values{"tag": {"<i>V.I.P.</i>"}, "label": {"VIP"}}, []string{"decide", "label", "<i>V.I.P.</i>", "--label", "VIP"}},
		{"/pipelines", url.Values{"pipeline": {"Sales <b>bold</b>"}, "action": {"collapse"}, "target": {"Pipeline"}},
			[]string{"decide", "pipeline", "Sales <b>bold</b>", "--collapse", "Pipeline"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.want, " "), func(t *testing.T) {
			s, be := testServer(t)
			tt.form.Set("csrf", s.csrf)
			w := do(t, s, "POST", tt.path, true, tt.form, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			cmds := be.commands()
			if len(cmds) == 0 {
				t.Fatal("no command ran")
			}
			if diff := cmp.Diff(tt.want, cmds[0]); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
			if body := w.Body.String(); !strings.Contains(body, "done &lt;ok&gt;") {
				t.Errorf("the command's output is not shown escaped:\n%s", body)
			}
		})
	}
}

func TestBadFormsRefused(t *testing.T) {
	for _, f := range []struct {
		path string
		form url.Values
	}{
		{"/owners", url.Values{"owner": {"Ann"}, "resolution": {"delete"}}},
		{"/owners", url.Values{"owner": {""}, "resolution": {"map"}, "user": {"a@b.c"}}},
		{"/duplicates", url.Values{"survivor": {" "}}},
		{"/run", url.Values{"action": {"explode"}}},
		{"/confirm/accept-loss", url.Values{"reason": {""}}},
		{"/labels", url.Values{"tag": {"vip"}, "label": {" "}}},
		{"/pipelines", url.Values{"pipeline": {"Sales"}, "action": {"delete"}, "target": {"X"}}},
	} {
		s, be := testServer(t)
		f.form.Set("csrf", s.csrf)
		if w := do(t, s, "POST", f.path, true, f.form, nil); w.Code != http.StatusBadRequest {
			t.Errorf("POST %s %v: status %d, want 400", f.path, f.form, w.Code)
		}
		if n := len(be.commands()); n != 0 {
			t.Errorf("POST %s %v ran %d command(s)", f.path, f.form, n)
		}
	}
}

// TestEverythingEscaped: names from the workspace's files reach the page escaped.
func TestEverythingEscaped(t *testing.T) {
	s, _ := testServer(t)
	for _, p := range pageNames {
		path := p.Path
		w := do(t, s, "GET", path, true, nil, nil)
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Errorf("GET %s: status %d\n%s", path, w.Code, body)
			continue
		}
		for _, raw := range []string{"<script>alert", "<b>bold</b>", "<email>", "<i>V.I.P."} {
			if strings.Contains(body, raw) {
				t.Errorf("GET %s renders %q unescaped", path, raw)
			}
		}
		if all, own := strings.Count(body, "<script"), strings.Count(body, `<script src="/static/`); all != own {
			t.Errorf("GET %s has %d script element(s) not loaded from /static/", path, all-own)
		}
	}
	if body := do(t, s, "GET", "/owners", true, nil, nil).Body.String(); !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("owners page does not show the owner's name escaped")
	}
}
