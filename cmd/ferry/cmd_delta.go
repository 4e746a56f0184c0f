package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ferry/internal/delta"
	"ferry/internal/migrate"
	"ferry/internal/plan/lock"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// DeltaOptions are the flags of `ferry delta`.
type DeltaOptions struct {
	Delete bool
	NoWait bool

	// extract is passed to the fresh extract; the demo and tests turn Klipy pacing off.
	extract ExtractOptions
}

// newDeltaCommand builds `ferry delta`.
func newDeltaCommand(g *globalOptions) *cobra.Command {
	var opts DeltaOptions
	cmd := &cobra.Command{
		Use:   "delta",
		Short: "Move what changed in Klipy since the migration",
		Long: `Delta extracts Klipy again and compares it with what was migrated, by content hash: new
records are created (exactly once, like ferry run), changed ones are updated in Pipedrive with
the pre-image of what is overwritten journaled first (so ferry rollback undoes a delta too), and
records deleted in Klipy are reported; --delete also deletes them in Pipedrive (journaled; a
deleted record stays in Pipedrive's trash for 30 days and rollback cannot bring it back).

The first delta needs a valid confirmation lock: the snapshot the run migrated gives each
record's migrated hash. Later deltas compare with the hash each record was last sent with.
A delta with nothing changed makes no write.

Like ferry run, it writes report/success-<object>.csv and report/error-<object>.csv and exits 0
only when every source record is accounted for (created, merged, unchanged or skipped by an
explicit decision); otherwise it prints what did not arrive, grouped by reason, and exits 6.

Exit codes: 0 every record accounted for; 4 the first delta has no valid plan lock; 5 budget
exhausted (--no-wait); 6 incomplete; 8 Klipy or Pipedrive unreachable; 130 stopped by Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDelta(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Delete, "delete", false, "delete in Pipedrive the records deleted in Klipy")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "stop (exit code 5) instead of pausing when the daily budget runs out")
	return cmd
}

// runDelta opens the workspace, applies the delta and prints its reconciliation.
func runDelta(ctx context.Context, g *globalOptions, opts DeltaOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	env := workspace.LoadEnv()
	rep, err := deltaWorkspace(ctx, g, ws, st, env, opts)
	printDeltaReport(g, rep)
	if err != nil {
		return runError(err)
	}
	return accountOutcomes(ctx, g, ws, st, env, "ferry delta")
}

// deltaWorkspace is one delta step on ws: the baseline (first time, under a valid lock), a
// fresh extract, then the delta against the Pipedrive that env names.
func deltaWorkspace(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store,
	env workspace.Env, opts DeltaOptions) (delta.Report, error) {
	has, err := delta.HasBaseline(ctx, st)
	if err != nil {
		return delta.Report{}, err
	}
	if !has {
		if _, err := lock.Check(ctx, st, lockFiles(ws)); err != nil {
			return delta.Report{}, fmt.Errorf("%w: first delta needs the snapshot the run migrated: %v", errBlocked, err)
		}
		if _, err := delta.Baseline(ctx, st); err != nil {
			return delta.Report{}, err
		}
	}
	if _, _, err := extractWorkspace(ctx, ws, st, env, opts.extract); err != nil {
		return delta.Report{}, fmt.Errorf("delta: extract: %w", err)
	}
	cfg, err := engineConfig(ws, st, env, RunOptions{NoWait: opts.NoWait})
	if err != nil {
		return delta.Report{}, err
	}
	cfg.RunKind = "delta"
	eng, err := migrate.New(cfg)
	if err != nil {
		return delta.Report{}, err
	}
	return delta.Apply(ctx, st, eng, delta.Options{Delete: opts.Delete})
}

// printDeltaReport prints one reconciliation row per kind (JSON with --json).
func printDeltaReport(g *globalOptions, rep delta.Report) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(rep)
		return
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\tsource\tcreated\tupdated\tunchanged\tmerged\tfailed\tother\tdeleted in klipy\tdeleted")
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", r.Kind, r.Source, r.Created, r.Updated,
			r.Unchanged, r.Merged, r.Failed, r.Other, r.Reported, r.Deleted)
	}
	_ = tw.Flush()
	for _, r := range rep.Rows {
		for _, f := range r.Failures {
			g.printf("%s failed: %s\n", r.Kind, f)
		}
	}
}
