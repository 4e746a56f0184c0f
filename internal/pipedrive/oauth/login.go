package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// LoginOptions tune Authorize.
type LoginOptions struct {
	// Addr is where the redirect listener binds; it must be a loopback address. Empty means
	// 127.0.0.1:0 (a free port). Register http://ADDR/callback as the app's callback URL.
	Addr string
	// Show is called with the authorization URL once the listener is up (print it, open a browser).
	Show func(authURL string) error
	// Timeout bounds the wait for the browser to come back; 0 means 10 minutes.
	Timeout time.Duration
	// HTTPClient makes the token request; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Authorize runs the authorization-code flow with state and PKCE and returns the login; the
// caller stores it. Errors name the step that failed and never carry a token.
func Authorize(ctx context.Context, app App, opts LoginOptions) (Login, error) {
	ln, err := listenLoopback(opts.Addr)
	if err != nil {
		return Login{}, err
	}
	defer ln.Close()
	redirect := "http://" + ln.Addr().String() + "/callback"
	state, verifier := randomString(), oauth2.GenerateVerifier()
	cfg := app.config(redirect)
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	got := make(chan callback, 1)
	srv := &http.Server{Handler: callbackHandler(state, got), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	if opts.Show != nil {
		if err := opts.Show(authURL); err != nil {
			return Login{}, err
		}
	}
	cb, err := waitCallback(ctx, got, opts.Timeout)
	if err != nil {
		return Login{}, err
	}
	tctx := context.WithValue(ctx, oauth2.HTTPClient, httpClientOr(opts.HTTPClient))
	tok, err := cfg.Exchange(tctx, cb.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Login{}, fmt.Errorf("oauth: exchange the authorization code at %s/oauth/token: %s", app.Server, describe(err))
	}
	return newLogin(app, tok, opts.Now)
}

// newLogin checks the token answer and builds the login from it.
func newLogin(app App, tok *oauth2.Token, now func() time.Time) (Login, error) {
	domain, _ := tok.Extra("api_domain").(string)
	domain = strings.TrimRight(strings.TrimSpace(domain), "/")
	if u, err := url.Parse(domain); err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname()))) {
		return Login{}, fmt.Errorf("oauth: the token answer's api_domain %q is not an https URL of a Pipedrive account", domain)
	}
	if tok.RefreshToken == "" {
		return Login{}, errors.New("oauth: the token answer has no refresh_token, so the login could not outlive the first hour")
	}
	scope, _ := tok.Extra("scope").(string)
	if now == nil {
		now = time.Now
	}
	return Login{ClientID: app.ClientID, APIDomain: domain, Scope: scope,
		Token: &oauth2.Token{AccessToken: tok.AccessToken, TokenType: tok.TokenType,
			RefreshToken: tok.RefreshToken, Expiry: tok.Expiry},
		Updated: now().UTC()}, nil
}

// callback is what the browser brought back.
type callback struct {
	code string
	err  error
}

// callbackHandler answers the redirect: it checks state and hands the code (or the refusal) to got once.
func callbackHandler(state string, got chan<- callback) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var cb callback
		switch {
		case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1:
			cb.err = errors.New("oauth: the browser came back with a wrong state (a stale or forged redirect); run ferry login pipedrive again")
		case q.Get("error") != "":
			cb.err = fmt.Errorf("oauth: Pipedrive refused the login: %s", q.Get("error"))
		case q.Get("code") == "":
			cb.err = errors.New("oauth: the browser came back without an authorization code")
		default:
			cb.code = q.Get("code")
		}
		writePage(w, cb.err)
		select {
		case got <- cb:
		default:
		}
	})
}

// writePage tells the person in the browser what happened.
func writePage(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	msg := "ferry is logged in to Pipedrive. You can close this tab and go back to the terminal."
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		msg = err.Error()
	}
	fmt.Fprintf(w, "<!doctype html><title>ferry</title><p>%s</p>\n", html.EscapeString(msg))
}

// waitCallback waits for the redirect, the context or the timeout.
func waitCallback(ctx context.Context, got <-chan callback, timeout time.Duration) (callback, error) {
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case cb := <-got:
		return cb, cb.err
	case <-ctx.Done():
		return callback{}, ctx.Err()
	case <-t.C:
		return callback{}, fmt.Errorf("oauth: no answer from the browser within %s; run ferry login pipedrive again", timeout)
	}
}

// listenLoopback binds the redirect listener; only loopback addresses are allowed.
func listenLoopback(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !isLoopbackHost(host) {
		return nil, fmt.Errorf("oauth: redirect address %q: allowed are loopback addresses like 127.0.0.1:8765", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("oauth: listen for the redirect on %s: %w", addr, err)
	}
	return ln, nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// randomString is 32 random bytes, base64url.
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func httpClientOr(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return http.DefaultClient
}

// describe summarizes a token-endpoint error without the response body's tokens.
func describe(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		s := fmt.Sprintf("HTTP %d", re.Response.StatusCode)
		if re.ErrorCode != "" {
			s += " " + re.ErrorCode
		}
		if re.ErrorDescription != "" {
			s += ": " + re.ErrorDescription
		}
		return s
	}
	return err.Error()
}
