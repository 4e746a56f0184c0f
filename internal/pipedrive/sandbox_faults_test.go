package pipedrive_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
)

func TestSandboxLostResponseNotResent(t *testing.T) {
	c, sb := newSandbox(t, sandbox.Options{Faults: sandbox.Faults{LostResponseRate: 1, Seed: 1}}, nil)
	_, err := c.CreatePerson(context.Background(), pipedrive.Entity{"name": "Lost"})
	if !errors.Is(err, pipedrive.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if n := sb.Stats().Endpoints["POST /api/v2/persons"].Requests; n != 1 {
		t.Errorf("sandbox saw %d creates, want exactly 1 (never re-sent)", n)
	}
	sb.SetFaults(sandbox.Faults{})
	hits, err := c.SearchPersons(context.Background(), pipedrive.SearchOptions{Term: "Lost", Fields: []string{"name"}, ExactMatch: true})
	if err != nil || len(hits) != 1 {
		t.Errorf("reconcile search = %v, %v; want the applied create found once", hits, err)
	}
}

func TestSandboxBudgetRefusal(t *testing.T) {
	c, sb := newSandbox(t, sandbox.Options{Limits: true, DailyBudget: 12, Burst: -1}, nil)
	ctx := context.Background()
	for i := range 2 {
		if _, err := c.CreatePerson(ctx, pipedrive.Entity{"name": "p"}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	for range 3 {
		_, err := c.CreatePerson(ctx, pipedrive.Entity{"name": "p"})
		var be *pipedrive.BudgetError
		if !errors.As(err, &be) || be.Remaining != 2 {
			t.Fatalf("create beyond budget: err = %v, want *BudgetError with 2 left", err)
		}
	}
	if n := sb.Stats().Endpoints["POST /api/v2/persons"].Requests; n != 2 {
		t.Errorf("sandbox saw %d creates, want 2 (the client knew the budget from the headers)", n)
	}
}

func TestSandboxPacingNo429(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short: takes about 2 s of real time")
	}
	c, sb := newSandbox(t, sandbox.Options{Limits: true, Plan: "lite", Burst: 10}, func(cfg *pipedrive.Config) { cfg.Burst = 10 })
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 15)
	for g := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 {
				if _, err := c.CreatePerson(ctx, pipedrive.Entity{"name": "p" + strconv.Itoa(g*3+i)}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := sb.Stats()
	if st.RateLimited != 0 || st.Endpoints["POST /api/v2/persons"].Requests != 15 {
		t.Errorf("sandbox: %d requests, %d rate limited; want 15 and 0", st.Endpoints["POST /api/v2/persons"].Requests, st.RateLimited)
	}
}

// TestSandboxFaultsNeverDuplicate creates persons through random 429s, 5xx, resets and lost
// responses: every create either succeeds or reports an unknown outcome, and no person is
// ever created twice.
func TestSandboxFaultsNeverDuplicate(t *testing.T) {
	faults := sandbox.Faults{Rate5xx: 0.1, Rate429: 0.1, ResetRate: 0.1, LostResponseRate: 0.1, Seed: 7}
	c, sb := newSandbox(t, sandbox.Options{Faults: faults}, func(cfg *pipedrive.Config) { cfg.Clock = &skipClock{} })
	ctx := context.Background()
	var ok, unknown int
	for i := range 80 {
		_, err := c.CreatePerson(ctx, pipedrive.Entity{"name": "person-" + strconv.Itoa(i)})
		switch {
		case err == nil:
			ok++
		case errors.Is(err, pipedrive.ErrOutcomeUnknown):
			unknown++
		default:
			t.Errorf("create %d: %v (want success or outcome unknown)", i, err)
		}
	}
	sb.SetFaults(sandbox.Faults{})
	names := map[string]int{}
	err := c.ListPersons(ctx, pipedrive.ListOptions{}, func(p []pipedrive.Entity) error {
		for _, e := range p {
			names[e.String("name")]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for n, k := range names {
		if k > 1 {
			t.Errorf("%s created %d times", n, k)
		}
	}
	if len(names) < ok || len(names) > ok+unknown {
		t.Errorf("%d persons exist; want between %d (succeeded) and %d (+ unknown outcomes)", len(names), ok, ok+unknown)
	}
	if unknown == 0 || ok == 0 {
		t.Errorf("ok %d, unknown %d: the fault mix did not exercise both paths", ok, unknown)
	}
	t.Logf("80 creates: %d ok, %d outcome unknown, %d persons exist; client %+v", ok, unknown, len(names), c.Stats())
}

// skipClock is the real clock plus every Sleep, which returns at once: server-directed waits
// (Retry-After) pass instantly.
type skipClock struct {
	mu   sync.Mutex
	skip time.Duration
}

func (c *skipClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.skip)
}

func (c *skipClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.skip += max(d, 0)
	return ctx.Err()
}
