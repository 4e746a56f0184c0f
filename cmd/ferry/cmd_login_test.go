package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"ferry/internal/pipedrive/oauth"
	"ferry/internal/pipedrive/sandbox"
)

// browserWriter is stderr for `ferry login`: when the authorization URL appears it plays the
// browser and follows it (the sandbox approves at once and redirects to ferry's listener).
type browserWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	done bool
}

var authURL = regexp.MustCompile(`http://\S+/oauth/authorize\?\S+`)

func (b *browserWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if u := authURL.FindString(b.buf.String()); u != "" && !b.done {
		b.done = true
		go func() {
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}()
	}
	return len(p), nil
}

func (b *browserWriter) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// loginFerry runs `ferry login pipedrive` with a browser that approves.
func loginFerry(t *testing.T, dir string) (string, string, int) {
	t.Helper()
	var out bytes.Buffer
	errw := &browserWriter{}
	root := newRootCommand(&out, errw)
	root.SetArgs([]string{"login", "pipedrive", "-w", dir, "--addr", "127.0.0.1:0", "--timeout", "20s"})
	err := root.ExecuteContext(context.Background())
	if err != nil {
		errw.Write([]byte("ferry: " + err.Error() + "\n"))
	}
	return out.String(), errw.String(), exitCode(err)
}

// oauthWorkspace is a planned workspace whose ferry.yaml says auth: oauth, with the OAuth app
// of a sandbox whose access tokens live ttl, and no API token in the environment.
func oauthWorkspace(t *testing.T, ttl time.Duration, latency time.Duration) (string, *sandbox.Server) {
	t.Helper()
	app := &sandbox.OAuthOptions{ClientID: "ferry-test-app", ClientSecret: "app-secret-0f1e2d3c4b5a", AccessTTL: ttl}
	dir, sb, _ := sandboxWorkspaceOpts(t, 40, 11, sandbox.Options{OAuth: app, Faults: sandbox.Faults{Latency: latency}})
	cfgPath := filepath.Join(dir, "ferry.yaml")
	raw, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, []byte(strings.Replace(string(raw), "auth: api_token", "auth: oauth", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PIPEDRIVE_API_TOKEN", "")
	t.Setenv(oauth.EnvClientID, app.ClientID)
	t.Setenv(oauth.EnvClientSecret, app.ClientSecret)
	t.Setenv(oauth.EnvServer, os.Getenv("PIPEDRIVE_BASE_URL"))
	t.Setenv("FERRY_CONFIG_DIR", filepath.Join(t.TempDir(), "config"))
	return dir, sb
}

// TestLoginRunAcrossExpiries logs in through the CLI, then migrates with 1-second access
// tokens over several expiries: the run exits 0, refreshes happened, and no token or the
// app secret is in the workspace or in any output.
func TestLoginRunAcrossExpiries(t *testing.T) {
	dir, sb := oauthWorkspace(t, time.Second, 25*time.Millisecond)
	out, errOut, code := runFerry(t, "plan", "-w", dir)
	if code != exitLogin || !strings.Contains(errOut, "ferry login pipedrive") {
		t.Fatalf("plan before login: exit %d, %s", code, errOut)
	}
	lout, lerr, code := loginFerry(t, dir)
	if code != 0 || !strings.Contains(lout, "Logged in to") {
		t.Fatalf("login: exit %d\n%s\n%s", code, lout, lerr)
	}
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	start := time.Now()
	rout, rerr, code := runFerry(t, "run", "-w", dir, "--log-level", "debug")
	// generated data holds deliberately broken rows, so the run may be incomplete (exit 6)
	// for them; it must never fail for want of a token
	if (code != 0 && code != exitIncomplete) || strings.Contains(rout+rerr, "unauthorized") || strings.Contains(rout+rerr, "token rejected") {
		t.Fatalf("run: exit %d\n%s\n%s", code, rout, rerr)
	}
	_, refreshes := sb.OAuthCounts()
	if elapsed := time.Since(start); refreshes < 2 {
		t.Errorf("the run took %s with 1-second tokens but refreshed %d times", elapsed, refreshes)
	}
	if n := len(sb.Snapshot().Persons); n == 0 {
		t.Error("nothing was migrated")
	}
	store, key, err := loginStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	login, err := store.Load(key)
	if err != nil {
		t.Fatal(err)
	}
	repOut, repErr, code := runFerry(t, "report", "-w", dir, "--log-level", "debug")
	if code != 0 && code != exitIncomplete {
		t.Fatalf("report: exit %d %s", code, repErr)
	}
	// the tokens of every refresh are gone from the store; the last one and the refresh token
	// stand for them (a token never reaches a command line: ferry takes none as an argument)
	secrets := []string{login.Token.AccessToken, login.Token.RefreshToken, os.Getenv(oauth.EnvClientSecret)}
	checkNoSecrets(t, dir, secrets, out, errOut, lout, lerr, rout, rerr, repOut, repErr)
}

// checkNoSecrets fails when any secret appears in a file under dir or in the outputs.
func checkNoSecrets(t *testing.T, dir string, secrets []string, outputs ...string) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if s != "" && bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outputs {
		for _, s := range secrets {
			if s != "" && strings.Contains(o, s) {
				t.Errorf("output %d shows a secret", i)
			}
		}
	}
}

// TestLoginRevoked: after the app is uninstalled in Pipedrive (every refresh token revoked)
// the next command stops with exit 9 and says to log in again; logout forgets the login.
func TestLoginRevoked(t *testing.T) {
	dir, sb := oauthWorkspace(t, time.Second, 0)
	if _, lerr, code := loginFerry(t, dir); code != 0 {
		t.Fatalf("login: %s", lerr)
	}
	sb.RevokeAll()
	time.Sleep(1100 * time.Millisecond)
	_, errOut, code := runFerry(t, "plan", "-w", dir)
	if code != exitLogin || !strings.Contains(errOut, "run ferry login pipedrive, then the same command") {
		t.Errorf("plan with a revoked login: exit %d, %s", code, errOut)
	}
	if lout, lerr, code := runFerry(t, "logout", "pipedrive", "-w", dir); code != 0 || !strings.Contains(lout, "Logged out") {
		t.Errorf("logout: exit %d %s %s", code, lout, lerr)
	}
	store, key, _ := loginStore(dir)
	if _, err := store.Load(key); err == nil {
		t.Error("the login is still stored after logout")
	}
	if lout, _, code := runFerry(t, "logout", "pipedrive", "-w", dir); code != 0 || !strings.Contains(lout, "Not logged in") {
		t.Errorf("second logout: exit %d %s", code, lout)
	}
}

func TestLoginUsage(t *testing.T) {
	dir, _ := oauthWorkspace(t, time.Hour, 0)
	if _, errOut, code := runFerry(t, "login", "klipy", "-w", dir); code != exitUsage || !strings.Contains(errOut, "only pipedrive") {
		t.Errorf("login klipy: exit %d %s", code, errOut)
	}
	t.Setenv(oauth.EnvClientSecret, "")
	if _, errOut, code := runFerry(t, "login", "pipedrive", "-w", dir); code != exitUsage || !strings.Contains(errOut, oauth.EnvClientSecret) {
		t.Errorf("login without the app: exit %d %s", code, errOut)
	}
}

// TestOAuthWallTimeAgainstAPIToken measures one workspace migrated twice against a growth
// plan sandbox with its limits on: with the API token (40 requests per 2 s) and with OAuth
// (160). It is a measurement (about a minute), run with FERRY_OAUTH_BENCH=1; the issue asks
// for OAuth at no more than 30% of the API token's wall time, with no 429.
func TestOAuthWallTimeAgainstAPIToken(t *testing.T) {
	if os.Getenv("FERRY_OAUTH_BENCH") == "" {
		t.Skip("measurement: set FERRY_OAUTH_BENCH=1 to migrate one workspace with an API token and with OAuth at the growth plan's limits")
	}
	timed := func(oauthOn bool) (time.Duration, sandbox.Stats) {
		opts := sandbox.Options{Limits: true, Plan: "growth", Seats: 5,
			OAuth: &sandbox.OAuthOptions{ClientID: "bench-app", ClientSecret: "bench-secret", AccessTTL: time.Hour}}
		dir, sb, _ := sandboxWorkspaceOpts(t, 60, 21, opts)
		t.Setenv("FERRY_PIPEDRIVE_BURST", "") // pace at the plan's limit, as in production
		if oauthOn {
			cfgPath := filepath.Join(dir, "ferry.yaml")
			raw, _ := os.ReadFile(cfgPath)
			_ = os.WriteFile(cfgPath, []byte(strings.Replace(string(raw), "auth: api_token", "auth: oauth", 1)), 0o644)
			t.Setenv("PIPEDRIVE_API_TOKEN", "")
			t.Setenv(oauth.EnvClientID, "bench-app")
			t.Setenv(oauth.EnvClientSecret, "bench-secret")
			t.Setenv(oauth.EnvServer, os.Getenv("PIPEDRIVE_BASE_URL"))
			t.Setenv("FERRY_CONFIG_DIR", filepath.Join(t.TempDir(), "config"))
			if _, lerr, code := loginFerry(t, dir); code != 0 {
				t.Fatalf("login: %s", lerr)
			}
		}
		if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
			t.Fatalf("confirm: %s", stderr)
		}
		before := sb.Stats()
		start := time.Now()
		out, stderr, code := runFerry(t, "run", "-w", dir)
		elapsed := time.Since(start)
		if code != 0 && code != exitIncomplete {
			t.Fatalf("run: exit %d\n%s\n%s", code, out, stderr)
		}
		after := sb.Stats()
		after.Requests -= before.Requests
		after.RateLimited -= before.RateLimited
		return elapsed, after
	}
	token, ts := timed(false)
	oauthTime, os2 := timed(true)
	ratio := float64(oauthTime) / float64(token)
	t.Logf("API token: %s, %d requests, %d x 429; OAuth: %s, %d requests, %d x 429; OAuth/API token = %.0f%%",
		token.Round(time.Millisecond), ts.Requests, ts.RateLimited, oauthTime.Round(time.Millisecond), os2.Requests, os2.RateLimited, 100*ratio)
	if ratio > 0.30 || os2.RateLimited > 0 {
		t.Errorf("OAuth took %.0f%% of the API token's wall time with %d x 429; want at most 30%% and none", 100*ratio, os2.RateLimited)
	}
}
