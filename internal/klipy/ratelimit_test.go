package klipy_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy"
	"ferry/internal/klipy/sandbox"
)

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// TestPacingKeepsUnderTheLimit extracts with Klipy's real limits on a fake clock: the
// client's pacing must avoid every 429 and take at least 0.3 s of clock per request.
func TestPacingKeepsUnderTheLimit(t *testing.T) {
	clock := &fakeClock{now: t0}
	src := synthetic(240, 8)
	s, base, key := serve(t, "new", src, func(o *sandbox.Options) { o.Limits, o.Now = true, clock.Now })
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 2, RatePerMinute: 200, Clock: clock, Workers: 1})
	m := newMemStore()
	xs, err := klipy.Extract(context.Background(), c, m, m.emit)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want(src), got(m)); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
	st := s.Stats()
	if xs.Requests != st.Requests || xs.RateLimited != 0 {
		t.Errorf("Extract counted %d requests (%d limited), the sandbox %d", xs.Requests, xs.RateLimited, st.Requests)
	}
	if st.RateLimited != 0 || st.Requests < 250 {
		t.Errorf("sandbox saw %d requests, %d rate limited; want over 250 and none limited", st.Requests, st.RateLimited)
	}
	if elapsed, min := clock.Now().Sub(t0), time.Duration(st.Requests-1)*300*time.Millisecond; elapsed < min {
		t.Errorf("%d requests took %v of clock; 200 a minute needs at least %v", st.Requests, elapsed, min)
	}
}

// TestRateLimitHeadersHoldBack uses a tiny per-key limit without client pacing: the client
// must stop when X-RateLimit-Remaining reaches 0, wait for the reset, and get everything.
func TestRateLimitHeadersHoldBack(t *testing.T) {
	clock := &fakeClock{now: t0}
	src := synthetic(40, 5)
	s, base, key := serve(t, "old", src, func(o *sandbox.Options) {
		o.Limits, o.Now, o.KeyLimit = true, clock.Now, 5
	})
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 10, Clock: clock, Workers: 1})
	m := newMemStore()
	if _, err := klipy.Extract(context.Background(), c, m, m.emit); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want(src), got(m)); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
	st := s.Stats()
	windows := time.Duration((st.Requests - 1) / 5)
	if st.RateLimited != 0 || clock.Now().Sub(t0) < windows*time.Minute {
		t.Errorf("%d requests, %d limited, %v of clock; want none limited and at least %v", st.Requests, st.RateLimited, clock.Now().Sub(t0), windows*time.Minute)
	}
}

// TestRetryAfter429 answers 429 a few times before letting requests through to a sandbox
// and checks the client waits what the server asked, or gives up with ErrRateLimited.
func TestRetryAfter429(t *testing.T) {
	for _, tc := range []struct {
		name     string
		headers  map[string]string
		refusals int
		retries  int
		wantWait time.Duration
		wantErr  error
	}{
		{"seconds", map[string]string{"Retry-After": "7"}, 2, 0, 14 * time.Second, nil},
		{"http date", map[string]string{"Retry-After": t0.Add(90 * time.Second).Format(http.TimeFormat)}, 1, 0, 90 * time.Second, nil},
		{"reset only", map[string]string{"X-RateLimit-Reset": "30", "X-RateLimit-Remaining": "0"}, 1, 0, 30 * time.Second, nil},
		{"no header", nil, 2, 0, 1500 * time.Millisecond, nil},
		{"gives up", map[string]string{"Retry-After": "1"}, 100, 3, 3 * time.Second, klipy.ErrRateLimited},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{now: t0}
			_, base, key := serve(t, "new", synthetic(5, 2), nil)
			target := strings.TrimSuffix(base, "/api/v1")
			var seen atomic.Int64
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if seen.Add(1) <= int64(tc.refusals) {
					for k, v := range tc.headers {
						w.Header().Set(k, v)
					}
					w.WriteHeader(http.StatusTooManyRequests)
					_, _ = w.Write([]byte(`{"object":"error","error":{"code":"rate_limited","message":"slow down"}}`))
					return
				}
				proxy(w, r, target)
			}))
			defer hs.Close()
			c := newClient(t, klipy.Config{BaseURL: hs.URL + "/api/v1", APIKey: key, Generation: klipy.GenNew, Clock: clock, MaxRetries: tc.retries})
			_, err := c.QueryPeople(context.Background(), "")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("QueryPeople: %v, want %v", err, tc.wantErr)
			}
			if waited := clock.Now().Sub(t0); waited != tc.wantWait {
				t.Errorf("waited %v, want %v", waited, tc.wantWait)
			}
			wantLimited := int64(tc.refusals)
			if tc.wantErr != nil {
				wantLimited = int64(tc.retries) + 1
			}
			if got := c.Stats().RateLimited; got != wantLimited {
				t.Errorf("Stats().RateLimited = %d, want %d", got, wantLimited)
			}
		})
	}
}

// proxy forwards r to target and copies the answer back.
func proxy(w http.ResponseWriter, r *http.Request, target string) {
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), r.Body)
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		_, _ = w.Write(buf[:n])
		if err != nil {
			return
		}
	}
}

// TestTransientErrorsAreRetried answers 503 twice, then passes.
func TestTransientErrorsAreRetried(t *testing.T) {
	clock := &fakeClock{now: t0}
	_, base, key := serve(t, "old", synthetic(5, 2), nil)
	target := strings.TrimSuffix(base, "/api/v1")
	var seen atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= 2 {
			http.Error(w, "upstream busy", http.StatusServiceUnavailable)
			return
		}
		proxy(w, r, target)
	}))
	defer hs.Close()
	c := newClient(t, klipy.Config{BaseURL: hs.URL + "/api/v1", APIKey: key, Generation: klipy.GenOld, Clock: clock})
	p, err := c.QueryPeople(context.Background(), "")
	if err != nil || len(p.Records) != 5 {
		t.Fatalf("QueryPeople after two 503s: %d records, %v", len(p.Records), err)
	}
	if st := c.Stats(); st.Retries != 2 || st.Requests != 3 {
		t.Errorf("stats %+v, want 2 retries of 3 requests", st)
	}
}

// TestSandbox429RetryAfter lets one client spend the key's window; a second client with the
// same key knows nothing of it, gets the sandbox's 429 and waits its Retry-After.
func TestSandbox429RetryAfter(t *testing.T) {
	clock := &fakeClock{now: t0.Add(10 * time.Second)}
	s, base, key := serve(t, "new", synthetic(5, 2), func(o *sandbox.Options) {
		o.Limits, o.Now, o.KeyLimit = true, clock.Now, 3
	})
	a := newClient(t, klipy.Config{BaseURL: base, APIKey: key, Generation: klipy.GenNew, Clock: clock})
	for range 3 {
		if _, err := a.QueryPeople(context.Background(), ""); err != nil {
			t.Fatal(err)
		}
	}
	b := newClient(t, klipy.Config{BaseURL: base, APIKey: key, Generation: klipy.GenNew, Clock: clock})
	if _, err := b.QueryPeople(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if b.Stats().RateLimited != 1 || s.Stats().RateLimited != 1 {
		t.Errorf("client saw %d 429s, sandbox sent %d; want 1 each", b.Stats().RateLimited, s.Stats().RateLimited)
	}
	if now := clock.Now(); !now.Equal(t0.Add(time.Minute)) {
		t.Errorf("second client went on at %v, want the next window %v (Retry-After 50)", now, t0.Add(time.Minute))
	}
}
