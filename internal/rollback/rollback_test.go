package rollback

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rollbackAll runs a whole-migration rollback with a fresh client and checks its proof.
func (f *fixture) rollbackAll(ctx context.Context) Result {
	f.t.Helper()
	c := f.client()
	res, err := Run(ctx, Config{Client: c, Store: f.store})
	if err != nil {
		f.t.Fatalf("rollback: %v", err)
	}
	if len(res.Failed) > 0 || len(res.NotUndoable) > 0 {
		f.t.Fatalf("rollback failed undos: %+v, not undoable: %+v", res.Failed, res.NotUndoable)
	}
	return res
}

// checkRestored compares the sandbox with its state before the migration, item by item and
// field by field, from the sandbox's own snapshot.
func (f *fixture) checkRestored() {
	f.t.Helper()
	if diff := cmp.Diff(f.before, f.view()); diff != "" {
		f.t.Errorf("sandbox after rollback differs from before the migration (-before +after):\n%s", diff)
	}
}

func (f *fixture) checkProof(ctx context.Context, runID int64) Proof {
	f.t.Helper()
	p, err := Load(ctx, f.store, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	pr, err := Prove(ctx, f.client(), p, 0, runID)
	if err != nil {
		f.t.Fatal(err)
	}
	if !pr.Holds() || pr.Checked == 0 {
		f.t.Errorf("proof does not hold: checked %d, passed %d, mismatches %+v", pr.Checked, pr.Passed, pr.Mismatches)
	}
	return pr
}

// TestRollbackRestoresSandbox: a full migration into a sandbox that already held data (some
// of which ferry merged into), then a rollback, leaves the sandbox exactly as before; a
// second rollback makes no write.
func TestRollbackRestoresSandbox(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 30, 7)
	during := f.view()
	for _, coll := range []string{"persons", "organizations", "deals", "activities", "notes", "files", "pipelines", "stages"} {
		if during.count(coll) <= f.before.count(coll) {
			t.Errorf("the migration created no %s (%d before, %d after): the test would prove nothing", coll, f.before.count(coll), during.count(coll))
		}
	}
	p, err := Load(ctx, f.store, 0)
	if err != nil {
		t.Fatal(err)
	}
	est := EstimateCost(p, 60000)
	res := f.rollbackAll(ctx)
	if est.UndoTokens+est.GuardTokens != int64(res.Stats.Tokens) || est.Steps != res.Pending {
		t.Errorf("estimate %d+%d tokens for %d undos and the guard's read; the rollback spent %d on %d", est.UndoTokens, est.GuardTokens, est.Steps, res.Stats.Tokens, res.Pending)
	}
	t.Logf("undone %v: %d requests, %d tokens (estimate %d + %d for the proof, %.3f days)", Counts(p.Pending), res.Stats.Requests, res.Stats.Tokens, est.UndoTokens, est.ProofTokens, est.Days)
	if res.Undone == 0 || res.Undone != res.Pending {
		t.Errorf("undone %d of %d pending", res.Undone, res.Pending)
	}
	f.checkRestored()
	pr := f.checkProof(ctx, res.RunID)
	if pr.ByCategory[CatFieldOption] == nil || pr.ByCategory[CatFieldOption].Deleted != 2 {
		t.Errorf("proof of field options %+v, want the 2 options added to the existing field gone", pr.ByCategory[CatFieldOption])
	}
	if pr.ByCategory[CatPerson].Restored != 2 || pr.ByCategory[CatOrg].Restored != 1 {
		t.Errorf("proof restored persons %+v, organizations %+v; want 2 and 1", pr.ByCategory[CatPerson], pr.ByCategory[CatOrg])
	}
	w := writes(f.sb)
	again := f.rollbackAll(ctx)
	if n := writes(f.sb) - w; n != 0 || again.Pending != 0 {
		t.Errorf("second rollback: %d pending, %d writes; want 0 and 0", again.Pending, n)
	}
	f.checkRestored()
	runs, err := f.store.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if runs[0].Kind != RunKind || runs[0].Status != "done" {
		t.Errorf("latest run = %+v, want a done rollback", runs[0])
	}
}

// TestRollbackResumes stops the rollback after n undos (context cancellation, as Ctrl-C or a
// crash mid-flight would), then resumes it; every variant ends in the state before the
// migration, with no undo sent twice beyond the one in flight.
func TestRollbackResumes(t *testing.T) {
	for _, n := range []int{1, 7, 40, 95} {
		t.Run(fmt.Sprintf("stop after %d", n), func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, 20, 11)
			p, err := Load(ctx, f.store, 0)
			if err != nil {
				t.Fatal(err)
			}
			stopAt := min(n, len(p.Pending)-1)
			cctx, cancel := context.WithCancel(ctx)
			res, err := Run(cctx, Config{Client: f.client(), Store: f.store, Progress: func(ev Event) {
				if ev.Done == stopAt {
					cancel()
				}
			}})
			cancel()
			if !errors.Is(err, context.Canceled) || res.Undone != stopAt {
				t.Fatalf("stopped rollback: undone %d (want %d), err %v", res.Undone, stopAt, err)
			}
			runs, _ := f.store.Runs(ctx)
			if runs[0].Status != "stopped" {
				t.Errorf("stopped rollback run status %q, want stopped", runs[0].Status)
			}
			rest := f.rollbackAll(ctx)
			if rest.Pending != len(p.Pending)-stopAt {
				t.Errorf("resumed with %d pending, want %d", rest.Pending, len(p.Pending)-stopAt)
			}
			f.checkRestored()
			f.checkProof(ctx, rest.RunID)
		})
	}
}
