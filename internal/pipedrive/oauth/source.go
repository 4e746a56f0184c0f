package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// ErrLoginRequired is wrapped when there is no usable login: none was made, it belongs to
// another app, or its refresh token was revoked or expired.
var ErrLoginRequired = errors.New("the Pipedrive login is missing, expired or revoked: run ferry login pipedrive, then the same command")

// refreshEarly is how long before its expiry an access token is renewed: a minute, or a
// tenth of the token's lifetime when that is shorter (a sandbox's short-lived tokens).
const refreshEarly = time.Minute

// margin returns how early to renew a token that was obtained at got and expires at exp.
func margin(got, exp time.Time) time.Duration {
	return min(refreshEarly, max(exp.Sub(got)/10, 0))
}

// Source hands out the access token of one stored login, refreshing and storing it as
// needed. It is safe for concurrent use: one refresh at a time, the others wait for it.
type Source struct {
	app   App
	store Store
	key   string
	httpc *http.Client
	now   func() time.Time

	mu    sync.Mutex
	login Login
}

// NewSource loads the login stored under key. Errors wrap ErrLoginRequired when there is
// none (or it was made with another app), else the store's error.
func NewSource(app App, store Store, key string, httpc *http.Client) (*Source, error) {
	l, err := store.Load(key)
	if errors.Is(err, ErrNoLogin) {
		return nil, fmt.Errorf("%w (no login for this workspace in %s)", ErrLoginRequired, store.Where())
	}
	if err != nil {
		return nil, err
	}
	if l.ClientID != app.ClientID {
		return nil, fmt.Errorf("%w (the stored login was made with another OAuth app than %s=%s)", ErrLoginRequired, EnvClientID, app.ClientID)
	}
	if l.Token == nil || l.Token.RefreshToken == "" {
		return nil, fmt.Errorf("%w (the stored login has no refresh token)", ErrLoginRequired)
	}
	return &Source{app: app, store: store, key: key, httpc: httpc, now: time.Now, login: l}, nil
}

// APIDomain is the account's base URL from the login.
func (s *Source) APIDomain() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.login.APIDomain
}

// Token returns a valid access token, refreshing it first when it expires within a minute.
// Errors wrap ErrLoginRequired when the refresh token is refused; a network error reaching
// the OAuth server is returned as such (try again later).
func (s *Source) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.login.Token
	if t.AccessToken != "" && (t.Expiry.IsZero() || s.now().Add(margin(s.login.Updated, t.Expiry)).Before(t.Expiry)) {
		return t.AccessToken, nil
	}
	if err := s.refresh(ctx); err != nil {
		return "", err
	}
	return s.login.Token.AccessToken, nil
}

// Invalidate tells the source that the API rejected token (a 401): the next Token call
// refreshes, unless another request already did.
func (s *Source) Invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.login.Token.AccessToken == token {
		s.login.Token.AccessToken = ""
	}
}

// refresh trades the refresh token for a new access token and stores the login. s.mu is held.
func (s *Source) refresh(ctx context.Context) error {
	cfg := s.app.config("")
	tctx := context.WithValue(ctx, oauth2.HTTPClient, httpClientOr(s.httpc))
	old := *s.login.Token
	old.Expiry = time.Unix(1, 0) // force the refresh: oauth2 would otherwise return it as is
	tok, err := cfg.TokenSource(tctx, &old).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			return fmt.Errorf("%w (refresh refused: %s)", ErrLoginRequired, describe(err))
		}
		return fmt.Errorf("oauth: refresh the access token at %s/oauth/token: %s", s.app.Server, describe(err))
	}
	s.login.Token = &oauth2.Token{AccessToken: tok.AccessToken, TokenType: tok.TokenType,
		RefreshToken: tok.RefreshToken, Expiry: tok.Expiry}
	if s.login.Token.RefreshToken == "" {
		s.login.Token.RefreshToken = old.RefreshToken
	}
	s.login.Updated = s.now().UTC()
	if err := s.store.Save(s.key, s.login); err != nil {
		return fmt.Errorf("oauth: keep the refreshed login (%s): %w", s.store.Where(), err)
	}
	return nil
}
