package rollback

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/pipedrive"
	"ferry/internal/store"
)

// RunKind is the store run kind of a rollback.
const RunKind = "rollback"

// TrashWarning says what a deletion in Pipedrive means.
const TrashWarning = "Pipedrive keeps deleted persons, organizations, deals, activities and files in its trash " +
	"for 30 days (soft delete); they can be restored there until then and are purged afterwards."

// Config configures a rollback. Client and Store are required.
type Config struct {
	Client *pipedrive.Client
	Store  store.Store
	// Scope is the run whose journal is undone; 0 undoes every run (the whole migration).
	Scope int64
	// Progress is called after each undo that was marked; nil is silent.
	Progress func(Event)
	// Force undoes records users changed or attached work to in Pipedrive after the
	// migration too; without it they are kept (Result.Kept).
	Force bool
}

// Event reports one finished undo.
type Event struct {
	Category Category
	Done     int // undos marked so far in this rollback
	Total    int // undos pending when it started
}

// Result is what a rollback did.
type Result struct {
	RunID       int64     `json:"run_id"`
	Scope       int64     `json:"scope"`
	Pending     int       `json:"pending"`      // undos left when it started
	Undone      int       `json:"undone"`       // marked undone by this rollback
	AlreadyGone int       `json:"already_gone"` // of those, items Pipedrive no longer had
	Failed      []Failure `json:"failed"`       // refused undos; they stay pending
	NotUndoable []Failure `json:"not_undoable"` // journal entries with no known undo
	// Reset counts id-map rows put back to pending because what they point at was undone:
	// the next ferry run migrates those records again.
	Reset int `json:"reset"`
	// Kept are the records left alone because users worked on them after the migration;
	// their journal entries stay pending (a later rollback with Force undoes them).
	Kept  []Kept `json:"kept"`
	Stats pipedrive.Stats
}

// Run undoes the pending journal entries of cfg.Scope in reverse dependency order, recording
// a run of kind "rollback". It stops at the first error that stops everything (budget,
// cancellation, rejected token, store) and returns it with what was done so far; the run is
// then "stopped" and a later Run resumes. Other refusals are collected in Result.Failed.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Client == nil || cfg.Store == nil {
		return Result{}, errors.New("rollback: client and store are required")
	}
	plan, err := Load(ctx, cfg.Store, cfg.Scope)
	if err != nil {
		return Result{}, err
	}
	var kept []Kept
	if !cfg.Force {
		if kept, err = keptSteps(ctx, cfg, plan); err != nil {
			return Result{}, err
		}
		plan.Pending = withoutKept(plan.Pending, kept)
	}
	note := "whole migration"
	if cfg.Scope != 0 {
		note = fmt.Sprintf("run %d", cfg.Scope)
	}
	run, err := cfg.Store.StartRun(ctx, RunKind, note)
	if err != nil {
		return Result{}, fmt.Errorf("rollback: start run: %w", err)
	}
	r := &runner{cfg: cfg, res: Result{RunID: run.ID, Scope: cfg.Scope, Pending: len(plan.Pending), NotUndoable: plan.NotUndoable, Kept: kept}}
	err = r.all(ctx, plan.Pending)
	n, rerr := ResetUndone(context.WithoutCancel(ctx), cfg.Store, cfg.Scope, run.ID)
	r.res.Reset = n
	if rerr != nil && err == nil {
		err = rerr
	}
	r.res.Stats = cfg.Client.Stats()
	status := "done"
	switch {
	case err != nil && ctx.Err() != nil, errors.Is(err, pipedrive.ErrBudgetExhausted):
		status = "stopped"
	case err != nil || len(r.res.Failed) > 0:
		status = "failed"
	}
	if ferr := cfg.Store.FinishRun(context.WithoutCancel(ctx), run.ID, status); ferr != nil && err == nil {
		err = fmt.Errorf("rollback: finish run: %w", ferr)
	}
	return r.res, err
}

// keptSteps finds the pending steps of plan whose records users worked on, against every
// item the whole journal says ferry created.
func keptSteps(ctx context.Context, cfg Config, plan Plan) ([]Kept, error) {
	all := plan
	if cfg.Scope != 0 {
		var err error
		if all, err = Load(ctx, cfg.Store, 0); err != nil {
			return nil, err
		}
	}
	ours := map[Category]map[int64]bool{}
	for _, s := range append(append([]Step(nil), all.Pending...), all.Done...) {
		if s.Restore || s.undo.ID == 0 {
			continue
		}
		if ours[s.Category] == nil {
			ours[s.Category] = map[int64]bool{}
		}
		ours[s.Category][s.undo.ID] = true
	}
	return findKept(ctx, cfg.Client, plan.Pending, ours)
}

// withoutKept drops the kept steps from steps.
func withoutKept(steps []Step, kept []Kept) []Step {
	if len(kept) == 0 {
		return steps
	}
	skip := map[int64]bool{}
	for _, k := range kept {
		skip[k.Seq] = true
	}
	out := steps[:0:0]
	for _, s := range steps {
		if !skip[s.Entry.Seq] {
			out = append(out, s)
		}
	}
	return out
}

type runner struct {
	cfg Config
	res Result
}

// all runs the steps in order; label options of one entity go together.
func (r *runner) all(ctx context.Context, steps []Step) error {
	for i := 0; i < len(steps); i++ {
		s := steps[i]
		if s.Category == CatLabelOption {
			j := i
			for j < len(steps) && steps[j].Category == CatLabelOption && steps[j].Entity == s.Entity {
				j++
			}
			if err := r.labels(ctx, steps[i:j]); err != nil {
				return err
			}
			i = j - 1
			continue
		}
		gone, err := undoOne(ctx, r.cfg.Client, s)
		if err := r.settle(ctx, s, gone, err); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) labels(ctx context.Context, steps []Step) error {
	gone, err := undoLabels(ctx, r.cfg.Client, steps[0].Entity, steps)
	for _, s := range steps {
		if serr := r.settle(ctx, s, gone[s.undo.OptionID], err); serr != nil {
			return serr
		}
	}
	return nil
}

// settle marks s undone after a success, or files or returns the error.
func (r *runner) settle(ctx context.Context, s Step, gone bool, err error) error {
	if err != nil {
		if stops(ctx, err) {
			return fmt.Errorf("rollback: undo journal entry %d (%s %s): %w", s.Entry.Seq, s.Category, s.Entry.DestID, err)
		}
		r.res.Failed = append(r.res.Failed, failureOf(s.Entry, err))
		return nil
	}
	if err := r.cfg.Store.MarkUndone(context.WithoutCancel(ctx), s.Entry.Seq); err != nil {
		return fmt.Errorf("rollback: mark journal entry %d undone: %w", s.Entry.Seq, err)
	}
	r.res.Undone++
	if gone {
		r.res.AlreadyGone++
	}
	if r.cfg.Progress != nil {
		r.cfg.Progress(Event{Category: s.Category, Done: r.res.Undone, Total: r.res.Pending})
	}
	return nil
}

// stops reports whether err ends the rollback rather than one undo.
func stops(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, pipedrive.ErrBudgetExhausted) || errors.Is(err, pipedrive.ErrUnauthorized) ||
		errors.Is(err, pipedrive.ErrBlocked)
}
