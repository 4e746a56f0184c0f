package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"ferry/internal/pipedrive/sandbox"
)

// oauthSandbox starts a Pipedrive sandbox with its OAuth server on and returns the app.
func oauthSandbox(t *testing.T, ttl time.Duration) (*sandbox.Server, *httptest.Server, App) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Seed: 1, OAuth: &sandbox.OAuthOptions{
		ClientID: "app-1", ClientSecret: "s3cret-of-the-app", AccessTTL: ttl}})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv, App{ClientID: "app-1", ClientSecret: "s3cret-of-the-app", Server: srv.URL}
}

// browse plays the browser: it follows the authorization URL to ferry's redirect listener.
func browse(t *testing.T) func(string) error {
	return func(u string) error {
		go func() {
			resp, err := http.Get(u)
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}
}

func TestAuthorizeAgainstSandbox(t *testing.T) {
	_, srv, app := oauthSandbox(t, time.Hour)
	var shown string
	l, err := Authorize(context.Background(), app, LoginOptions{Timeout: 10 * time.Second,
		Show: func(u string) error { shown = u; return browse(t)(u) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"code_challenge=", "code_challenge_method=S256", "state=", "client_id=app-1", "redirect_uri=http%3A%2F%2F127.0.0.1"} {
		if !strings.Contains(shown, want) {
			t.Errorf("authorization URL %s lacks %s", shown, want)
		}
	}
	if strings.Contains(shown, app.ClientSecret) {
		t.Error("the authorization URL carries the client secret")
	}
	if l.APIDomain != srv.URL || l.ClientID != "app-1" || l.Token.AccessToken == "" || l.Token.RefreshToken == "" {
		t.Errorf("login = %v (api %q), want api_domain %s and both tokens", l, l.APIDomain, srv.URL)
	}
	if !strings.Contains(l.String(), "redacted") || strings.Contains(l.String(), l.Token.AccessToken) {
		t.Errorf("Login.String shows a token: %s", l.String())
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	_, _, app := oauthSandbox(t, time.Hour)
	tests := []struct {
		name string
		app  App
		show func(*testing.T) func(string) error
		want string
	}{
		{"wrong secret", App{ClientID: app.ClientID, ClientSecret: "nope", Server: app.Server}, browse, "invalid_client"},
		{"forged state", app, func(t *testing.T) func(string) error {
			return func(u string) error {
				return browse(t)(strings.Replace(u, "state=", "state=x", 1))
			}
		}, "wrong state"},
		{"no browser", app, func(*testing.T) func(string) error { return nil }, "no answer from the browser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Authorize(context.Background(), tt.app, LoginOptions{Timeout: 2 * time.Second, Show: tt.show(t)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), app.ClientSecret) {
				t.Error("error shows the client secret")
			}
		})
	}
	if _, err := Authorize(context.Background(), app, LoginOptions{Addr: "0.0.0.0:0"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("a non-loopback listener: err = %v", err)
	}
}

func TestFileStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logins")
	fs := FileStore{Dir: dir}
	if _, err := fs.Load("k"); !errors.Is(err, ErrNoLogin) {
		t.Fatalf("empty store: %v", err)
	}
	l := Login{ClientID: "c", APIDomain: "https://acme.pipedrive.com",
		Token: &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Unix(2e9, 0).UTC()}}
	if err := fs.Save("k", l); err != nil {
		t.Fatal(err)
	}
	got, err := fs.Load("k")
	if err != nil || got.Token.RefreshToken != "r" || !got.Token.Expiry.Equal(l.Token.Expiry) {
		t.Fatalf("load = %v %v", got, err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "k.json"): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v (%v)", path, fi.Mode().Perm(), want, err)
		}
	}
	if err := fs.Delete("k"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Load("k"); !errors.Is(err, ErrNoLogin) {
		t.Errorf("after delete: %v", err)
	}
}

func TestKeyPerWorkspace(t *testing.T) {
	a, _ := Key("/tmp/acme")
	b, _ := Key("/tmp/acme/")
	c, _ := Key("/tmp/globex")
	if a != b || a == c || strings.Contains(a, "acme") {
		t.Errorf("keys %q %q %q: want one per workspace path, not naming it", a, b, c)
	}
}

// loggedIn logs in against the sandbox and returns a Source over a file store.
func loggedIn(t *testing.T, app App) (*Source, FileStore) {
	t.Helper()
	l, err := Authorize(context.Background(), app, LoginOptions{Timeout: 10 * time.Second, Show: browse(t)})
	if err != nil {
		t.Fatal(err)
	}
	fs := FileStore{Dir: t.TempDir()}
	if err := fs.Save("ws", l); err != nil {
		t.Fatal(err)
	}
	src, err := NewSource(app, fs, "ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	return src, fs
}

// TestSourceAcrossExpiries asks for tokens from many goroutines over several access-token
// lifetimes: every request the sandbox sees is authorized, one refresh serves all waiters,
// and each refreshed login is stored at once.
func TestSourceAcrossExpiries(t *testing.T) {
	sb, srv, app := oauthSandbox(t, time.Second)
	src, fs := loggedIn(t, app)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	deadline := time.Now().Add(3500 * time.Millisecond) // more than three lifetimes
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				tok, err := src.Token(ctx)
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/users/me", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, herr := http.DefaultClient.Do(req)
				mu.Lock()
				if err != nil || herr != nil || resp.StatusCode != 200 {
					failed++
				}
				mu.Unlock()
				if resp != nil {
					resp.Body.Close()
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	issued, refreshes := sb.OAuthCounts()
	if failed > 0 {
		t.Errorf("%d requests failed across expiries", failed)
	}
	if refreshes < 3 || refreshes > 8 {
		t.Errorf("%d refreshes over ~3 lifetimes with 8 concurrent callers: want one per lifetime", refreshes)
	}
	stored, err := fs.Load("ws")
	if err != nil || stored.Token.AccessToken != src.login.Token.AccessToken {
		t.Errorf("the last refreshed token was not stored (%v)", err)
	}
	t.Logf("%d access tokens issued, %d refreshes", issued, refreshes)
}

func TestSourceRevokedLogin(t *testing.T) {
	sb, _, app := oauthSandbox(t, time.Second)
	src, _ := loggedIn(t, app)
	sb.RevokeAll()
	time.Sleep(time.Second)
	_, err := src.Token(context.Background())
	if !errors.Is(err, ErrLoginRequired) || !strings.Contains(err.Error(), "ferry login pipedrive") {
		t.Fatalf("err = %v, want ErrLoginRequired telling to log in again", err)
	}
	if strings.Contains(err.Error(), src.login.Token.RefreshToken) {
		t.Error("the error shows the refresh token")
	}
}

func TestSourceInvalidateRefreshes(t *testing.T) {
	_, _, app := oauthSandbox(t, time.Hour)
	src, _ := loggedIn(t, app)
	ctx := context.Background()
	first, _ := src.Token(ctx)
	src.Invalidate("someone else's token")
	if again, _ := src.Token(ctx); again != first {
		t.Fatal("Invalidate of another token refreshed")
	}
	src.Invalidate(first)
	second, err := src.Token(ctx)
	if err != nil || second == first {
		t.Fatalf("after Invalidate: %v, same token %v", err, second == first)
	}
}

func TestNewSourceNeedsLogin(t *testing.T) {
	app := App{ClientID: "c", ClientSecret: "s", Server: "http://127.0.0.1:1"}
	fs := FileStore{Dir: t.TempDir()}
	if _, err := NewSource(app, fs, "none", nil); !errors.Is(err, ErrLoginRequired) {
		t.Errorf("no login: %v", err)
	}
	_ = fs.Save("other", Login{ClientID: "another-app", Token: &oauth2.Token{RefreshToken: "r"}})
	if _, err := NewSource(app, fs, "other", nil); !errors.Is(err, ErrLoginRequired) || !strings.Contains(err.Error(), "another OAuth app") {
		t.Errorf("login of another app: %v", err)
	}
}

func TestAppFromEnv(t *testing.T) {
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	if _, err := AppFromEnv(); !errors.Is(err, ErrNoApp) {
		t.Errorf("no env: %v", err)
	}
	t.Setenv(EnvClientID, "id")
	t.Setenv(EnvClientSecret, "topsecret")
	t.Setenv(EnvServer, "")
	a, err := AppFromEnv()
	if err != nil || a.Server != DefaultServer {
		t.Fatalf("app = %v, %v", a, err)
	}
	if strings.Contains(a.String(), "topsecret") {
		t.Error("App.String shows the secret")
	}
	t.Setenv(EnvServer, "ftp://x")
	if _, err := AppFromEnv(); err == nil {
		t.Error("a non-http OAuth server was accepted")
	}
}

// TestSourceAfterPause: a run that waited three days for the daily budget resumes: the access
// token is long expired, the refresh token (valid 60 days from its last use) renews it.
func TestSourceAfterPause(t *testing.T) {
	_, _, app := oauthSandbox(t, time.Hour)
	src, _ := loggedIn(t, app)
	ctx := context.Background()
	before, _ := src.Token(ctx)
	src.now = func() time.Time { return time.Now().Add(72 * time.Hour) }
	after, err := src.Token(ctx)
	if err != nil || after == before {
		t.Fatalf("after a 3-day pause: %v (same token: %v)", err, after == before)
	}
}
