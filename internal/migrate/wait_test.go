package migrate

import (
	"context"
	"sync"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
)

// fakeClock is a pipedrive.Clock whose Sleep moves time forward at once.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return nil
}

// TestBudgetWaitResumes runs with a daily budget far below the run's cost and WaitForBudget:
// the one Run pauses until each reset on the fake clock (which the sandbox shares) and ends
// complete, every pause followed by a resume at or after its reset.
func TestBudgetWaitResumes(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	f := newFixtureOpts(t, 60, 17, sandbox.Options{Limits: true, DailyBudget: 900, Burst: -1, SearchBurst: -1, Now: clock.Now})
	c, err := pipedrive.New(pipedrive.Config{BaseURL: f.url, Token: f.sb.Token(), Burst: 400, SearchBurst: 400,
		Clock: clock, Retry: pipedrive.RetryPolicy{Instant: true, MaxAttempts: 12}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var pauses []Pause
	e, err := New(Config{Client: c, Store: f.store, Decisions: f.dec, Mapper: testMapper(), Merges: f.merges,
		Workers: 4, FilesRoot: f.harvest, WaitForBudget: true, Clock: clock,
		Progress: func(ev Event) {
			if ev.Pause != nil {
				mu.Lock()
				pauses = append(pauses, *ev.Pause)
				mu.Unlock()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	est, err := e.Estimate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Run(context.Background())
	if err != nil {
		t.Fatalf("run with waiting: %v", err)
	}
	f.checkSandbox(rep)
	if len(pauses) < 2 || len(pauses)%2 != 0 {
		t.Fatalf("pause events %+v: want pairs of pause and resume, at least one", pauses)
	}
	for i := 0; i < len(pauses); i += 2 {
		p, r := pauses[i], pauses[i+1]
		if p.Resumed || !r.Resumed || r.At.Before(p.Until) {
			t.Errorf("pause %d: %+v then %+v: want a pause, then a resume at or after %s", i/2, p, r, p.Until)
		}
	}
	if days := est.Days(900); days < int64(len(pauses)/2) {
		t.Errorf("estimate says %d days (%d tokens) but the run paused %d times", days, est.Tokens, len(pauses)/2)
	}
	t.Logf("estimate %d tokens (%d days at 900), %d pauses, %d tokens spent", est.Tokens, est.Days(900), len(pauses)/2, rep.Stats.Tokens)
}
