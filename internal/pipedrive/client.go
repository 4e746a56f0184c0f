package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"ferry/internal/workspace"
)

// Config configures a Client. BaseURL and Token are required.
type Config struct {
	BaseURL string // "https://{company}.pipedrive.com" or a sandbox's PIPEDRIVE_BASE_URL
	Token   string // API token (x-api-token) or OAuth access token (Bearer); never logged
	OAuth   bool   // send Token as "Authorization: Bearer"
	// Tokens, when set, supplies OAuth access tokens (and Token is not used): asked before
	// every request, told about a 401 so it refreshes, after which the request is sent once
	// more. Implies OAuth (and its burst limits).
	Tokens TokenProvider

	Plan        string        // key of workspace.Plans; sizes the burst window (default "lite")
	Burst       int           // overrides the plan's burst limit when > 0
	SearchBurst int           // search limit per window; default 10
	Window      time.Duration // burst window length; default Pipedrive's 2 s

	DailyBudget int64  // tokens per day; 0 = unknown (only the server's headers can refuse)
	Ledger      Ledger // where spend is recorded; nil = not recorded

	HTTPClient *http.Client  // default: a client without overall timeout
	Timeout    time.Duration // per attempt; default 60 s
	Logger     *slog.Logger  // default: discard
	Clock      Clock         // default: the real clock
	Retry      RetryPolicy
	UserAgent  string // default "ferry"
}

// TokenProvider supplies OAuth access tokens (oauth.Source implements it). Token errors end
// the call (they are returned as they are, e.g. wrapping oauth.ErrLoginRequired).
type TokenProvider interface {
	Token(ctx context.Context) (string, error)
	Invalidate(token string)
}

// Client talks to one Pipedrive company. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	auth    func(ctx context.Context, h http.Header) (string, error)
	tokens  TokenProvider
	http    *http.Client
	timeout time.Duration
	log     *slog.Logger
	clock   Clock
	retry   RetryPolicy
	ua      string
	general *window
	search  *window
	budget  *budget
	count   counters
}

// New checks cfg and returns a Client. Errors name the bad setting and what is allowed.
func New(cfg Config) (*Client, error) {
	base, err := parseBase(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Tokens != nil {
		cfg.OAuth = true
	} else if cfg.Token == "" || strings.ContainsAny(cfg.Token, "\r\n \t") {
		return nil, errors.New("pipedrive: token is empty or contains whitespace: set PIPEDRIVE_API_TOKEN")
	}
	burst, err := burstOf(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{base: base, http: cfg.HTTPClient, timeout: cfg.Timeout, log: cfg.Logger,
		clock: cfg.Clock, retry: cfg.Retry.withDefaults(), ua: cfg.UserAgent}
	c.setDefaults()
	c.auth, c.tokens = authFunc(cfg), cfg.Tokens
	span := cfg.Window
	if span <= 0 {
		span = 2 * time.Second
	}
	sb := cfg.SearchBurst
	if sb <= 0 {
		sb = 10
	}
	c.general = newWindow(c.clock, burst, span)
	c.search = newWindow(c.clock, sb, span)
	c.budget = &budget{clock: c.clock, ledger: cfg.Ledger, log: c.log, daily: cfg.DailyBudget}
	return c, nil
}

// authFunc returns how each request is authenticated: the API token header, a fixed bearer
// token, or a bearer token from cfg.Tokens. It returns the credential it set.
func authFunc(cfg Config) func(ctx context.Context, h http.Header) (string, error) {
	token := cfg.Token
	switch {
	case cfg.Tokens != nil:
		tokens := cfg.Tokens
		return func(ctx context.Context, h http.Header) (string, error) {
			t, err := tokens.Token(ctx)
			if err != nil {
				return "", fmt.Errorf("pipedrive: OAuth access token: %w", err)
			}
			h.Set("Authorization", "Bearer "+t)
			return t, nil
		}
	case cfg.OAuth:
		return func(_ context.Context, h http.Header) (string, error) {
			h.Set("Authorization", "Bearer "+token)
			return token, nil
		}
	}
	return func(_ context.Context, h http.Header) (string, error) {
		h.Set("X-Api-Token", token)
		return token, nil
	}
}

func (c *Client) setDefaults() {
	if c.http == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64 // every goroutine keeps its connection
		// A host that does not answer fails in seconds, not minutes: 3 s to connect (a few
		// quick retries follow, see connectRetries) and 10 s for the TLS handshake.
		t.DialContext = (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		t.TLSHandshakeTimeout = 10 * time.Second
		c.http = &http.Client{Transport: t}
	}
	if c.timeout <= 0 {
		c.timeout = time.Minute
	}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.ua == "" {
		c.ua = "ferry"
	}
}

func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("pipedrive: base URL %q is not an absolute http(s) URL like https://company.pipedrive.com", raw)
	}
	if u.User != nil || u.RawQuery != "" {
		return nil, errors.New("pipedrive: base URL must not carry user info or a query (credentials go in PIPEDRIVE_API_TOKEN)")
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/api/v1"), "/api/v2")
	return u, nil
}

func burstOf(cfg Config) (int, error) {
	if cfg.Burst > 0 {
		return cfg.Burst, nil
	}
	plan := cfg.Plan
	if plan == "" {
		plan = "lite"
	}
	p, ok := workspace.Plans[strings.ToLower(plan)]
	if !ok {
		return 0, fmt.Errorf("pipedrive: unknown plan %q: allowed are lite, growth, premium, ultimate", cfg.Plan)
	}
	if cfg.OAuth {
		return p.BurstOAuth, nil
	}
	return p.BurstToken, nil
}

// BurstLimit returns the current size of the burst window (after header corrections).
func (c *Client) BurstLimit() int { return c.general.size() }

// String describes the configuration without the token, so that printing a Config (%v, %+v)
// never reveals it.
func (cfg Config) String() string {
	return fmt.Sprintf("pipedrive.Config{BaseURL: %q, Token: %s, OAuth: %v, Plan: %q, Burst: %d, DailyBudget: %d}",
		cfg.BaseURL, redact(cfg.Token), cfg.OAuth, cfg.Plan, cfg.Burst, cfg.DailyBudget)
}

// GoString is String, for %#v.
func (cfg Config) GoString() string { return cfg.String() }

func redact(s string) string {
	if s == "" {
		return "unset"
	}
	return "set (redacted)"
}
