package pipedrive

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// scripted answers the n-th request (1-based) of each path with steps[n-1], the last step
// repeating.
func scripted(cnt *counter, steps ...func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := cnt.add(r)
		steps[min(n, len(steps))-1](w, r)
	}
}

func ok(w http.ResponseWriter, _ *http.Request) { okData(w, map[string]any{"id": 7}) }

func status(code int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) { failBody(w, code, http.StatusText(code)) }
}

func rateLimited(retryAfter string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("X-Ratelimit-Limit", "20")
		w.Header().Set("X-Ratelimit-Remaining", "0")
		w.Header().Set("X-Ratelimit-Reset", "2")
		failBody(w, 429, "Too many requests")
	}
}

func htmlBlock(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(403)
	_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>blocked</body></html>"))
}

// hangup hijacks the connection and closes it without answering.
func hangup(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestRetryClassification(t *testing.T) {
	type step = func(http.ResponseWriter, *http.Request)
	tests := []struct {
		name      string
		method    string
		steps     []step
		wantCalls int
		wantErr   error         // nil = success
		minWait   time.Duration // fake time that must pass
	}{
		{"GET 429 Retry-After then ok", "GET", []step{rateLimited("5"), ok}, 2, nil, 5 * time.Second},
		{"GET 429 reset header then ok", "GET", []step{rateLimited(""), ok}, 2, nil, 2 * time.Second},
		{"POST 429 is retried (refused before processing)", "POST", []step{rateLimited("1"), ok}, 2, nil, time.Second},
		{"GET 500 retried", "GET", []step{status(500), status(502), ok}, 3, nil, 0},
		{"GET 503 until attempts run out", "GET", []step{status(503)}, 4, &APIError{}, 0},
		{"POST 500 outcome unknown", "POST", []step{status(500), ok}, 1, ErrOutcomeUnknown, 0},
		{"POST 502 outcome unknown", "POST", []step{status(502), ok}, 1, ErrOutcomeUnknown, 0},
		{"GET HTML 403 waits long", "GET", []step{htmlBlock, ok}, 2, nil, 3 * time.Minute},
		{"POST HTML 403 retried", "POST", []step{htmlBlock, ok}, 2, nil, 3 * time.Minute},
		{"GET JSON 403 is final", "GET", []step{status(403), ok}, 1, &APIError{}, 0},
		{"GET 400 final", "GET", []step{status(400), ok}, 1, &APIError{}, 0},
		{"GET 404 not found", "GET", []step{status(404)}, 1, ErrNotFound, 0},
		{"GET 401 unauthorized", "GET", []step{status(401)}, 1, ErrUnauthorized, 0},
		{"GET 429 forever gives up", "GET", []step{rateLimited("1")}, 4, ErrRateLimited, 0},
		{"GET dropped connection retried", "GET", []step{hangup, ok}, 2, nil, 0},
		{"POST dropped connection outcome unknown", "POST", []step{hangup, ok}, 1, ErrOutcomeUnknown, 0},
		{"PATCH dropped connection retried", "PATCH", []step{hangup, ok}, 2, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cnt := &counter{}
			h := newHarness(t, scripted(cnt, tt.steps...), nil)
			t0 := h.clock.Now()
			path := map[string]string{"GET": "/api/v2/persons/7", "POST": "/api/v2/persons", "PATCH": "/api/v2/persons/7"}[tt.method]
			req := Request{Method: tt.method, Path: path}
			if tt.method != "GET" {
				req.JSON = Entity{"name": "n"}
			}
			_, err := h.c.Do(context.Background(), req)
			noToken(t, err)
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err = %v, want success", err)
				}
			case *APIError:
				var ae *APIError
				if !errors.As(err, &ae) {
					t.Fatalf("err = %v, want *APIError", err)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want errors.Is %v", err, want)
				}
			}
			if got := cnt.get(tt.method + " " + path); got != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", got, tt.wantCalls)
			}
			if waited := h.clock.Now().Sub(t0); waited < tt.minWait {
				t.Errorf("waited %v, want at least %v", waited, tt.minWait)
			}
		})
	}
}

func TestOutcomeUnknownErrorShape(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, scripted(cnt, hangup), nil)
	_, err := h.c.CreatePerson(context.Background(), Entity{"name": "n"})
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) {
		t.Fatalf("err = %v, want *OutcomeUnknownError", err)
	}
	if ou.Endpoint != "POST /api/v2/persons" || ou.Status != 0 {
		t.Errorf("got endpoint %q status %d, want POST /api/v2/persons and 0", ou.Endpoint, ou.Status)
	}
	if !strings.Contains(err.Error(), "look the record up") {
		t.Errorf("error does not tell what to do: %v", err)
	}
}

func TestPOSTTimeoutIsOutcomeUnknown(t *testing.T) {
	cnt := &counter{}
	release := make(chan struct{})
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cnt.add(r)
		_, _ = io.ReadAll(r.Body) // lets the server notice the client hanging up
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}), func(c *Config) { c.Timeout = 30 * time.Millisecond })
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	_, err := h.c.CreatePerson(context.Background(), Entity{"name": "n"})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if got := cnt.get("POST /api/v2/persons"); got != 1 {
		t.Errorf("server saw %d creates, want 1", got)
	}
}

func TestPOSTNotSentIsRetried(t *testing.T) {
	// A listener that is closed: every dial is refused, nothing is ever written.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := New(Config{BaseURL: "http://" + addr, Token: testToken, Clock: newFakeClock(), Retry: RetryPolicy{Instant: true, MaxAttempts: 3}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreatePerson(context.Background(), Entity{"name": "n"})
	noToken(t, err)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "3 attempt(s)") {
		t.Fatalf("err = %v, want unreachable after 3 attempts, not outcome-unknown (nothing was sent)", err)
	}
}

func TestCallerCancelDuringPOSTIsOutcomeUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		cancel()
		<-r.Context().Done()
	}), nil)
	_, err := h.c.CreatePerson(ctx, Entity{"name": "n"})
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown wrapping context.Canceled", err)
	}
}

func TestBackoffCappedWithJitter(t *testing.T) {
	p := RetryPolicy{Base: 100 * time.Millisecond, Max: time.Second}.withDefaults()
	for attempt := range 40 {
		full := min(p.Base<<min(attempt, 30), p.Max)
		for range 20 {
			d := p.backoff(attempt)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
	if d := (RetryPolicy{Instant: true}).withDefaults().backoff(5); d != 0 {
		t.Errorf("instant backoff = %v, want 0", d)
	}
}

func TestBlockOnSearchPausesEverything(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cnt.add(r) == 1 && r.URL.Path == "/api/v2/persons/search" {
			htmlBlock(w, r)
			return
		}
		okData(w, map[string]any{"items": []any{}, "id": 1})
	}), nil)
	t0 := h.clock.Now()
	if _, err := h.c.SearchPersons(context.Background(), SearchOptions{Term: "ann"}); err != nil {
		t.Fatal(err)
	}
	h.c.general.mu.Lock()
	until := h.c.general.until
	h.c.general.mu.Unlock()
	if until.Before(t0.Add(3 * time.Minute)) {
		t.Fatalf("general window paused until %v after a blocked search; want ≥ %v", until, t0.Add(3*time.Minute))
	}
}

func TestRefusedAttemptsAreNotCharged(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, scripted(cnt, rateLimited("1"), htmlBlock, ok), nil)
	if _, err := h.c.CreatePerson(context.Background(), Entity{"name": "n"}); err != nil {
		t.Fatal(err)
	}
	row := h.ledger.rows[[2]string{"2026-11-28", "POST /api/v2/persons"}]
	if row.Calls != 1 || row.Tokens != 5 {
		t.Errorf("ledger %+v after 429, 403 block, 200; want 1 call, 5 tokens", row)
	}
	want := Stats{Requests: 3, Retries: 2, RateLimited: 1, Blocked: 1, Tokens: 5}
	if got := h.c.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}
