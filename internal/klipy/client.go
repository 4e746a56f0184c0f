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

	mu  sync.Mutex
	gen Generation // resolved generation; GenAuto until Authenticate ran
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
	return &Client{cfg: cfg, pace: newPacer(cfg.Clock, cfg.RatePerMinute), gen: cfg.Generation}, nil
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

// Generation returns the generation in use, detecting it first when configured auto.
func (c *Client) Generation(ctx context.Context) (Generation, error) {
	c.mu.Lock()
	g := c.gen
	c.mu.Unlock()
	if g != GenAuto {
		return g, nil
	}
	a, err := c.Authenticate(ctx)
	return a.Generation, err
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
