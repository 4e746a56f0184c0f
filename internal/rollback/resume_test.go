package rollback

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/store/sqlite"
)

// TestRollbackUnderFaults: with 5xx answers, resets and lost responses (a DELETE applied
// whose answer never came, so its retry meets 404), undos that ran out of retries stay
// pending and the next rollback finishes them; the end state is the state before.
func TestRollbackUnderFaults(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 20, 5)
	f.sb.SetFaults(sandbox.Faults{Rate5xx: 0.15, ResetRate: 0.05, LostResponseRate: 0.1, Seed: 9})
	gone, rounds := 0, 0
	for ; rounds < 12; rounds++ {
		c, err := pipedrive.New(pipedrive.Config{BaseURL: f.url, Token: f.sb.Token(), Burst: 400, Window: 20 * time.Millisecond,
			Retry: pipedrive.RetryPolicy{Instant: true, MaxAttempts: 2}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(ctx, Config{Client: c, Store: f.store})
		if err != nil {
			t.Fatalf("round %d: %v", rounds, err)
		}
		gone += res.AlreadyGone
		if res.Pending == 0 {
			break
		}
	}
	f.sb.SetFaults(sandbox.Faults{})
	t.Logf("%d rounds, %d undos found their item already gone", rounds, gone)
	if rounds < 2 || gone == 0 {
		t.Errorf("faults left nothing to resume (%d rounds) or no lost delete met 404 (%d): the test proves little", rounds, gone)
	}
	f.checkRestored()
	f.checkProof(ctx, 0)
}

// crashPlan is what the parent hands the child process.
type crashPlan struct{ URL, Token, DB string }

// TestRollbackCrash kills a rollback running in a child process with SIGKILL at several
// points (after a number of its writes reached the sandbox), then finishes it in-process:
// the sandbox ends exactly as before the migration.
func TestRollbackCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the crash test starts child processes")
	}
	f := newFixture(t, 20, 17)
	f.sb.SetFaults(sandbox.Faults{Latency: 2 * time.Millisecond})
	planPath := filepath.Join(t.TempDir(), "plan.json")
	data, err := json.Marshal(crashPlan{URL: f.url, Token: f.sb.Token(), DB: f.dbPath})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(planPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	base := writes(f.sb)
	killed := 0
	for _, at := range []int{2, 15, 40, 41, 80} {
		if f.crashChild(planPath, base+at) {
			killed++
		}
		p, err := Load(context.Background(), f.store, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("killed at %d writes: %d undone, %d pending", writes(f.sb)-base, len(p.Done), len(p.Pending))
	}
	t.Logf("%d of 5 children killed mid-rollback", killed)
	if killed < 3 {
		t.Fatalf("only %d of 5 children were killed mid-rollback: the test proves little", killed)
	}
	f.sb.SetFaults(sandbox.Faults{})
	res := f.rollbackAll(context.Background())
	t.Logf("final rollback: %d undos left, %d already gone", res.Pending, res.AlreadyGone)
	f.checkRestored()
	f.checkProof(context.Background(), res.RunID)
}

// crashChild starts the child and kills it once the sandbox has seen at writes in total; it
// reports whether the child was killed rather than finishing first.
func (f *fixture) crashChild(planPath string, at int) bool {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRollbackCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FERRY_ROLLBACK_CRASH_PLAN="+planPath)
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				f.t.Fatalf("child (kill at %d writes) failed on its own: %v", at, err)
			}
			return false
		case <-tick.C:
			if writes(f.sb) >= at {
				_ = cmd.Process.Kill()
				<-done
				return true
			}
		}
	}
}

// TestRollbackCrashChild is the child process of TestRollbackCrash; run alone it does nothing.
func TestRollbackCrashChild(t *testing.T) {
	path := os.Getenv("FERRY_ROLLBACK_CRASH_PLAN")
	if path == "" {
		t.Skip("helper process of TestRollbackCrash: runs only when FERRY_ROLLBACK_CRASH_PLAN is set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var plan crashPlan
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(plan.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := pipedrive.New(pipedrive.Config{BaseURL: plan.URL, Token: plan.Token, Burst: 400, Window: 20 * time.Millisecond,
		Retry: pipedrive.RetryPolicy{Instant: true, MaxAttempts: 12}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Config{Client: c, Store: st}); err != nil {
		t.Fatal(err)
	}
}

// TestRollbackBudget: a rollback that runs out of daily budget (100 tokens: the guard's read
// of what users did, then some undos) stops cleanly (run "stopped",
// ErrBudgetExhausted, nothing marked that did not happen) and a later one finishes it.
func TestRollbackBudget(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 12, 29)
	c, err := pipedrive.New(pipedrive.Config{BaseURL: f.url, Token: f.sb.Token(), Burst: 400, Window: 20 * time.Millisecond,
		DailyBudget: 100, Retry: pipedrive.RetryPolicy{Instant: true, MaxAttempts: 3}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, Config{Client: c, Store: f.store})
	if !errors.Is(err, pipedrive.ErrBudgetExhausted) || res.Undone == 0 || res.Undone >= res.Pending {
		t.Fatalf("rollback on a 100-token budget: undone %d of %d, err %v; want a partial stop on the budget", res.Undone, res.Pending, err)
	}
	if int64(res.Stats.Tokens) > 100 {
		t.Errorf("spent %d tokens of a 100-token budget", res.Stats.Tokens)
	}
	runs, _ := f.store.Runs(ctx)
	if runs[0].Status != "stopped" {
		t.Errorf("run status %q, want stopped", runs[0].Status)
	}
	rest := f.rollbackAll(ctx)
	if rest.Pending != res.Pending-res.Undone {
		t.Errorf("resumed with %d pending, want %d", rest.Pending, res.Pending-res.Undone)
	}
	f.checkRestored()
}
