package klipy

import (
	"context"
	"ferry/internal/clock"
	"ferry/internal/httpwait"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Clock is the time source of a Client; tests substitute a fake one.
type Clock = clock.Clock

// realClock is the system clock.
type realClock = clock.Real

// pacer spaces requests to the per-key limit and holds them back while the server said the
// window is spent (X-RateLimit-Remaining: 0, or a 429's Retry-After).
type pacer struct {
	clock Clock
	lim   *rate.Limiter // nil when pacing is off

	mu    sync.Mutex
	until time.Time // no request before this
}

func newPacer(clock Clock, perMinute int) *pacer {
	p := &pacer{clock: clock}
	if perMinute > 0 {
		// Burst 1: evenly spaced requests never exceed a fixed per-minute window by more than one,
		// and the X-RateLimit-Remaining check below catches that one.
		p.lim = rate.NewLimiter(rate.Limit(float64(perMinute)/60), 1)
	}
	return p
}

// wait blocks until the next request may go.
func (p *pacer) wait(ctx context.Context) error {
	now := p.clock.Now()
	if p.lim != nil {
		r := p.lim.ReserveN(now, 1)
		if err := p.clock.Sleep(ctx, r.DelayFrom(now)); err != nil {
			r.CancelAt(now)
			return err
		}
	}
	p.mu.Lock()
	until := p.until
	p.mu.Unlock()
	return p.clock.Sleep(ctx, until.Sub(p.clock.Now()))
}

// holdUntil keeps requests back until t.
func (p *pacer) holdUntil(t time.Time) {
	p.mu.Lock()
	if t.After(p.until) {
		p.until = t
	}
	p.mu.Unlock()
}

// observe reads the X-RateLimit-* headers of an answer.
func (p *pacer) observe(h http.Header) {
	if h.Get("X-RateLimit-Remaining") != "0" {
		return
	}
	if t, ok := parseReset(h.Get("X-RateLimit-Reset"), p.clock.Now()); ok {
		p.holdUntil(t)
	}
}

// retryAfter is how long a 429 answer asks to wait: Retry-After (seconds or an HTTP date),
// else X-RateLimit-Reset; ok is false when neither is given.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if d, ok := httpwait.RetryAfter(h.Get("Retry-After"), now, maxHold); ok {
		return d, true
	}
	if t, ok := parseReset(h.Get("X-RateLimit-Reset"), now); ok {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// maxHold bounds how long one X-RateLimit-Reset may hold requests back: Klipy's windows are a
// minute, so a longer wait means the header was misread, not that the client should stall.
const maxHold = 15 * time.Minute

// parseReset reads X-RateLimit-Reset. Klipy names the header but not its unit
// (https://klipy.ai/docs/guides/klipy-api), and APIs give it as a Unix time in seconds or
// milliseconds, or as seconds or milliseconds from now. By size: at least 1e11 is Unix
// milliseconds, at least 1e9 Unix seconds, above 3,600 milliseconds from now (no per-minute
// window resets an hour away), else seconds from now. No value overflows: the result is at
// most maxHold from now.
func parseReset(v string, now time.Time) (time.Time, bool) {
	n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if v == "" || err != nil || n < 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return time.Time{}, false
	}
	var t time.Time
	switch {
	case n >= 1e11:
		t = time.UnixMilli(int64(min(n, 1e15)))
	case n >= 1e9:
		t = time.Unix(int64(n), 0)
	case n > 3600:
		t = now.Add(time.Duration(n) * time.Millisecond)
	default:
		t = now.Add(time.Duration(n * float64(time.Second)))
	}
	if t.Sub(now) > maxHold {
		t = now.Add(maxHold)
	}
	return t, true
}

// backoff is the wait before retry n (0-based) of a transient failure: 0.5 s doubling, at most 30 s.
func backoff(n int) time.Duration {
	d := 500 * time.Millisecond << min(n, 6)
	return min(d, 30*time.Second)
}
