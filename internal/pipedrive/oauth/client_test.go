package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"ferry/internal/pipedrive"
)

// TestClientRunsAcrossExpiries drives the Pipedrive client with a Source over several
// access-token lifetimes from concurrent goroutines: no call fails.
func TestClientRunsAcrossExpiries(t *testing.T) {
	sb, srv, app := oauthSandbox(t, time.Second)
	src, _ := loggedIn(t, app)
	c, err := pipedrive.New(pipedrive.Config{BaseURL: src.APIDomain(), Tokens: src, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	deadline := time.Now().Add(3500 * time.Millisecond)
	calls := 0
	var mu sync.Mutex
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := c.Me(ctx); err != nil {
					errs <- err
				}
				mu.Lock()
				calls++
				mu.Unlock()
				time.Sleep(25 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("call failed: %v", err)
	}
	_, refreshes := sb.OAuthCounts()
	if refreshes < 3 {
		t.Errorf("%d refreshes in 3.5 s of 1-second tokens", refreshes)
	}
	if got := sb.Stats().Endpoints["GET /api/v1/users/me"].Status["200"]; got != calls {
		t.Errorf("sandbox answered 200 to %d of %d calls", got, calls)
	}
	_ = srv
}

// TestClientRefreshesOn401: an access token revoked early is refreshed after the 401 and the
// call is sent again.
func TestClientRefreshesOn401(t *testing.T) {
	_, srv, app := oauthSandbox(t, time.Hour)
	src, _ := loggedIn(t, app)
	c, err := pipedrive.New(pipedrive.Config{BaseURL: src.APIDomain(), Tokens: src, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok, _ := src.Token(ctx)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/revoke", strings.NewReader(url.Values{"token": {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(app.ClientID, app.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := c.Me(ctx); err != nil {
		t.Fatalf("call after the access token was revoked: %v", err)
	}
	if again, _ := src.Token(ctx); again == tok {
		t.Error("the rejected token is still handed out")
	}
}

// TestClientStopsWhenLoginRevoked: a revoked refresh token ends the call with
// ErrLoginRequired, which tells the user what to do.
func TestClientStopsWhenLoginRevoked(t *testing.T) {
	sb, _, app := oauthSandbox(t, time.Second)
	src, _ := loggedIn(t, app)
	c, err := pipedrive.New(pipedrive.Config{BaseURL: src.APIDomain(), Tokens: src, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sb.RevokeAll()
	time.Sleep(1100 * time.Millisecond)
	_, err = c.Me(context.Background())
	if !errors.Is(err, ErrLoginRequired) || !strings.Contains(err.Error(), "run ferry login pipedrive, then the same command") {
		t.Fatalf("err = %v", err)
	}
	if c.BurstLimit() != 1000 {
		t.Errorf("burst %d", c.BurstLimit())
	}
}

// TestClientUsesOAuthBurst: without an override the client paces at the plan's OAuth limit.
func TestClientUsesOAuthBurst(t *testing.T) {
	_, _, app := oauthSandbox(t, time.Hour)
	src, _ := loggedIn(t, app)
	for plan, want := range map[string]int{"lite": 80, "growth": 160, "premium": 400, "ultimate": 480} {
		c, err := pipedrive.New(pipedrive.Config{BaseURL: src.APIDomain(), Tokens: src, Plan: plan})
		if err != nil {
			t.Fatal(err)
		}
		if c.BurstLimit() != want {
			t.Errorf("%s: burst %d, want %d", plan, c.BurstLimit(), want)
		}
	}
}
