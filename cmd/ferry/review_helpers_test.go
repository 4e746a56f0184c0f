package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ferry/internal/gen"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
	"ferry/internal/review"
	"ferry/internal/workspace"
)

// reviewCompany is the Pipedrive company domain of the review tests' workspaces.
const reviewCompany = "ferry-review-test"

// plannedSandboxWorkspace makes a workspace over a generated harvest, extracted and planned
// by ferry plan (so dedupe.json holds clusters) against an in-process Pipedrive sandbox that
// the environment points at. Its owner decisions are left as plan made them (one open) and no
// loss is accepted yet.
func plannedSandboxWorkspace(t *testing.T, people int, seed int64) (string, *sandbox.Server) {
	t.Helper()
	data := gen.New(gen.Config{People: people, Seed: seed})
	var users []sandbox.User
	for _, u := range data.PipedriveUsers() {
		users = append(users, sandbox.User{Name: u.Name, Email: u.Email})
	}
	sb := sandbox.New(sandbox.Options{Seed: seed, Users: users})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	t.Setenv("PIPEDRIVE_BASE_URL", srv.URL)
	t.Setenv("PIPEDRIVE_API_TOKEN", sb.Token())
	t.Setenv("FERRY_PIPEDRIVE_BURST", "1000")
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	cfgPath := filepath.Join(dir, workspace.ConfigFile)
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	// The client goes to the sandbox (PIPEDRIVE_BASE_URL); the report's record links, which
	// come from ferry.yaml only, name this company.
	cfg = []byte(strings.Replace(string(cfg), `company_domain: ""`, `company_domain: "`+reviewCompany+`"`, 1))
	if err := os.WriteFile(cfgPath, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	key, err := data.WriteHarvest(filepath.Join(dir, "harvest"))
	if err != nil {
		t.Fatal(err)
	}
	extractGenerated(t, dir, key)
	if out, stderr, code := runFerry(t, "plan", "-w", dir); code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, stderr)
	}
	return dir, sb
}

// reviewChoices are the decisions both the CLI and the page make on a workspace: an owner
// mapped to a user, and a duplicate cluster split.
type reviewChoices struct {
	Owner, User, Split string
}

// pickChoices picks, on a planned workspace, an owner plan could not match (open) and a Pipedrive user
// to map it to (one no other owner goes to, when there is one), and the first person cluster
// to split.
func pickChoices(t *testing.T, dir string, sb *sandbox.Server) reviewChoices {
	t.Helper()
	d, users := decisionsAndUsers(t, dir, sb)
	var o decide.Owner
	for _, x := range d.Owners {
		if x.Resolution == decide.OwnerOpen || x.Resolution == decide.OwnerFallback {
			o = x
			break
		}
	}
	if o.Klipy == "" || len(users) == 0 {
		t.Fatalf("no owner left to resolve in %+v (users %v)", d.Owners, users)
	}
	res := readDedupe(t, dir)
	if len(res.PersonClusters) == 0 {
		t.Fatalf("ferry plan found no person cluster in %s", dir)
	}
	taken := map[string]bool{}
	for _, x := range d.Owners {
		taken[strings.ToLower(x.Target)] = true
	}
	user := users[len(users)-1]
	for _, u := range users { // a user no other owner goes to, so their records show whose they are
		if !taken[strings.ToLower(u)] {
			user = u
		}
	}
	return reviewChoices{Owner: o.Klipy, User: user, Split: res.PersonClusters[0].Survivor}
}

func readDedupe(t *testing.T, dir string) *dedupe.Result {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(ws.PlanPath(workspace.DedupeFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := dedupe.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// reviewPage serves the review page over dir with the CLI's backend and returns its URL
// (with the token) and the server.
func reviewPage(t *testing.T, dir string) (string, *review.Server) {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := review.New(review.Config{Workspace: ws, Backend: &reviewBackend{g: &globalOptions{LogLevel: "warn"}, ws: ws}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL + "/?token=" + s.Token(), s
}

// pageClient is a browser without JavaScript: it keeps the cookie and posts the page's forms
// with the CSRF token it read from the page.
type pageClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
	seen []string // every page body it received, to check for secrets
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func newPageClient(t *testing.T, startURL string) *pageClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(startURL)
	p := &pageClient{t: t, base: u.Scheme + "://" + u.Host, c: &http.Client{Jar: jar}}
	p.body(p.c.Get(startURL))
	return p
}

func (p *pageClient) body(resp *http.Response, err error) string {
	p.t.Helper()
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("%s %s: status %d\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, b)
	}
	if m := csrfField.FindSubmatch(b); m != nil {
		p.csrf = string(m[1])
	}
	p.seen = append(p.seen, string(b))
	return string(b)
}

func (p *pageClient) get(path string) string {
	p.t.Helper()
	return p.body(p.c.Get(p.base + path))
}

func (p *pageClient) post(path string, form url.Values) string {
	p.t.Helper()
	if p.csrf == "" {
		p.get(path)
	}
	form.Set("csrf", p.csrf)
	return p.body(p.c.PostForm(p.base+path, form))
}

// waitRun follows the Run page's server-sent events until the run ends.
func (p *pageClient) waitRun(ctx context.Context) {
	p.t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", p.base+"/run/events", nil)
	resp, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	events := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "event: ") {
			events++
		}
		if sc.Text() == "event: end" {
			return
		}
	}
	p.t.Fatalf("the run's event stream ended without an end event after %d event(s): %v", events, sc.Err())
}
