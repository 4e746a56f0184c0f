package migrate

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/store"
)

// TestBudgetStopAndResume runs out of the daily token budget mid-run: each run stops with a
// budget error leaving nothing in flight, and after the sandbox's midnight the next run
// continues, until one finishes.
func TestBudgetStopAndResume(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFixtureOpts(t, 60, 17, sandbox.Options{Limits: true, DailyBudget: 900, Burst: -1, SearchBurst: -1, Now: clock})
	ctx := context.Background()
	stops := 0
	for day := 0; ; day++ {
		if day == 5 {
			t.Fatalf("still out of budget after %d days", day)
		}
		rep, err := f.engine(f.store).Run(ctx)
		if err == nil {
			if stops == 0 {
				t.Fatal("the run never ran out of budget: the test proves nothing")
			}
			f.checkSandbox(rep)
			return
		}
		if !errors.Is(err, pipedrive.ErrBudgetExhausted) {
			t.Fatalf("day %d: err = %v, want ErrBudgetExhausted or success", day, err)
		}
		stops++
		f.checkNothingInFlight(t)
		mu.Lock()
		now = now.Add(24 * time.Hour)
		mu.Unlock()
	}
}

// checkNothingInFlight fails when a stop left records in flight or failed.
func (f *fixture) checkNothingInFlight(t *testing.T) {
	for _, k := range Phases() {
		counts, err := f.store.CountMappings(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		if counts[store.InFlight] != 0 || counts[store.Failed] != 0 {
			t.Errorf("%s after the budget stop: %v; want nothing in flight or failed", k, counts)
		}
	}
}
