package klipy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// Client talks to one Klipy workspace with one API key. It is safe for concurrent use.
type Client struct {
	cfg   Config
	pace  *pacer
	stats clientCounters

	mu       sync.Mutex
	gen      Generation // resolved generation; GenAuto until Authenticate ran
	pageSize int        // current query page size: cfg.PageSize, lowered after a 400 on the limit
}

type clientCounters struct {
	requests, rateLimited, retries atomic.Int64
}

// ClientStats counts a client's requests.
type ClientStats struct {
	Requests    int64 // HTTP requests sent, retries included
	RateLimited int64 // 429 answers
	Retries     int64 // requests repeated after 429, 5xx or a network error
}

// Auth is what GET /authenticate told.
type Auth struct {
	Generation Generation
	TeamName   string
}

// NewClient checks cfg and returns a client; it makes no request.
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if cfg.APIKey == "" {
		return nil, errors.New("klipy api key is empty: set KLIPY_API_KEY (klipy_api_… or klipy_pk_…)")
	}
	if _, err := ParseGeneration(string(cfg.Generation)); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://") {
		return nil, fmt.Errorf("klipy base url %q: want http:// or https://, e.g. %s", cfg.BaseURL, DefaultBaseURL)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Client{cfg: cfg, pace: newPacer(cfg.Clock, cfg.RatePerMinute), gen: cfg.Generation, pageSize: cfg.PageSize}, nil
}

// PageSize is the page size queries use now: Config.PageSize, or less after Klipy refused it.
func (c *Client) PageSize() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pageSize
}

// lowerPageSize lowers the page size from was to to, unless another request lowered it
// already; it reports whether asking again can help.
func (c *Client) lowerPageSize(was, to int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pageSize < was {
		return true // lowered meanwhile: ask again at the new size
	}
	if to < 1 || to >= was {
		return false
	}
	c.pageSize = to
	return true
}

// Stats returns the client's request counters.
func (c *Client) Stats() ClientStats {
	return ClientStats{Requests: c.stats.requests.Load(), RateLimited: c.stats.rateLimited.Load(),
		Retries: c.stats.retries.Load()}
}

// Authenticate calls GET /authenticate and, when the generation is auto, detects it from the
// answer: the new envelope {object, data, meta} or the old {success, data} / bare {team_name}.
// Errors wrap ErrUnauthorized for a rejected key and ErrProtocol for an unknown answer.
func (c *Client) Authenticate(ctx context.Context) (Auth, error) {
	c.mu.Lock()
	g := c.gen
	c.mu.Unlock()
	body, err := c.send(ctx, g, "GET", "/authenticate", nil)
	if err != nil {
		return Auth{}, err
	}
	a, err := parseAuth(g, body)
	if err != nil {
		return Auth{}, fmt.Errorf("klipy GET /authenticate: %w", err)
	}
	c.mu.Lock()
	c.gen = a.Generation
	c.mu.Unlock()
	return a, nil
}

// parseAuth recognises the generation of an /authenticate answer; configured (new or old)
// must match it.
func parseAuth(configured Generation, body []byte) (Auth, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Auth{}, fmt.Errorf("%w: body is not a JSON object: %v", ErrProtocol, err)
	}
	var a Auth
	switch {
	case env.Object != "" && env.Meta != nil:
		a.Generation = GenNew
	case env.Success != nil || env.TeamName != "":
		a.Generation = GenOld
	default:
		return a, fmt.Errorf("%w: neither the current {object, data, meta} nor the old {success, data} or {team_name} answer", ErrProtocol)
	}
	if configured != GenAuto && configured != a.Generation {
		return a, fmt.Errorf("%w: configured for the %s api generation but the server answers as the %s one; set the generation to auto or %s",
			ErrProtocol, configured, a.Generation, a.Generation)
	}
	a.TeamName = env.TeamName
	var data struct {
		TeamName string `json:"team_name"`
	}
	if len(env.Data) > 0 && json.Unmarshal(env.Data, &data) == nil && data.TeamName != "" {
		a.TeamName = data.TeamName
	}
	return a, nil
}

// Identify is Authenticate for keys that may not call it: when /authenticate answers 403 (the
// key lacks the ALL scope), the generation comes from a scoped read (see Generation) and
// TeamName stays empty; ScopedOnly says so. Any other error is Authenticate's.
func (c *Client) Identify(ctx context.Context) (Auth, bool, error) {
	a, err := c.Authenticate(ctx)
	if !errors.Is(err, ErrForbidden) {
		return a, false, err
	}
	g, gerr := c.Generation(ctx)
	if gerr != nil {
		return Auth{}, false, gerr
	}
	return Auth{Generation: g}, true, nil
}

// Generation returns the generation in use, detecting it first when configured auto: from
// GET /authenticate, or, when the key may not call it (Klipy lists Authenticate under the ALL
// scope, which it advises against granting: https://klipy.ai/docs/api/introduction), from the
// envelope of a one-record read the key's scopes do allow (POST /people/query or
// /interactions/query with limit 1). Both generations take the key in the same header
// (X-Klipy-Api-Key and X-KLIPY-API-KEY are one header name), so the probe works for either.
func (c *Client) Generation(ctx context.Context) (Generation, error) {
	c.mu.Lock()
	g := c.gen
	c.mu.Unlock()
	if g != GenAuto {
		return g, nil
	}
	a, err := c.Authenticate(ctx)
	if !errors.Is(err, ErrForbidden) {
		return a.Generation, err
	}
	for _, path := range []string{"/people/query", "/interactions/query"} {
		raw, perr := c.send(ctx, GenAuto, "POST", path, queryBody{Limit: 1})
		if perr != nil {
			continue
		}
		if a, perr = parseAuth(GenAuto, raw); perr == nil {
			c.mu.Lock()
			c.gen = a.Generation
			c.mu.Unlock()
			return a.Generation, nil
		}
	}
	return GenAuto, fmt.Errorf("%w; detecting the api generation from a people or interactions read failed too: "+
		"set source.klipy_api to new or old in ferry.yaml", err)
}

// call sends a request of the resolved generation and decodes its envelope.
func (c *Client) call(ctx context.Context, method, path string, body any) (envelope, Generation, error) {
	g, err := c.Generation(ctx)
	if err != nil {
		return envelope{}, g, err
	}
	raw, err := c.send(ctx, g, method, path, body)
	if err != nil {
		return envelope{}, g, err
	}
	env, err := decodeEnvelope(g, raw)
	if err != nil {
		return env, g, c.redact(fmt.Errorf("klipy %s %s: %w", method, path, err))
	}
	return env, g, nil
}
