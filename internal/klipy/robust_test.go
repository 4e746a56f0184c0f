package klipy_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy"
	"ferry/internal/klipy/sandbox"
	"ferry/internal/source"
)

// TestPageSizeBacksOff asks for pages larger than the server allows: the first 400 naming
// the limit lowers the page size to what it names, and everything is extracted.
func TestPageSizeBacksOff(t *testing.T) {
	src := synthetic(50, 5)
	s, base, key := serve(t, "new", src, func(o *sandbox.Options) { o.MaxLimit = 8 })
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 100})
	m := newMemStore()
	if _, err := klipy.Extract(context.Background(), c, m, m.emit); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want(src), got(m)); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
	if c.PageSize() != 8 {
		t.Errorf("page size %d after the 400, want the 8 it named", c.PageSize())
	}
	if n := s.Stats().ByStatus["400"]; n != 1 {
		t.Errorf("%d answers 400, want 1 (the size is remembered): %+v", n, s.Stats())
	}
}

// TestGenerationWithoutAllScope: a key with only the read scopes may not call
// /authenticate; the client must still tell the generation and extract everything.
func TestGenerationWithoutAllScope(t *testing.T) {
	src := synthetic(20, 4)
	for _, api := range []string{"new", "old"} {
		_, base, key := serve(t, api, src, func(o *sandbox.Options) { o.AuthNeedsAll = true },
			sandbox.ScopePeopleRead, sandbox.ScopeInteractionsRead, sandbox.ScopeCompaniesRead)
		c := newClient(t, klipy.Config{BaseURL: base, APIKey: key})
		if _, err := c.Authenticate(context.Background()); !errors.Is(err, klipy.ErrForbidden) {
			t.Fatalf("%s: Authenticate = %v, want 403 (the sandbox needs ALL)", api, err)
		}
		g, err := c.Generation(context.Background())
		if err != nil || string(g) != api {
			t.Fatalf("%s: Generation = %q, %v", api, g, err)
		}
		a, acc, err := newClient(t, klipy.Config{BaseURL: base, APIKey: key}).Probe(context.Background())
		if err != nil || string(a.Generation) != api || len(acc) != 3 {
			t.Fatalf("%s: Probe = %+v, %+v, %v", api, a, acc, err)
		}
		for _, x := range acc {
			if !x.OK {
				t.Errorf("%s: probe says %s is not readable: %v", api, x.Resource, x.Err)
			}
		}
		m := newMemStore()
		if _, err := klipy.Extract(context.Background(), newClient(t, klipy.Config{BaseURL: base, APIKey: key}), m, m.emit); err != nil {
			t.Fatalf("%s: %v", api, err)
		}
		if d := cmp.Diff(want(src), got(m)); d != "" {
			t.Errorf("%s: records (-want +got):\n%s", api, d)
		}
	}
}

// TestResetInMilliseconds: the server gives X-RateLimit-Reset as Unix milliseconds; the
// client must wait for the real reset, not for ever (the old arithmetic overflowed).
func TestResetInMilliseconds(t *testing.T) {
	clock := &fakeClock{now: t0}
	src := synthetic(30, 4)
	_, base, key := serve(t, "new", src, func(o *sandbox.Options) {
		o.Limits, o.Now, o.KeyLimit, o.ResetUnit = true, clock.Now, 4, "ms"
	})
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 10, Clock: clock, Workers: 1})
	m := newMemStore()
	if _, err := klipy.Extract(context.Background(), c, m, m.emit); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want(src), got(m)); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
	if took := clock.Now().Sub(t0); took > 30*time.Minute || took < time.Minute {
		t.Errorf("extraction took %s of clock; want a few one-minute windows", took)
	}
}

// TestExpiredCursorRestarts lets the cursor expire in the middle of the people walk: the walk
// starts over, the snapshot is complete, and each person is counted once.
func TestExpiredCursorRestarts(t *testing.T) {
	clock := &fakeClock{now: t0}
	src := synthetic(40, 5)
	_, base, key := serve(t, "new", src, func(o *sandbox.Options) { o.Now, o.CursorTTL = clock.Now, time.Minute })
	c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 7})
	m := newMemStore()
	pages := 0
	emit := func(recs []source.Record) error {
		if pages++; pages == 3 {
			clock.Sleep(context.Background(), time.Hour) // the walk stalls: its cursor expires
		}
		return m.emit(recs)
	}
	st, err := klipy.Extract(context.Background(), c, m, emit)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want(src), got(m)); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
	if st.CursorRestarts != 1 || st.People != len(src[source.Person]) {
		t.Errorf("restarts %d, people %d; want 1 and %d", st.CursorRestarts, st.People, len(src[source.Person]))
	}

	// A cursor that never lives long enough: a clear error after a few restarts.
	always := func(recs []source.Record) error {
		clock.Sleep(context.Background(), time.Hour)
		return m.emit(recs)
	}
	_, err = klipy.Extract(context.Background(), c, newMemStore(), always)
	if !errors.Is(err, klipy.ErrCursorExpired) || !strings.Contains(err.Error(), "POST /people/query") {
		t.Errorf("Extract = %v, want ErrCursorExpired naming POST /people/query", err)
	}
}

// TestExtractUnderFaults runs extractions against a sandbox that fails with 5xx and hangs
// past the client's timeout: each run either gets the whole snapshot or stops with an
// error naming what failed, never fewer records without an error. A key that expires
// mid-run stops the run with ErrUnauthorized.
func TestExtractUnderFaults(t *testing.T) {
	src := synthetic(60, 6)
	complete, failed := 0, 0
	for seed := range int64(6) {
		_, base, key := serve(t, "new", src, func(o *sandbox.Options) {
			o.Faults = sandbox.Faults{Rate5xx: 0.2, RateTimeout: 0.05, Hang: 300 * time.Millisecond, Seed: seed}
		})
		c := newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 9, Clock: &fakeClock{now: t0},
			HTTPClient: &http.Client{Timeout: 100 * time.Millisecond}})
		m := newMemStore()
		_, err := klipy.Extract(context.Background(), c, m, m.emit)
		if err != nil {
			failed++
			if !strings.Contains(err.Error(), "klipy ") || !strings.Contains(err.Error(), "/") {
				t.Errorf("seed %d: error %q does not name the request", seed, err)
			}
			continue
		}
		complete++
		if d := cmp.Diff(want(src), got(m)); d != "" {
			t.Errorf("seed %d: completed without error but the records differ (-want +got):\n%s", seed, d)
		}
	}
	t.Logf("under 20%% 5xx and 5%% timeouts: %d runs complete, %d stopped with an error", complete, failed)
	if complete == 0 {
		t.Error("no run completed: the client does not retry transient failures")
	}

	_, base, key := serve(t, "old", src, func(o *sandbox.Options) { o.Faults = sandbox.Faults{KeyExpiresAt: 12} })
	m := newMemStore()
	_, err := klipy.Extract(context.Background(), newClient(t, klipy.Config{BaseURL: base, APIKey: key, PageSize: 5}), m, m.emit)
	if !errors.Is(err, klipy.ErrUnauthorized) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired key: Extract = %v, want ErrUnauthorized saying the key expired", err)
	}
}
