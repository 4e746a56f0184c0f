package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ferry/internal/delta"
	"ferry/internal/extract"
	"ferry/internal/migrate"
	"ferry/internal/plan/lock"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// DeltaOptions are the flags of `ferry delta`.
type DeltaOptions struct {
	Delete    bool
	NoWait    bool
	Yes       bool // confirm the deletions without a prompt (needs MaxDelete)
	MaxDelete int  // with Yes: the most records --delete may delete
	Force     bool // allow deleting more than the threshold share of a kind (and a shrinking extract)

	in io.Reader // answers to the prompt (tests); nil: the terminal

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
records are created (exactly once, like ferry run); changed ones are read back from Pipedrive and
compared field by field as ferry verify and run --sample compare (one comparison: e-mail case,
phone formatting, times, HTML), and those Pipedrive does not already hold are updated, with the
pre-image of what is overwritten journaled first (so ferry rollback undoes a delta too), and
records deleted in Klipy are reported; --delete also deletes them in Pipedrive (journaled; a
deleted record stays in Pipedrive's trash for 30 days and rollback cannot bring it back).

The first delta needs a valid confirmation lock: the snapshot the run migrated gives each
record's migrated hash. Later deltas compare with the hash each record was last sent with.
A delta with nothing changed makes no write.

Like ferry run, it writes report/success-<object>.csv and report/error-<object>.csv and exits 0
only when every source record is accounted for (created, merged, unchanged or skipped by an
explicit decision); otherwise it prints what did not arrive, grouped by reason, and exits 6.
Rows the fresh extract quarantined count as not arrived (listed in report/quarantined.csv too),
and a harvest file it cannot read makes the delta incomplete as well (exit 6, naming the file):
changes to that file's records were not carried over.

Deleting is never an accident. The fresh extract refuses when a channel that supplied records
last time is missing (exit 2: e.g. KLIPY_API_KEY unset) or when it would drop more than 5% of
an object (exit 4). --delete first prints how many records of each object it will delete and
asks for confirmation; from a script pass --yes with --max-delete N (refused when more than N
would go). Deleting more than 5% of an object's migrated records (and more than 10, or all
of them) is refused without --force (exit 4). Long deletes print their progress.

Examples:
  ferry delta                                   # create and update; report deletions only
  ferry delta --delete                          # ... and delete them, after a prompt
  ferry delta --delete --yes --max-delete 20    # from a script

Exit codes: 0 every record accounted for; 2 a channel used last time is missing; 4 the first
delta has no valid plan lock, or too many deletions; 5 budget exhausted (--no-wait); 6
incomplete; 8 Klipy or Pipedrive unreachable; 130 stopped by Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDelta(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Delete, "delete", false, "delete in Pipedrive the records deleted in Klipy")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "stop (exit code 5) instead of pausing when the daily budget runs out")
	cmd.Flags().BoolVar(&opts.Yes, "yes", false, "confirm --delete without a prompt (requires --max-delete)")
	cmd.Flags().IntVar(&opts.MaxDelete, "max-delete", -1, "with --yes: refuse when --delete would delete more than N records")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "allow deleting (or dropping from the snapshot) more than 5% of an object")
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
	rep, chs, err := deltaWorkspace(ctx, g, ws, st, env, opts)
	printDeltaReport(g, rep)
	if err != nil {
		return stopError(err, "ferry delta")
	}
	if _, err := accountQuarantined(ctx, ws, st); err != nil { // the fresh extract's rows
		return err
	}
	outcome := accountOutcomes(ctx, g, ws, st, env, "ferry delta")
	var unreadable error
	if h := harvestChannel(chs); h != nil {
		unreadable = unreadableError(h)
	}
	switch {
	case unreadable != nil && outcome != nil:
		return fmt.Errorf("%w\nand %w", unreadable, outcome)
	case unreadable != nil:
		return fmt.Errorf("%w\nchanges in Klipy to the records of that file were not carried over", unreadable)
	}
	return outcome
}

// deltaWorkspace is one delta step on ws: the baseline (first time, under a valid lock), a
// fresh extract, then the delta against the Pipedrive that env names. It returns the
// extract's channels too (the harvest channel names the files it could not read).
func deltaWorkspace(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store,
	env workspace.Env, opts DeltaOptions) (delta.Report, []extract.Channel, error) {
	has, err := delta.HasBaseline(ctx, st)
	if err != nil {
		return delta.Report{}, nil, err
	}
	if !has {
		if _, err := lock.Check(ctx, st, lockFiles(ws)); err != nil {
			return delta.Report{}, nil, fmt.Errorf("%w: first delta needs the snapshot the run migrated: %v", errBlocked, err)
		}
		if _, err := delta.Baseline(ctx, st); err != nil {
			return delta.Report{}, nil, err
		}
	}
	opts.extract.Force = opts.extract.Force || opts.Force
	_, chs, err := extractWorkspace(ctx, ws, st, env, opts.extract)
	if err != nil {
		return delta.Report{}, chs, fmt.Errorf("delta: extract: %w", err)
	}
	if opts.Delete {
		if err := confirmDeletions(ctx, g, st, opts); err != nil {
			return delta.Report{}, chs, err
		}
	}
	cfg, err := engineConfig(ws, st, env, RunOptions{NoWait: opts.NoWait})
	if err != nil {
		return delta.Report{}, nil, err
	}
	cfg.RunKind = "delta"
	pp := &migrate.ProgressPrinter{W: g.stdout, Mode: progressMode(g)}
	cfg.Progress = pp.Event
	eng, err := migrate.New(cfg)
	if err != nil {
		return delta.Report{}, nil, err
	}
	prog := newProgress(g, "delta")
	rep, err := delta.Apply(ctx, st, eng, delta.Options{Delete: opts.Delete, Progress: func(k source.Kind, done, total int) {
		prog.update(fmt.Sprintf("delete %s (%d to delete)", k, total), done)
	}})
	return rep, chs, err
}

// confirmDeletions prints what --delete will delete per object, refuses more than
// extract.DefaultMaxDropPercent of an object without --force, and asks (or checks --yes
// against --max-delete).
func confirmDeletions(ctx context.Context, g *globalOptions, st store.Store, opts DeltaOptions) error {
	if opts.Yes && opts.MaxDelete < 0 {
		return usageErrorf("--delete --yes needs --max-delete N: the most records you accept to delete")
	}
	dels, err := delta.PlanDeletions(ctx, st)
	if err != nil {
		return err
	}
	total := 0
	var over []string
	guard := &extract.Guard{MaxPercent: extract.DefaultMaxDropPercent}
	for _, d := range dels {
		total += d.Delete
		g.printf("delete: %d of %d migrated %s records (%.1f%%) are gone from Klipy\n", d.Delete, d.Migrated, d.Kind, d.Percent())
		if guard.Check(d.Kind, d.Delete, d.Migrated) != nil {
			over = append(over, fmt.Sprintf("%s %d of %d", d.Kind, d.Delete, d.Migrated))
		}
	}
	if total == 0 {
		return nil
	}
	if len(over) > 0 && !opts.Force {
		return fmt.Errorf("%w: --delete would delete more than %d%% of an object (%s): nothing was deleted; check that the extract saw all of Klipy, or pass --force",
			errBlocked, extract.DefaultMaxDropPercent, strings.Join(over, ", "))
	}
	if opts.Yes {
		if total > opts.MaxDelete {
			return fmt.Errorf("%w: --delete would delete %d records, more than --max-delete %d: nothing was deleted", errBlocked, total, opts.MaxDelete)
		}
		return nil
	}
	ok, err := askYes(g, opts.in, fmt.Sprintf("Delete these %d records in Pipedrive (they stay in its trash for 30 days)? [y/N] ", total))
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("deletion not confirmed: nothing was sent to Pipedrive (run ferry delta without --delete to move the rest)")
	}
	return nil
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
