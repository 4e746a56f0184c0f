package pipedrive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"ferry/internal/store"
)

// testToken is the secret every test client uses; no error or log may contain it.
const testToken = "tok-SECRET-5f3c9a1b"

// fakeClock is a Clock whose Sleep advances time instantly.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if d > 0 {
		f.now = f.now.Add(d)
	}
	return nil
}

// memLedger is an in-memory Ledger.
type memLedger struct {
	mu   sync.Mutex
	rows map[[2]string]store.Spend
}

func newMemLedger() *memLedger { return &memLedger{rows: map[[2]string]store.Spend{}} }

func (m *memLedger) AddSpend(_ context.Context, s store.Spend) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := [2]string{s.Day, s.Endpoint}
	r := m.rows[k]
	r.Day, r.Endpoint = s.Day, s.Endpoint
	r.Calls += s.Calls
	r.Tokens += s.Tokens
	m.rows[k] = r
	return nil
}

func (m *memLedger) SpentOn(_ context.Context, day string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for k, r := range m.rows {
		if k[0] == day {
			n += r.Tokens
		}
	}
	return n, nil
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a client against an httptest server with a fake clock and a captured log.
type harness struct {
	c      *Client
	srv    *httptest.Server
	clock  *fakeClock
	logs   *syncBuffer
	ledger *memLedger
}

func newHarness(t *testing.T, h http.Handler, mod func(*Config)) *harness {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	hs := &harness{srv: srv, clock: newFakeClock(), logs: &syncBuffer{}, ledger: newMemLedger()}
	cfg := Config{
		BaseURL: srv.URL, Token: testToken, Plan: "lite", Ledger: hs.ledger,
		Clock:  hs.clock,
		Logger: slog.New(slog.NewTextHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Retry:  RetryPolicy{Instant: true, MaxAttempts: 4, BlockWait: 3 * time.Minute},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs.c = c
	t.Cleanup(func() {
		if s := hs.logs.String(); bytes.Contains([]byte(s), []byte(testToken)) {
			t.Errorf("the API token appears in the log:\n%s", s)
		}
	})
	return hs
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func okData(w http.ResponseWriter, data any) {
	writeJSON(w, 200, map[string]any{"success": true, "data": data})
}

func failBody(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"success": false, "error": msg, "error_info": "Please check developers.pipedrive.com", "data": nil})
}

// counter counts requests by "METHOD path".
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(r *http.Request) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	k := fmt.Sprintf("%s %s", r.Method, r.URL.Path)
	c.n[k]++
	return c.n[k]
}

func (c *counter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}

// noToken fails the test when err's text contains the token.
func noToken(t *testing.T, err error) {
	t.Helper()
	if err != nil && bytes.Contains([]byte(err.Error()), []byte(testToken)) {
		t.Errorf("error reveals the API token: %v", err)
	}
}
