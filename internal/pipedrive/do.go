package pipedrive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"ferry/internal/pipedrive/costs"
)

// Request is one API call. Path is the full path of a documented operation
// ("/api/v2/persons/12"); JSON, when set, is encoded as the body, else Body is sent with
// ContentType. NonIdempotent marks a PUT/PATCH/DELETE that must not be re-sent once it may
// have been applied (POST always is).
type Request struct {
	Method        string
	Path          string
	Query         url.Values
	JSON          any
	Body          []byte
	ContentType   string
	NonIdempotent bool
}

// Response is a successful answer.
type Response struct {
	Status   int
	Header   http.Header
	Body     []byte
	Template string // the operation's path template
	Cost     int    // tokens charged
}

// page is the part of both envelopes that Decode and the pagers read.
type page struct {
	Data           json.RawMessage `json:"data"`
	AdditionalData struct {
		NextCursor *string `json:"next_cursor"`
		Pagination *struct {
			More      bool  `json:"more_items_in_collection"`
			NextStart int64 `json:"next_start"`
		} `json:"pagination"`
	} `json:"additional_data"`
}

// Decode unmarshals the envelope's data into v.
func (r *Response) Decode(v any) error {
	var p page
	if err := json.Unmarshal(r.Body, &p); err != nil {
		return fmt.Errorf("pipedrive: %s: decode answer envelope: %w", r.Template, err)
	}
	if err := json.Unmarshal(p.Data, v); err != nil {
		return fmt.Errorf("pipedrive: %s: decode data: %w", r.Template, err)
	}
	return nil
}

// Do makes one call: it prices it, checks the budget, waits for a slot in the burst window,
// sends it and retries it as the package doc describes. Errors: *BudgetError, *APIError,
// *OutcomeUnknownError, a context error, or the last transport error after retries ran out.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	req.Method = strings.ToUpper(req.Method)
	tmpl, cost, ok := costs.Match(req.Method, req.Path)
	if !ok {
		return nil, fmt.Errorf("pipedrive: %s %s is not an operation of Pipedrive's OpenAPI documents, so its token cost is unknown", req.Method, req.Path)
	}
	body, ctype, err := encodeBody(req)
	if err != nil {
		return nil, err
	}
	endpoint := req.Method + " " + tmpl
	idempotent := req.Method != http.MethodPost && !req.NonIdempotent
	win := c.general
	if isSearch(tmpl) {
		win = c.search
	}
	reauthorized := false
	for attempt := 0; ; attempt++ {
		if err := c.budget.reserve(ctx, endpoint, cost); err != nil {
			return nil, err
		}
		resp, o := c.attempt(ctx, endpoint, req, body, ctype, win)
		if o.status == http.StatusUnauthorized && c.tokens != nil && !reauthorized {
			// An access token can expire between Token and the server's check, or be
			// revoked early: refresh once and send again (a 401 applied nothing).
			c.budget.commit(ctx, endpoint, cost, false)
			c.tokens.Invalidate(o.bearer)
			reauthorized = true
			attempt--
			continue
		}
		if err := c.settle(ctx, endpoint, cost, o); err != nil {
			return nil, err
		}
		v := classify(endpoint, idempotent, o, c.retry.BlockWait)
		c.log.Debug("pipedrive call", "endpoint", endpoint, "status", o.status, "cost", cost, "attempt", attempt+1)
		if o.err != nil && !o.ctxDone && v.act == actRetry {
			if kind := connectFailure(o.err); kind != "" {
				if kind == "dns" || kind == "tls" || attempt+1 >= connectRetries {
					return nil, &UnreachableError{Host: c.base.Host, Attempts: attempt + 1, Err: o.err}
				}
				v.wait = 0
			}
		}
		if v.act == actDone {
			if v.err != nil {
				return nil, v.err
			}
			resp.Template, resp.Cost = tmpl, cost
			return resp, nil
		}
		if attempt+1 >= c.retry.MaxAttempts {
			return nil, fmt.Errorf("pipedrive: %s: gave up after %d attempts: %w", endpoint, attempt+1, v.err)
		}
		c.count.retries.Add(1)
		if err := c.waitRetry(ctx, win, v, attempt, endpoint); err != nil {
			return nil, err
		}
	}
}

// settle books an attempt: spend, counters, the server's budget headers. A 429 leaving fewer
// daily tokens than the call costs is a budget refusal, returned as *BudgetError.
func (c *Client) settle(ctx context.Context, endpoint string, cost int, o outcome) error {
	// 429s and edge blocks never reached Pipedrive's accounting; everything else answered is charged.
	charged := o.err == nil && o.status != http.StatusTooManyRequests && (o.apiErr == nil || !o.apiErr.HTML)
	c.budget.commit(ctx, endpoint, cost, charged)
	c.count.note(o, charged, cost)
	c.budget.observe(o.rl)
	if o.status == http.StatusTooManyRequests && o.rl.hasDailyLeft && o.rl.dailyLeft < int64(cost) {
		return c.budget.exhausted(endpoint, cost, o.rl)
	}
	return nil
}

func (c *Client) waitRetry(ctx context.Context, win *window, v verdict, attempt int, endpoint string) error {
	wait := max(v.wait, c.retry.backoff(attempt))
	if v.err != nil && connectFailure(v.err) != "" {
		wait = min(wait, time.Second) // a connect failure is retried quickly or not at all
	}
	c.log.Info(fmt.Sprintf("pipedrive: retry %d/%d in %s", attempt+1, c.retry.MaxAttempts-1, wait.Round(time.Millisecond)),
		"endpoint", endpoint, "reason", v.err)
	if v.pause {
		until := c.clock.Now().Add(wait)
		win.pause(until) // every goroutine waits in acquire, this one too
		if v.blocked {
			c.general.pause(until) // an edge block covers the whole token, searches or not
			c.search.pause(until)
		}
		return nil
	}
	return c.clock.Sleep(ctx, wait)
}

func isSearch(tmpl string) bool {
	return strings.HasSuffix(tmpl, "/search") || strings.Contains(tmpl, "/itemSearch") || strings.HasSuffix(tmpl, "/users/find")
}

func encodeBody(req Request) ([]byte, string, error) {
	if req.JSON == nil {
		return req.Body, req.ContentType, nil
	}
	b, err := json.Marshal(req.JSON)
	if err != nil {
		return nil, "", fmt.Errorf("pipedrive: %s %s: encode JSON body: %w", req.Method, req.Path, err)
	}
	return b, "application/json", nil
}

// attempt sends req once inside a window slot (and a general slot for searches).
func (c *Client) attempt(ctx context.Context, endpoint string, req Request, body []byte, ctype string, win *window) (*Response, outcome) {
	var o outcome
	releases, err := c.slots(ctx, win)
	if err != nil {
		o.err, o.ctxDone = err, true
		return nil, o
	}
	defer func() {
		for _, r := range releases {
			r()
		}
	}()
	hreq, sent, cancel, err := c.newHTTPRequest(ctx, req, body, ctype)
	if err != nil {
		o.err = err
		return nil, o
	}
	if o.bearer, err = c.auth(ctx, hreq.Header); err != nil {
		cancel()
		o.err, o.authErr = err, true
		return nil, o
	}
	defer cancel()
	resp, err := c.http.Do(hreq)
	if err != nil {
		o.err, o.sent, o.ctxDone = scrub(err), sent.Load(), ctx.Err() != nil
		return nil, o
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		o.err, o.sent, o.ctxDone = scrub(err), true, ctx.Err() != nil
		return nil, o
	}
	o.status, o.rl = resp.StatusCode, parseRateHeaders(resp.Header, c.clock.Now())
	win.observe(o.rl)
	if apiErr := checkAnswer(endpoint, resp, data); apiErr != nil {
		o.apiErr = apiErr
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, o
}

// slots takes a slot of win and, for searches, of the general window as well.
func (c *Client) slots(ctx context.Context, win *window) ([]func(), error) {
	r1, err := win.acquire(ctx)
	if err != nil || win == c.general {
		return []func(){r1}, err
	}
	r2, err := c.general.acquire(ctx)
	if err != nil {
		r1()
		return nil, err
	}
	return []func(){r1, r2}, nil
}

func (c *Client) newHTTPRequest(ctx context.Context, req Request, body []byte, ctype string) (*http.Request, *atomic.Bool, context.CancelFunc, error) {
	u := *c.base
	u.Path = c.base.Path + req.Path
	u.RawQuery = req.Query.Encode()
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	sent := new(atomic.Bool)
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteHeaderField: func(string, []string) { sent.Store(true) },
		WroteHeaders:     func() { sent.Store(true) },
	})
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hreq, err := http.NewRequestWithContext(actx, req.Method, u.String(), rd)
	if err != nil {
		cancel()
		return nil, nil, nil, fmt.Errorf("pipedrive: build request %s %s: %w", req.Method, req.Path, err)
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.ua)
	if ctype != "" {
		hreq.Header.Set("Content-Type", ctype)
	}
	return hreq, sent, cancel, nil
}

// checkAnswer returns an *APIError for a non-2xx status or a 2xx envelope with success=false.
func checkAnswer(endpoint string, resp *http.Response, body []byte) *APIError {
	ctype := resp.Header.Get("Content-Type")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return parseError(endpoint, resp.StatusCode, ctype, body)
	}
	if !strings.Contains(ctype, "json") {
		return nil // e.g. a file download
	}
	var env envelope
	if json.Unmarshal(body, &env) == nil && env.Success != nil && !*env.Success {
		return parseError(endpoint, resp.StatusCode, ctype, body)
	}
	return nil
}

// scrub removes the URL (with its query: search terms, never the token) from a transport
// error, keeping the cause for errors.Is.
func scrub(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("pipedrive: %s request failed: %w", ue.Op, ue.Err)
	}
	return err
}
