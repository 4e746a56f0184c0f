package klipy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxBody bounds the size of one answer.
const maxBody = 64 << 20

// maxTransientRetries bounds the retries after a 5xx or a network error.
const maxTransientRetries = 3

// send makes one logical request: it paces, authenticates, retries 429 after the wait the
// server asks for and 5xx / network errors with backoff, and returns the 2xx body. Its errors
// never contain the API key.
func (c *Client) send(ctx context.Context, g Generation, method, path string, body any) ([]byte, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("klipy %s %s: encode request: %w", method, path, err)
		}
	}
	transient := 0
	for attempt := 0; ; attempt++ {
		if err := c.pace.wait(ctx); err != nil {
			return nil, fmt.Errorf("klipy %s %s: %w", method, path, err)
		}
		status, h, raw, err := c.once(ctx, g, method, path, payload)
		if status == http.StatusTooManyRequests {
			c.stats.rateLimited.Add(1)
		}
		wait, retry := c.classify(ctx, status, h, err, attempt, &transient)
		if !retry {
			if err != nil {
				return nil, c.redact(fmt.Errorf("klipy %s %s: %w", method, path, err))
			}
			if status/100 == 2 {
				return raw, nil
			}
			return nil, c.apiError(method, path, status, raw)
		}
		c.stats.retries.Add(1)
		if err := c.cfg.Clock.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("klipy %s %s: waiting to retry: %w", method, path, err)
		}
	}
}

// classify decides whether an outcome is retried and after how long. A network error or a
// timeout of one request (the HTTP client's, not ctx's) is transient like a 5xx.
func (c *Client) classify(ctx context.Context, status int, h http.Header, err error, attempt int, transient *int) (time.Duration, bool) {
	if attempt >= c.cfg.MaxRetries {
		return 0, false
	}
	switch {
	case err != nil:
		if ctx.Err() != nil {
			return 0, false
		}
	case status == http.StatusTooManyRequests:
		d, ok := retryAfter(h, c.cfg.Clock.Now())
		if !ok {
			d = backoff(attempt)
		}
		c.pace.holdUntil(c.cfg.Clock.Now().Add(d))
		return d, true
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable,
		status == http.StatusGatewayTimeout, status == http.StatusInternalServerError:
	default:
		return 0, false
	}
	if *transient >= maxTransientRetries {
		return 0, false
	}
	*transient++
	return backoff(*transient - 1), true
}

// once sends one HTTP request and reads the whole answer.
func (c *Client) once(ctx context.Context, g Generation, method, path string, payload []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.authorize(req, g)
	c.stats.requests.Add(1)
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	c.pace.observe(resp.Header)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err == nil && len(raw) > maxBody {
		err = fmt.Errorf("answer larger than %d bytes", maxBody)
	}
	return resp.StatusCode, resp.Header, raw, err
}

// authorize sets the key header of generation g. The old generation's header is written in
// its documented spelling, X-KLIPY-API-KEY (HTTP header names are case-insensitive).
func (c *Client) authorize(req *http.Request, g Generation) {
	switch {
	case g == GenOld:
		req.Header["X-KLIPY-API-KEY"] = []string{c.cfg.APIKey}
	case c.cfg.Bearer:
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	default:
		req.Header.Set("X-Klipy-Api-Key", c.cfg.APIKey)
	}
}

// apiError builds the error of a non-2xx answer.
func (c *Client) apiError(method, path string, status int, raw []byte) error {
	b, rid := errorBody(raw)
	e := &APIError{Method: method, Path: path, Status: status, Code: c.scrub(string(b.Code)),
		Message: c.scrub(b.Message), RequestID: rid}
	if d := bytes.TrimSpace(b.Details); len(d) > 0 && string(d) != "null" {
		var buf bytes.Buffer
		if json.Compact(&buf, d) == nil {
			e.Details = c.scrub(buf.String())
		}
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		e.Scope = scopeFor(path)
	}
	return e
}

// scrub removes the API key from text that came from elsewhere (a server may echo it).
func (c *Client) scrub(s string) string {
	if c.cfg.APIKey == "" {
		return s
	}
	return strings.ReplaceAll(s, c.cfg.APIKey, "[redacted]")
}

// redact wraps err so that its text never shows the API key; errors.Is/As still see err.
func (c *Client) redact(err error) error {
	if err == nil || !strings.Contains(err.Error(), c.cfg.APIKey) {
		return err
	}
	return &redactedError{err: err, text: c.scrub(err.Error())}
}

type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }
