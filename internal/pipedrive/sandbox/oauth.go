package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// OAuthOptions turn on the sandbox's OAuth 2.0 server, shaped as Pipedrive documents it
// (openapi-v1.yaml /oauth/authorize, /oauth/token; RFC 7009 revocation at /oauth/revoke per
// Pipedrive's "app uninstallation" guide): an app identified by ClientID/ClientSecret (HTTP
// Basic on the token and revoke endpoints), authorization codes bound to their redirect URI
// and, when the client sent one, to a PKCE S256 challenge, access tokens that expire after
// AccessTTL, refresh tokens that stay valid until revoked, and the token answer's
// api_domain set to the sandbox's own address.
//
// Test mode: /oauth/authorize approves at once (no consent page) and redirects to the
// redirect_uri with code and state, or with error=access_denied when Deny is set. The
// redirect URI must be a loopback http URL (what ferry login uses) unless it equals
// RedirectURI. Bearer access tokens get the plan's OAuth burst limit (four times the API
// token's) in a window per user.
type OAuthOptions struct {
	ClientID     string
	ClientSecret string
	AccessTTL    time.Duration // 0 means 3599 s, the documented example's expires_in; rounded up to seconds
	RedirectURI  string        // a registered non-loopback redirect URI, optional
	Deny         bool          // the user clicks "Cancel"
}

// oauthServer is the state of the OAuth endpoints.
type oauthServer struct {
	opts OAuthOptions
	now  func() time.Time

	mu       sync.Mutex
	codes    map[string]authCode
	access   map[string]accessToken
	refresh  map[string]time.Time // refresh token → when it expires unless used (zero: revoked)
	issued   int                  // access tokens issued, for stats and tests
	refreshs int                  // refresh grants answered
}

type authCode struct {
	redirect  string
	challenge string
	expires   time.Time
}

type accessToken struct {
	refresh string
	expires time.Time
}

func newOAuthServer(opts OAuthOptions, now func() time.Time) *oauthServer {
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = 3599 * time.Second
	}
	// expires_in is whole seconds: a lifetime the answer can state exactly.
	opts.AccessTTL = (opts.AccessTTL + time.Second - 1).Truncate(time.Second)
	return &oauthServer{opts: opts, now: now, codes: map[string]authCode{},
		access: map[string]accessToken{}, refresh: map[string]time.Time{}}
}

// valid reports whether token is an unexpired, unrevoked access token.
func (o *oauthServer) valid(token string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	a, ok := o.access[token]
	return ok && o.now().Before(a.expires) && o.now().Before(o.refresh[a.refresh])
}

// refreshLife is how long a refresh token lives unused (openapi-v1.yaml: "refresh_token will
// expire if it isn't used in 60 days").
const refreshLife = 60 * 24 * time.Hour

// serve answers /oauth/*.
func (o *oauthServer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/oauth/authorize" && r.Method == http.MethodGet:
		o.authorize(w, r)
	case (r.URL.Path == "/oauth/token" || r.URL.Path == "/oauth/token/") && r.Method == http.MethodPost:
		o.token(w, r)
	case r.URL.Path == "/oauth/revoke" && r.Method == http.MethodPost:
		o.revoke(w, r)
	default:
		oauthError(w, http.StatusNotFound, "invalid_request", "unknown OAuth endpoint "+r.Method+" "+r.URL.Path)
	}
}

// authorize approves at once (test mode) and redirects with a code bound to the redirect URI.
func (o *oauthServer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != o.opts.ClientID {
		oauthError(w, http.StatusBadRequest, "invalid_client", "unknown client_id")
		return
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || !o.allowedRedirect(q.Get("redirect_uri"), redirect) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "redirect_uri does not match the app's callback URL")
		return
	}
	back := redirect.Query()
	if s := q.Get("state"); s != "" {
		back.Set("state", s)
	}
	if o.opts.Deny {
		back.Set("error", "access_denied")
	} else {
		if m := q.Get("code_challenge_method"); q.Get("code_challenge") != "" && m != "S256" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "code_challenge_method must be S256")
			return
		}
		code := randomToken(16)
		o.mu.Lock()
		o.codes[code] = authCode{redirect: q.Get("redirect_uri"), challenge: q.Get("code_challenge"),
			expires: o.now().Add(10 * time.Minute)}
		o.mu.Unlock()
		back.Set("code", code)
	}
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (o *oauthServer) allowedRedirect(raw string, u *url.URL) bool {
	if o.opts.RedirectURI != "" && raw == o.opts.RedirectURI {
		return true
	}
	h := u.Hostname()
	return u.Scheme == "http" && (h == "127.0.0.1" || h == "localhost" || h == "::1")
}

// token answers the authorization_code and refresh_token grants.
func (o *oauthServer) token(w http.ResponseWriter, r *http.Request) {
	if !o.clientAuthorized(r) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	var refresh string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		refresh = o.redeemCode(w, r.PostForm)
	case "refresh_token":
		refresh = o.useRefresh(w, r.PostForm.Get("refresh_token"))
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
		return
	}
	if refresh == "" {
		return
	}
	o.issue(w, r, refresh)
}

// redeemCode checks and spends a code; it returns the new refresh token, or "" after writing the error.
func (o *oauthServer) redeemCode(w http.ResponseWriter, form url.Values) string {
	o.mu.Lock()
	c, ok := o.codes[form.Get("code")]
	delete(o.codes, form.Get("code")) // a code is good for one try
	o.mu.Unlock()
	switch {
	case !ok || o.now().After(c.expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the authorization code is invalid or expired")
		return ""
	case form.Get("redirect_uri") != c.redirect:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request's")
		return ""
	case c.challenge != "" && !pkceMatches(form.Get("code_verifier"), c.challenge):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
		return ""
	}
	rt := "1:1:" + randomToken(20)
	o.mu.Lock()
	o.refresh[rt] = o.now().Add(refreshLife)
	o.mu.Unlock()
	return rt
}

// useRefresh checks a refresh token; it returns it, or "" after writing the error.
func (o *oauthServer) useRefresh(w http.ResponseWriter, rt string) string {
	o.mu.Lock()
	ok := o.now().Before(o.refresh[rt])
	if ok {
		o.refreshs++
		o.refresh[rt] = o.now().Add(refreshLife) // each use resets the 60 days
	}
	o.mu.Unlock()
	if !ok {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the refresh token is invalid or revoked")
		return ""
	}
	return rt
}

// issue writes a new access token for refresh, in the documented answer's shape.
func (o *oauthServer) issue(w http.ResponseWriter, r *http.Request, refresh string) {
	at := "v1u:" + randomToken(32)
	o.mu.Lock()
	o.access[at] = accessToken{refresh: refresh, expires: o.now().Add(o.opts.AccessTTL)}
	o.issued++
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": at, "token_type": "Bearer", "refresh_token": refresh,
		"scope": "base", "expires_in": int(o.opts.AccessTTL / time.Second),
		"api_domain": "http://" + r.Host,
	})
}

// revoke invalidates a refresh token (and its access tokens) or an access token, as RFC 7009
// says: 200 even for an unknown token.
func (o *oauthServer) revoke(w http.ResponseWriter, r *http.Request) {
	if !o.clientAuthorized(r) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	t := r.PostForm.Get("token")
	o.mu.Lock()
	if _, ok := o.refresh[t]; ok {
		o.refresh[t] = time.Time{}
	}
	delete(o.access, t)
	o.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// RevokeAll revokes every refresh token, as if the user uninstalled the app in Pipedrive.
func (s *Server) RevokeAll() {
	if s.oauth == nil {
		return
	}
	s.oauth.mu.Lock()
	for rt := range s.oauth.refresh {
		s.oauth.refresh[rt] = time.Time{}
	}
	s.oauth.mu.Unlock()
}

// OAuthCounts returns how many access tokens were issued and refresh grants answered.
func (s *Server) OAuthCounts() (issued, refreshes int) {
	if s.oauth == nil {
		return 0, 0
	}
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	return s.oauth.issued, s.oauth.refreshs
}

func (o *oauthServer) clientAuthorized(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return false
	}
	if u, err := url.QueryUnescape(id); err == nil {
		id = u
	}
	if u, err := url.QueryUnescape(secret); err == nil {
		secret = u
	}
	return subtle.ConstantTimeCompare([]byte(id), []byte(o.opts.ClientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(secret), []byte(o.opts.ClientSecret)) == 1
}

func pkceMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// isBearer reports whether r authenticates with Authorization: Bearer.
func isBearer(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") && r.Header.Get("x-api-token") == ""
}
