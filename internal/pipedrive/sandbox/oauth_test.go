package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// oauthServer starts a sandbox with OAuth and a burst limit on, at the growth plan.
func startOAuth(t *testing.T, ttl time.Duration, now func() time.Time) (*Server, *httptest.Server) {
	t.Helper()
	sb := New(Options{Seed: 2, Limits: true, Now: now, OAuth: &OAuthOptions{ClientID: "cid", ClientSecret: "csec", AccessTTL: ttl}})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv
}

// authorizeCode runs /oauth/authorize without following the redirect and returns the code.
func authorizeCode(t *testing.T, base string, q url.Values) (string, *http.Response) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc == nil {
		return "", resp
	}
	return loc.Query().Get("code"), resp
}

// tokenCall posts a form to /oauth/token with the given client credentials.
func tokenCall(t *testing.T, base, id, secret string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestOAuthCodeGrant(t *testing.T) {
	_, srv := startOAuth(t, time.Hour, nil)
	verifier := "a-verifier-of-enough-length-0123456789abcdefghij"
	sum := sha256.Sum256([]byte(verifier))
	redirect := "http://127.0.0.1:9/callback"
	q := url.Values{"client_id": {"cid"}, "redirect_uri": {redirect}, "state": {"st"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	code, resp := authorizeCode(t, srv.URL, q)
	if resp.StatusCode != http.StatusFound || code == "" || !strings.Contains(resp.Header.Get("Location"), "state=st") {
		t.Fatalf("authorize: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	grant := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
	tests := []struct {
		name       string
		id, secret string
		form       url.Values
		status     int
		errCode    string
	}{
		{"no client auth", "", "", grant, 401, "invalid_client"},
		{"wrong secret", "cid", "x", grant, 401, "invalid_client"},
		{"wrong verifier", "cid", "csec", with(grant, "code_verifier", "other"), 400, "invalid_grant"},
		// the failed try above spent the code: a code is good once
		{"spent code", "cid", "csec", grant, 400, "invalid_grant"},
	}
	for _, tt := range tests {
		status, body := tokenCall(t, srv.URL, tt.id, tt.secret, tt.form)
		if status != tt.status || body["error"] != tt.errCode {
			t.Errorf("%s: %d %v, want %d %s", tt.name, status, body, tt.status, tt.errCode)
		}
	}
	code, _ = authorizeCode(t, srv.URL, q)
	status, body := tokenCall(t, srv.URL, "cid", "csec", with(grant, "code", code))
	if status != 200 || body["token_type"] != "Bearer" || body["api_domain"] != srv.URL || body["expires_in"] != float64(3600) {
		t.Fatalf("token answer %d %v", status, body)
	}
	for _, k := range []string{"access_token", "refresh_token", "scope"} {
		if s, _ := body[k].(string); s == "" {
			t.Errorf("token answer lacks %s", k)
		}
	}
	if _, resp := authorizeCode(t, srv.URL, with(q, "redirect_uri", "https://evil.example/cb")); resp.StatusCode != 400 {
		t.Errorf("a foreign redirect_uri: %d, want 400", resp.StatusCode)
	}
}

func with(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = append([]string(nil), vs...)
	}
	out.Set(k, val)
	return out
}

// loginTokens runs the code grant and returns the access and refresh tokens.
func loginTokens(t *testing.T, base string) (string, string) {
	t.Helper()
	redirect := "http://localhost:9/cb"
	code, _ := authorizeCode(t, base, url.Values{"client_id": {"cid"}, "redirect_uri": {redirect}})
	_, body := tokenCall(t, base, "cid", "csec", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}})
	return body["access_token"].(string), body["refresh_token"].(string)
}

func bearerStatus(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestOAuthExpiryRefreshRevoke(t *testing.T) {
	_, srv := startOAuth(t, time.Second, nil)
	access, refresh := loginTokens(t, srv.URL)
	if s := bearerStatus(t, srv.URL, access); s != 200 {
		t.Fatalf("fresh access token: %d", s)
	}
	time.Sleep(1100 * time.Millisecond)
	if s := bearerStatus(t, srv.URL, access); s != 401 {
		t.Fatalf("expired access token: %d, want 401", s)
	}
	status, body := tokenCall(t, srv.URL, "cid", "csec", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	if status != 200 || body["refresh_token"] != refresh {
		t.Fatalf("refresh: %d %v", status, body)
	}
	renewed := body["access_token"].(string)
	if s := bearerStatus(t, srv.URL, renewed); s != 200 {
		t.Fatalf("refreshed access token: %d", s)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/revoke", strings.NewReader(url.Values{"token": {refresh}, "token_type_hint": {"refresh_token"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("cid", "csec")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("revoke: %v %v", resp, err)
	}
	resp.Body.Close()
	if s := bearerStatus(t, srv.URL, renewed); s != 401 {
		t.Errorf("access token of a revoked login: %d, want 401", s)
	}
	status, body = tokenCall(t, srv.URL, "cid", "csec", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	if status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("refresh after revoke: %d %v, want 400 invalid_grant", status, body)
	}
}

// TestOAuthBurstLimit: bearer tokens get the plan's OAuth burst (growth: 160 per 2 s), API
// tokens keep theirs (40).
func TestOAuthBurstLimit(t *testing.T) {
	frozen := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) // the window never rolls, however slow the machine
	sb, srv := startOAuth(t, time.Hour, func() time.Time { return frozen })
	access, _ := loginTokens(t, srv.URL)
	limit := func(send func() int) int {
		for i := 1; i <= 200; i++ {
			if send() == http.StatusTooManyRequests {
				return i - 1
			}
		}
		return 200
	}
	bearer := limit(func() int { return bearerStatus(t, srv.URL, access) })
	token := limit(func() int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/users/me", nil)
		req.Header.Set("x-api-token", sb.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	})
	if bearer != 160 || token != 40 {
		t.Errorf("burst before 429: OAuth %d (want 160), API token %d (want 40)", bearer, token)
	}
}

// TestOAuthRefreshTokenExpires: a refresh token unused for 60 days is refused.
func TestOAuthRefreshTokenExpires(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	_, srv := startOAuth(t, time.Hour, func() time.Time { return now })
	_, refresh := loginTokens(t, srv.URL)
	now = now.Add(59 * 24 * time.Hour)
	if status, _ := tokenCall(t, srv.URL, "cid", "csec", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}); status != 200 {
		t.Fatalf("refresh after 59 days: %d", status)
	}
	now = now.Add(59 * 24 * time.Hour) // used 59 days ago: still good
	if status, _ := tokenCall(t, srv.URL, "cid", "csec", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}); status != 200 {
		t.Fatalf("refresh 59 days after its last use: %d", status)
	}
	now = now.Add(61 * 24 * time.Hour)
	if status, body := tokenCall(t, srv.URL, "cid", "csec", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}); status != 400 || body["error"] != "invalid_grant" {
		t.Errorf("refresh 61 days after its last use: %d %v", status, body)
	}
}
