package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/plan/lock"
	"ferry/internal/plan/mapping"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// RunOptions are the flags of `ferry run`.
type RunOptions struct {
	Sample  int
	Workers int
	NoWait  bool
}

// runClock is the clock budget pauses wait on and the client paces with; nil is the real
// clock. Tests set it to a fake one shared with the sandbox.
var runClock pipedrive.Clock

// newRunCommand builds `ferry run`.
func newRunCommand(g *globalOptions) *cobra.Command {
	var opts RunOptions
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Migrate the confirmed plan into Pipedrive",
		Long: `Run migrates the confirmed plan into Pipedrive. It refuses (exit code 4) unless ferry confirm
recorded a lock whose hashes still match mapping.yaml, decisions.yaml and the source snapshot,
and it names whatever changed since. It also refuses (exit code 4) while an owner decision
names a user that is not an active Pipedrive user (a user to provision not added yet, a map
or fallback target deactivated since), naming each.

Before sending anything it prints the token cost of what remains and the days of budget that
needs at the configured plan and seats. It sets up the schema (pipelines and stages, custom
fields and their options, labels, the "Klipy ID" and "Klipy created at" fields), then migrates
organizations, persons, deals, activities, notes and files in that order, each record exactly
once. After each phase it prints the reconciliation (source = created + merged + skipped +
quarantined + failed + held) and stops if it does not balance.

When the daily token budget runs out it pauses until the reset and says when it resumes;
with --no-wait it stops instead (exit code 5). Stopped runs (Ctrl-C, --no-wait) resume with
ferry run.

--sample N migrates a representative slice first: N records chosen to cover every object kind,
every interaction type, merged and new records, records with attachments and with custom
fields, plus their parents; then it reads them back and prints a field-level diff against
what was sent (exit code 3 on any difference). A later ferry run continues with the rest.

A request Pipedrive would refuse is not sent (a note without a deal, person or organization;
an organization without a name, a deal without a title). A create Pipedrive answers with a 4xx
is recorded as failed with Pipedrive's message and is not sent again by a later run until the
record's input changes.

References by email, company name or domain resolve through the snapshot (a merged duplicate
resolves to the survivor). A record whose reference names no record, or several, is created
without that link and listed after the table as a warning with the value (all of them with
--json); a note left with no link at all is refused.

Outcomes: every source record is written to report/success-<object>.csv (Klipy id,
Pipedrive id, the record's Pipedrive URL, action) or report/error-<object>.csv (Klipy id, the
source values, reason); the two add up to the object's source count. ferry run exits 0 only
when every record was created, merged or skipped by an explicit decision; otherwise it prints
what did not arrive, grouped by reason ("457 interactions: ..."), and exits 6 (incomplete).

Exit codes: 0 every record accounted for; 3 the sample differs from what was sent; 4 no valid
plan lock; 5 budget exhausted (--no-wait); 6 incomplete (quarantined, held, refused or failed
records, each listed in report/error-<object>.csv); 130 stopped by Ctrl-C (run again to resume).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().IntVar(&opts.Sample, "sample", 0, "migrate a representative slice of N records and diff it")
	cmd.Flags().IntVar(&opts.Workers, "workers", 0, "concurrent requests (default: sized from the plan's burst limit)")
	cmd.Flags().BoolVar(&opts.NoWait, "no-wait", false, "stop (exit code 5) instead of pausing when the daily budget runs out")
	return cmd
}

// runRun checks the confirmation lock before anything else, then runs the engine.
func runRun(ctx context.Context, g *globalOptions, opts RunOptions) error {
	if opts.Sample < 0 {
		return usageErrorf("--sample %d: want a positive number of records", opts.Sample)
	}
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	l, err := lock.Check(ctx, st, lockFiles(ws))
	if errors.Is(err, lock.ErrNoLock) || errors.Is(err, lock.ErrStale) {
		return fmt.Errorf("%w: %v", errBlocked, err)
	}
	if err != nil {
		return err
	}
	if !g.JSON {
		g.printf("plan confirmed at %s: %d records, lock valid\n", l.At.Format("2006-01-02 15:04:05Z07:00"), l.Records)
	}
	start := time.Now()
	eng, err := newRunEngine(ctx, g, ws, st, workspace.LoadEnv(), opts)
	if err != nil {
		return err
	}
	rep, err := eng.Run(ctx)
	printRunReport(g, rep, time.Since(start))
	if err != nil {
		return runError(err)
	}
	if opts.Sample > 0 {
		return printSampleDiff(ctx, g, eng)
	}
	return accountOutcomes(ctx, g, ws, st, workspace.LoadEnv(), "ferry run")
}

// migrateWorkspace runs the engine on the confirmed plan of ws against the Pipedrive that
// env names; the caller has checked the lock.
func migrateWorkspace(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store,
	env workspace.Env, opts RunOptions) (migrate.Report, error) {
	eng, err := newRunEngine(ctx, g, ws, st, env, opts)
	if err != nil {
		return migrate.Report{}, err
	}
	return eng.Run(ctx)
}

// newRunEngine builds the engine from the workspace's plan files, picks the sample when
// asked, and prints the estimate of what remains before anything is sent.
func newRunEngine(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store,
	env workspace.Env, opts RunOptions) (*migrate.Engine, error) {
	cfg, err := engineConfig(ws, st, env, opts)
	if err != nil {
		return nil, err
	}
	if err := checkOwnerUsers(ctx, cfg.Client, cfg.Decisions); err != nil {
		return nil, err
	}
	if opts.Sample > 0 {
		pick, err := migrate.New(cfg)
		if err != nil {
			return nil, err
		}
		s, err := pick.ChooseSample(ctx, opts.Sample)
		if err != nil {
			return nil, err
		}
		printSample(g, s)
		cfg.Only = s.Only
	}
	pp := &migrate.ProgressPrinter{W: g.stdout, Mode: progressMode(g)}
	cfg.Progress = pp.Event
	eng, err := migrate.New(cfg)
	if err != nil {
		return nil, err
	}
	est, err := eng.Estimate(ctx)
	if err != nil {
		return nil, err
	}
	pp.Totals = est.Totals()
	printRunEstimate(g, ws, est)
	return eng, nil
}

// engineConfig reads the plan files into an engine configuration.
func engineConfig(ws *workspace.Workspace, st store.Store, env workspace.Env, opts RunOptions) (migrate.Config, error) {
	client, err := newPipedriveClient(ws, env, st)
	if err != nil {
		return migrate.Config{}, err
	}
	merges, err := readMerges(ws)
	if err != nil {
		return migrate.Config{}, err
	}
	d, err := readDecisions(ws)
	if err != nil {
		return migrate.Config{}, err
	}
	m, err := readMapping(ws)
	if err != nil {
		return migrate.Config{}, err
	}
	return migrate.Config{Client: client, Store: st, Decisions: d, Mapper: migrate.FileMapper{M: m},
		Merges: merges, Workers: opts.Workers, FilesRoot: ws.HarvestDir(),
		WaitForBudget: !opts.NoWait, Clock: runClock}, nil
}

// progressMode picks JSON events with --json, bars on a terminal, plain lines otherwise.
func progressMode(g *globalOptions) migrate.ProgressMode {
	if g.JSON {
		return migrate.ProgressJSON
	}
	if f, ok := g.stdout.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return migrate.ProgressBars
		}
	}
	return migrate.ProgressPlain
}

// readMapping parses the workspace's mapping.yaml; a bad file is a usage error.
func readMapping(ws *workspace.Workspace) (mapping.Mapping, error) {
	path := ws.PlanPath(workspace.MappingFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return mapping.Mapping{}, fmt.Errorf("%w: %v; run ferry plan first", errBlocked, err)
	}
	m, err := mapping.Parse(path, data)
	if err != nil {
		return mapping.Mapping{}, usageErrorf("%v", err)
	}
	return m, nil
}

// runError maps the engine's stops to exit codes for ferry run.
func runError(err error) error { return stopError(err, "ferry run") }

// stopError maps a command's stops to exit codes, naming command in the hint: budget → 5,
// cancellation (Ctrl-C) → 130.
func stopError(err error, command string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pipedrive.ErrBudgetExhausted):
		return fmt.Errorf("%w: %v; resume after the reset with %s", errBudget, err, command)
	case errors.Is(err, context.Canceled):
		return interrupted(err, command)
	}
	return err
}

// interrupted is the error of a command stopped by Ctrl-C or SIGTERM (exit code 130).
func interrupted(err error, command string) error {
	if errors.Is(err, errInterrupted) {
		return err
	}
	return fmt.Errorf("%w; run the same command to resume (%s): nothing is lost (%v)", errInterrupted, command, err)
}

// printRunReport prints the reconciliation table and what the run spent.
func printRunReport(g *globalOptions, rep migrate.Report, took time.Duration) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "done", "run_id": rep.RunID,
			"schema_created": rep.SchemaCreated, "phases": rep.Phases, "requests": rep.Stats.Requests,
			"tokens": rep.Stats.Tokens, "seconds": took.Seconds(), "warnings": rep.Warnings})
		return
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tsource\tcreated\tmerged\tskipped\tquarantined\tfailed\theld\tthis run: created\tmerged\t")
	moved := 0
	for _, p := range rep.Phases {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", p.Label(), p.Source, p.Created, p.Merged,
			p.SkippedByRule, p.Quarantined, p.Failed, p.Held, p.CreatedThisRun, p.MergedThisRun)
		moved += p.CreatedThisRun + p.MergedThisRun
	}
	_ = tw.Flush()
	if moved == 0 && len(rep.Phases) > 0 {
		g.printf("this run created and merged nothing: every record was already in a final state\n")
	}
	g.printf("run %d: %d schema items created, %d requests, %d tokens, %s\n", rep.RunID, rep.SchemaCreated,
		rep.Stats.Requests, rep.Stats.Tokens, took.Round(time.Millisecond))
	printLinkWarnings(g, rep.Warnings)
}

// linkWarningsShown bounds the unresolved references run lists (the count covers them all).
const linkWarningsShown = 20

// printLinkWarnings lists the records this run created without a link their data names (an
// email, company name or domain that names no record, or several), with the value.
func printLinkWarnings(g *globalOptions, ws []migrate.Warning) {
	if len(ws) == 0 {
		return
	}
	g.printf("%d warning(s): records created without a link their data names (fix the reference in the harvest, or leave it):\n", len(ws))
	for _, w := range ws[:min(len(ws), linkWarningsShown)] {
		g.printf("  %s\n", w)
	}
	if len(ws) > linkWarningsShown {
		g.printf("  … and %d more (ferry run --json lists them all)\n", len(ws)-linkWarningsShown)
	}
}

// printRunEstimate prints the token cost of what remains and the days of budget it needs.
func printRunEstimate(g *globalOptions, ws *workspace.Workspace, est migrate.Estimate) {
	daily := int64(ws.Config.Pipedrive.DailyBudget())
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "estimate", "records": est.Records(),
			"tokens": est.Tokens, "schema_tokens": est.SchemaTokens, "kinds": est.Kinds,
			"daily_budget": daily, "days": est.Days(daily)})
		return
	}
	g.printf("remaining: %d records, about %d tokens (schema setup at most %d); daily budget %d tokens (plan %s, %d seat(s)): %d day(s)\n",
		est.Records(), est.Tokens, est.SchemaTokens, daily, ws.Config.Pipedrive.Plan, ws.Config.Pipedrive.Seats, est.Days(daily))
}

// printSample says what the sample holds.
func printSample(g *globalOptions, s migrate.Sample) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "sample", "records": s.Records,
			"classes": s.Classes, "uncovered": s.Uncovered})
		return
	}
	g.printf("sample: %d records (with parents and survivors) covering %d classes\n", s.Only.Len(), len(s.Classes)-len(s.Uncovered))
	if len(s.Uncovered) > 0 {
		g.printf("not covered (raise --sample): %v\n", s.Uncovered)
	}
}

// printSampleDiff reads the sample back, prints the field-level diff and fails with
// errMismatch (exit 3) on any difference.
func printSampleDiff(ctx context.Context, g *globalOptions, eng *migrate.Engine) error {
	d, err := eng.DiffSelection(ctx)
	if err != nil {
		return runError(err)
	}
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "diff", "records": d.Records,
			"fields": d.Fields, "skipped": d.Skipped, "diffs": d.Diffs})
	} else {
		g.printf("diff: %d records, %d fields compared (%d merged into existing records not compared): %d differences\n",
			d.Records, d.Fields, d.Skipped, len(d.Diffs))
		if len(d.Diffs) > 0 {
			tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "kind\tsource id\tpipedrive id\tfield\tsent\tin pipedrive")
			for _, x := range d.Diffs {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", x.Kind, x.SourceID, x.DestID, x.Field, x.Want, x.Got)
			}
			_ = tw.Flush()
		}
	}
	if len(d.Diffs) > 0 {
		return fmt.Errorf("%w: the sample differs from what was sent in %d field(s)", errMismatch, len(d.Diffs))
	}
	return nil
}
