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
}

// newRunCommand builds `ferry run`.
func newRunCommand(g *globalOptions) *cobra.Command {
	var opts RunOptions
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Migrate the confirmed plan into Pipedrive",
		Long: `Run migrates the confirmed plan into Pipedrive. It refuses (exit code 4) unless ferry confirm
recorded a lock whose hashes still match mapping.yaml, decisions.yaml and the source snapshot,
and it names whatever changed since.

It first sets up the schema (pipelines and stages, custom fields and their options, labels,
the "Klipy ID" and "Klipy created at" fields), then migrates organizations, persons, deals,
activities, notes and files in that order, each record exactly once. After each phase it prints the reconciliation
(source = created + merged + skipped + quarantined + failed + held) and stops if it does not
balance. Stopped runs (Ctrl-C, budget exhausted: exit code 5) resume with ferry run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().IntVar(&opts.Sample, "sample", 0, "migrate a representative slice of N records first (not in this build yet)")
	cmd.Flags().IntVar(&opts.Workers, "workers", 0, "concurrent requests (default: sized from the plan's burst limit)")
	return cmd
}

// runRun checks the confirmation lock before anything else, then runs the engine.
func runRun(ctx context.Context, g *globalOptions, opts RunOptions) error {
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
	g.printf("plan confirmed at %s: %d records, lock valid\n", l.At.Format("2006-01-02 15:04:05Z07:00"), l.Records)
	if opts.Sample > 0 {
		return errors.New("ferry run --sample is not part of this build yet: nothing was sent to Pipedrive")
	}
	start := time.Now()
	rep, err := migrateWorkspace(ctx, g, ws, st, workspace.LoadEnv(), opts)
	printRunReport(g, rep, time.Since(start))
	return runError(err)
}

// migrateWorkspace runs the engine on the confirmed plan of ws against the Pipedrive that
// env names; the caller has checked the lock.
func migrateWorkspace(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store,
	env workspace.Env, opts RunOptions) (migrate.Report, error) {
	client, err := newPipedriveClient(ws, env, st)
	if err != nil {
		return migrate.Report{}, err
	}
	merges, err := readMerges(ws)
	if err != nil {
		return migrate.Report{}, err
	}
	d, err := readDecisions(ws)
	if err != nil {
		return migrate.Report{}, err
	}
	m, err := readMapping(ws)
	if err != nil {
		return migrate.Report{}, err
	}
	eng, err := migrate.New(migrate.Config{Client: client, Store: st, Decisions: d, Mapper: migrate.FileMapper{M: m},
		Merges: merges, Workers: opts.Workers, Progress: runProgress(g), FilesRoot: ws.HarvestDir()})
	if err != nil {
		return migrate.Report{}, err
	}
	return eng.Run(ctx)
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

// runError maps the engine's stops to exit codes: budget → 5; cancellation says how to resume.
func runError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pipedrive.ErrBudgetExhausted):
		return fmt.Errorf("%w: %v; resume after the reset with ferry run", errBudget, err)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("stopped: %w; resume with ferry run", err)
	}
	return err
}

// runProgress prints one line (or one JSON event) per finished phase.
func runProgress(g *globalOptions) func(migrate.Event) {
	return func(ev migrate.Event) {
		if ev.Phase == nil {
			return
		}
		if g.JSON {
			_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "phase", "reconciliation": ev.Phase})
			return
		}
		g.printf("%s\n", ev.Phase)
	}
}

// printRunReport prints the reconciliation table and what the run spent.
func printRunReport(g *globalOptions, rep migrate.Report, took time.Duration) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "done", "run_id": rep.RunID,
			"schema_created": rep.SchemaCreated, "phases": rep.Phases, "requests": rep.Stats.Requests,
			"tokens": rep.Stats.Tokens, "seconds": took.Seconds()})
		return
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tsource\tcreated\tmerged\tskipped\tquarantined\tfailed\theld\t")
	for _, p := range rep.Phases {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", p.Label(), p.Source, p.Created, p.Merged,
			p.SkippedByRule, p.Quarantined, p.Failed, p.Held)
	}
	_ = tw.Flush()
	g.printf("run %d: %d schema items created, %d requests, %d tokens, %s\n", rep.RunID, rep.SchemaCreated,
		rep.Stats.Requests, rep.Stats.Tokens, took.Round(time.Millisecond))
}
