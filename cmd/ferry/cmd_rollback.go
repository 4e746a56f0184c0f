package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"ferry/internal/pipedrive"
	"ferry/internal/rollback"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// RollbackOptions are the flags of `ferry rollback`.
type RollbackOptions struct {
	Run   int64 // the run to undo; 0: every run
	Yes   bool  // skip the confirmation prompt
	Force bool  // undo records users changed in Pipedrive after the migration too

	in io.Reader // answers to the prompt (tests); nil: the terminal
}

// newRollbackCommand builds `ferry rollback`.
func newRollbackCommand(g *globalOptions) *cobra.Command {
	var opts RollbackOptions
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Undo the migration (or one run) in Pipedrive and prove it",
		Long: `Rollback replays the journal backwards in reverse dependency order: files, notes, activities,
deals, persons and organizations, then the label options, custom field options, custom fields,
stages and pipelines ferry created. Records ferry merged into existing Pipedrive data get their
pre-image back instead of being deleted.

It first prints what is left to undo and its token cost, then asks for confirmation (--yes to
skip; without a terminal --yes is required). It is resumable (a stopped rollback continues
where it stopped) and idempotent (a finished one sends nothing). Afterwards it reads Pipedrive
back and proves every item is as it was before the migration; the proof is stored for
ferry report. Exit code 3 when the proof finds a difference, 5 when the budget ran out.

What a rollback undid is no longer "done": those records are pending again, and the next
ferry run (after fixing mapping.yaml, plan and confirm if needed) migrates them again, exactly
once; its reconciliation counts what that run created.

Records users worked on in Pipedrive after the migration are left alone: before undoing,
rollback compares each record with what ferry wrote (its update time, and the values a merge
or delta wrote) and looks for activities, notes and deals ferry did not create attached to it.
Those records (and what they belong to) are listed, kept, and reported by the proof as "kept:
changed in Pipedrive after the migration"; the command then exits 6. --force undoes them too.

Pipedrive keeps deleted persons, organizations, deals, activities and files in its trash for
30 days.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRollback(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().Int64Var(&opts.Run, "run", 0, "undo only this run (default: the whole migration)")
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "also undo records users changed or attached work to in Pipedrive after the migration")
	return cmd
}

// runRollback opens the workspace and rolls it back.
func runRollback(ctx context.Context, g *globalOptions, opts RollbackOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	return rollbackWorkspace(ctx, g, ws, st, workspace.LoadEnv(), opts)
}

// rollbackWorkspace estimates, confirms (unless opts.Yes), undoes and proves the journal of
// opts.Run (every run when 0) against the Pipedrive that env names; the proof is stored for
// ferry report. Errors map to exit codes: a failed proof → 3, budget → 5.
func rollbackWorkspace(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store,
	env workspace.Env, opts RollbackOptions) error {
	if opts.Run < 0 {
		return usageErrorf("--run %d: a run id is positive", opts.Run)
	}
	if opts.Run != 0 {
		if _, err := st.GetRun(ctx, opts.Run); errors.Is(err, store.ErrNotFound) {
			return usageErrorf("--run %d: no such run (ferry report lists them)", opts.Run)
		}
	}
	client, err := newPipedriveClient(ws, env, st)
	if err != nil {
		return err
	}
	plan, err := rollback.Load(ctx, st, opts.Run)
	if err != nil {
		return err
	}
	est := rollback.EstimateCost(plan, int64(ws.Config.Pipedrive.DailyBudget()))
	printRollbackPlan(g, plan, est)
	runID := int64(0)
	if len(plan.Pending) > 0 {
		if !opts.Yes {
			ok, err := askYes(g, opts.in, "Undo these writes in Pipedrive? [y/N] ")
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("rollback not confirmed: nothing was sent to Pipedrive")
			}
		}
		prog := newProgress(g, "rollback")
		res, err := rollback.Run(ctx, rollback.Config{Client: client, Store: st, Scope: opts.Run, Force: opts.Force, Progress: func(ev rollback.Event) {
			prog.update(fmt.Sprintf("undo (%d in all; now %s)", ev.Total, ev.Category), ev.Done)
		}})
		printRollbackResult(g, res)
		if err != nil {
			return rollbackError(err)
		}
		runID = res.RunID
		if len(res.Failed) > 0 {
			return fmt.Errorf("%d undos were refused (listed above); run ferry rollback again after fixing the cause", len(res.Failed))
		}
		if plan, err = rollback.Load(ctx, st, opts.Run); err != nil {
			return err
		}
		plan.Kept = res.Kept
	} else if n, err := rollback.ResetUndone(ctx, st, opts.Run, 0); err != nil {
		return err
	} else if n > 0 && !g.JSON {
		g.printf("%d records undone earlier are pending again: ferry run migrates them again\n", n)
	}
	return proveRollback(ctx, g, st, client, plan, opts.Run, runID)
}

// proveRollback reads Pipedrive back, stores the proof and prints it.
func proveRollback(ctx context.Context, g *globalOptions, st store.Store, c *pipedrive.Client, plan rollback.Plan, scope, runID int64) error {
	proof, err := rollback.Prove(ctx, c, plan, scope, runID)
	if err != nil {
		return rollbackError(err)
	}
	if err := rollback.SaveProof(ctx, st, proof); err != nil {
		return err
	}
	printProof(g, proof)
	if !proof.Holds() {
		return fmt.Errorf("%w: %d of %d items are not as they were before the migration, %d journal entries could not be undone",
			errMismatch, proof.Checked-proof.Passed, proof.Checked, proof.NotUndoable)
	}
	if len(proof.Kept) > 0 {
		return fmt.Errorf("%w: %d record(s) kept because users worked on them in Pipedrive after the migration (listed above); ferry rollback --force undoes them too",
			errIncomplete, len(proof.Kept))
	}
	return nil
}

// rollbackError maps stops to exit codes and says how to resume.
func rollbackError(err error) error {
	return stopError(err, "ferry rollback")
}

func printRollbackPlan(g *globalOptions, plan rollback.Plan, est rollback.Estimate) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "estimate", "estimate": est,
			"already_undone": len(plan.Done), "not_undoable": plan.NotUndoable})
		return
	}
	g.printf("rollback: %d writes to undo, %d already undone\n", est.Steps, len(plan.Done))
	for _, c := range rollback.Categories {
		if n := est.ByCategory[c]; n > 0 {
			g.printf("  %-13s %d\n", c, n)
		}
	}
	for _, f := range plan.NotUndoable {
		g.printf("  cannot undo journal entry %d: %s\n", f.Seq, f.Reason)
	}
	g.printf("cost: %d tokens (%d for the undos, %d to check what users did since, %d for the proof's read-back)", est.Tokens, est.UndoTokens, est.GuardTokens, est.ProofTokens)
	if est.DailyBudget > 0 {
		g.printf(" = %.2f days of the %d-token daily budget", est.Days, est.DailyBudget)
	}
	g.printf("\nwarning: %s\n", rollback.TrashWarning)
}

func printRollbackResult(g *globalOptions, res rollback.Result) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "rollback", "result": res})
		return
	}
	g.printf("rollback run %d: %d of %d undone (%d were already gone), %d refused; %d requests, %d tokens\n",
		res.RunID, res.Undone, res.Pending, res.AlreadyGone, len(res.Failed), res.Stats.Requests, res.Stats.Tokens)
	if res.Reset > 0 {
		g.printf("%d records are pending again: ferry run migrates them again (exactly once)\n", res.Reset)
	}
	for _, f := range res.Failed {
		g.printf("  refused: journal entry %d (%s %s): %s\n", f.Seq, f.Entity, f.DestID, f.Reason)
	}
}

func printProof(g *globalOptions, p rollback.Proof) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "proof", "proof": p, "holds": p.Holds()})
		return
	}
	verdict := "HOLDS: every item is as it was before the migration"
	if len(p.Kept) > 0 {
		verdict = fmt.Sprintf("HOLDS for every item undone; %d kept: changed in Pipedrive after the migration", len(p.Kept))
	}
	if !p.Holds() {
		verdict = "FAILS"
	}
	g.printf("proof: %d of %d items checked against the state before the migration: %s\n", p.Passed, p.Checked, verdict)
	cats := make([]string, 0, len(p.ByCategory))
	for c := range p.ByCategory {
		cats = append(cats, string(c))
	}
	sort.Strings(cats)
	for _, c := range cats {
		cp := p.ByCategory[rollback.Category(c)]
		g.printf("  %-13s checked %d: %d gone, %d restored to their pre-image\n", c, cp.Checked, cp.Deleted, cp.Restored)
	}
	if p.NotUndoable > 0 {
		g.printf("  %d journal entries have no undo ferry knows (listed above): not proven\n", p.NotUndoable)
	}
	for _, m := range p.Mismatches {
		g.printf("  MISMATCH journal entry %d (%s %s): %s\n", m.Seq, m.Category, m.DestID, m.Problem)
	}
	for _, k := range p.Kept {
		g.printf("  %s: %s %s (%s)\n", rollback.KeptReason, k.Category, k.DestID, k.Why)
	}
}
