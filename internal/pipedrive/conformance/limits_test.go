package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/pipedrive/spectest"
)

// burst is the sandbox's burst limit in the rate-limit tests (requests per 2 s).
const burst = 5

// count429 counts the exchanges answered 429.
func count429(rec *spectest.Recorder) int {
	n := 0
	for _, ex := range rec.Exchanges() {
		if ex.Status == http.StatusTooManyRequests {
			n++
		}
	}
	return n
}

// TestSandboxEnforcesBurst shows the limit the client is tested against is real: unpaced raw
// requests beyond the burst get 429s carrying Pipedrive's error envelope.
func TestSandboxEnforcesBurst(t *testing.T) {
	e := newEnv(t, sandbox.Options{Limits: true, Burst: burst, Seed: 5})
	r := &raw{env: e, t: t, ids: map[string]string{}, statuses: map[string][]int{}, errors: map[string][]string{}}
	for range 2 * burst {
		r.json("GET", "/api/v1/users/me", nil)
	}
	if n := count429(e.rec); n < burst-1 {
		t.Errorf("%d unpaced requests in a burst of %d got %d 429s, want at least %d", 2*burst, burst, n, burst-1)
	}
	e.rec.Check(t)
}

// TestClientPacesBurst runs more calls than two windows hold, from several goroutines: the
// client must pace them so the sandbox answers (almost) no 429.
func TestClientPacesBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 4 s of pacing")
	}
	e := newEnv(t, sandbox.Options{Limits: true, Burst: burst, Seed: 6})
	c := e.newClient(t, func(cfg *pipedrive.Config) { cfg.Burst = burst })
	const calls = 2*burst + 1
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.CreatePerson(context.Background(), pipedrive.Entity{"name": fmt.Sprintf("paced %d", i)}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("paced create: %v", err)
	}
	elapsed := time.Since(start)
	const tolerance = 1
	if n := count429(e.rec); n > tolerance {
		t.Errorf("client got %d 429s in %d paced calls, tolerance %d", n, calls, tolerance)
	}
	if min := 2 * 2 * time.Second * 9 / 10; elapsed < min {
		t.Errorf("%d calls at %d per 2 s took %v, want at least %v", calls, burst, elapsed, min)
	}
	t.Logf("%d calls in %v, %d 429s", calls, elapsed.Round(time.Millisecond), count429(e.rec))
	e.rec.Check(t)
}

// spent sums the spec's token cost of every answered exchange that was not a 429.
func spent(rec *spectest.Recorder) int {
	n := 0
	for _, ex := range rec.Exchanges() {
		if ex.Status != 0 && ex.Status != http.StatusTooManyRequests && ex.Cost > 0 {
			n += ex.Cost
		}
	}
	return n
}

// TestClientBudget: with a tiny configured daily budget the client refuses, with its typed
// error and without sending, the first call that would exceed it.
func TestClientBudget(t *testing.T) {
	const budget = 20
	e := newEnv(t, sandbox.Options{Seed: 8}) // limits off: no budget headers, only the configured budget
	c := e.newClient(t, func(cfg *pipedrive.Config) { cfg.DailyBudget = budget })
	ctx := context.Background()
	p, err := c.CreatePerson(ctx, pipedrive.Entity{"name": "budgeted"}) // 5 tokens
	if err != nil {
		t.Fatalf("CreatePerson: %v", err)
	}
	var be *pipedrive.BudgetError
	for i := 0; i < budget; i++ {
		before := e.rec.Count()
		_, err = c.GetPerson(ctx, p.ID()) // 1 token each
		if err != nil {
			if e.rec.Count() != before {
				t.Errorf("the refused call was sent anyway")
			}
			break
		}
	}
	if !errors.As(err, &be) || !errors.Is(err, pipedrive.ErrBudgetExhausted) {
		t.Fatalf("after spending the budget: err = %v, want *pipedrive.BudgetError", err)
	}
	if got := spent(e.rec); got != budget {
		t.Errorf("spent %d tokens by the documents' x-token-cost, want exactly the budget %d", got, budget)
	}
	e.rec.Check(t)
}

// TestServerBudget: the client is not told the budget; the sandbox's daily budget runs out
// and its 429 (x-daily-ratelimit-token-remaining: 0) becomes the typed budget error, not a
// retry loop.
func TestServerBudget(t *testing.T) {
	e := newEnv(t, sandbox.Options{Limits: true, DailyBudget: 12, Seed: 9})
	c := e.newClient(t, nil)
	ctx := context.Background()
	var err error
	for i := 0; i < 20 && err == nil; i++ {
		_, err = c.Me(ctx) // 2 tokens each
	}
	if !errors.Is(err, pipedrive.ErrBudgetExhausted) {
		t.Fatalf("after the sandbox's budget ran out: err = %v, want ErrBudgetExhausted", err)
	}
	if n := count429(e.rec); n > 1 {
		t.Errorf("%d 429s sent after the budget ran out, want at most 1 (no retry loop)", n)
	}
	e.rec.Check(t)
}

// TestClientPacesSearch: search endpoints have their own, smaller window (10 per 2 s on every
// plan; 2 here). The client must keep searches inside it while other calls go on.
func TestClientPacesSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 4 s of pacing")
	}
	const searchBurst, searches = 2, 5
	e := newEnv(t, sandbox.Options{Limits: true, Burst: 50, SearchBurst: searchBurst, Seed: 14})
	c := e.newClient(t, func(cfg *pipedrive.Config) { cfg.Burst, cfg.SearchBurst = 50, searchBurst })
	ctx := context.Background()
	start := time.Now()
	for i := range searches {
		opts := pipedrive.SearchOptions{Term: fmt.Sprintf("nobody%d@example.com", i), Fields: []string{"email"}, ExactMatch: true}
		if _, err := c.SearchPersons(ctx, opts); err != nil {
			t.Fatalf("search %d: %v", i, err)
		}
		if _, err := c.Me(ctx); err != nil {
			t.Fatalf("Me: %v", err)
		}
	}
	elapsed := time.Since(start)
	if n := count429(e.rec); n > 0 {
		t.Errorf("%d 429s in %d paced searches", n, searches)
	}
	if min := 2 * 2 * time.Second * 9 / 10; elapsed < min {
		t.Errorf("%d searches at %d per 2 s took %v, want at least %v", searches, searchBurst, elapsed, min)
	}
	e.rec.Check(t)
}
