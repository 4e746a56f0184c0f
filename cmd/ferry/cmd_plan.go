package main

import (
	"context"
	"encoding/json"
	"errors"
	"ferry/internal/klipy/harvest"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/plan"
	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// PlanOptions are the flags of `ferry plan`.
type PlanOptions struct {
	MergePolicy string
	Offline     bool
	Fresh       bool                     // start over: do not keep edits of mapping.yaml and decisions.yaml
	rebase      *plan.Rebase             // set by planWorkspace: what re-planning kept
	progress    func(step string, n int) // set by runPlan; nil in tests and the demo
}

// newPlanCommand builds `ferry plan`.
func newPlanCommand(g *globalOptions) *cobra.Command {
	var opts PlanOptions
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Propose the mapping, dedupe and the decisions to confirm before anything moves",
		Long: `Plan reads the source snapshot (ferry extract) and Pipedrive's schema, users and existing
persons and organizations, and writes into the workspace:

  mapping.yaml     every Klipy field -> its Pipedrive target, transforms, confidence and why
                   (edit it; ferry lint checks it and runs its test cases)
  decisions.yaml   pipelines and stages, tag -> label merges, activity types, owners
                   (edit it or use ferry decide)
  dedupe.json      duplicate clusters with survivors and field-by-field merges, and merges
                   into records Pipedrive already has
  plan-report.md   the summary a reviewer reads in five minutes

Nothing is written to Pipedrive. Running plan again keeps your work: resolved decisions and
hand edits of mapping.yaml that still apply are merged into the new proposal (a three-way
merge against the previous proposal, which plan keeps in .ferry/proposal/). What cannot be
kept (an owner no longer in the data, a field that disappeared) is listed in
mapping.yaml.not-kept or decisions.yaml.not-kept, and your files as they were are copied to
mapping.yaml.previous and decisions.yaml.previous; plan says so. --fresh starts over from the
proposal alone. Without PIPEDRIVE_API_TOKEN (or with --offline) the plan assumes an empty
Pipedrive company and says so.

plan-report.md also predicts what would not arrive: a dry run of the files just written over
the whole snapshot (nothing is sent; the same one ferry decide list and ferry confirm run)
lists the records that would be quarantined, held or refused, by object and reason, each
named by name and email with its Klipy id, and the loss reasons already accepted.

Plan streams the snapshot on several cores and prints its progress every two seconds. A million
people with their ten million interactions take under two minutes and 1.1 GB of
memory on two cores (GOGC and GOMEMLIMIT, when set, override its collector settings); the
loss prediction reads the snapshot once more, on one core, after that.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPlan(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.MergePolicy, "merge-policy", dedupe.FillBlanks,
		"how a record merges into an existing Pipedrive one: fill_blanks or overwrite")
	f.BoolVar(&opts.Offline, "offline", false, "do not read Pipedrive; assume an empty company")
	f.BoolVar(&opts.Fresh, "fresh", false, "start over: do not keep your edits of mapping.yaml and decisions.yaml (they are backed up)")
	return cmd
}

// runPlan builds the plan and writes its files.
func runPlan(ctx context.Context, g *globalOptions, opts PlanOptions) error {
	defer plan.TuneCollector()()
	opts.progress = newProgress(g, "plan").update
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	var rb plan.Rebase
	opts.rebase = &rb
	p, err := planWorkspace(ctx, ws, st, workspace.LoadEnv(), opts)
	if err != nil {
		return err
	}
	printRebase(g, rb, opts.Fresh)
	return printPlan(g, ws, p)
}

// planWorkspace reads the destination (unless offline), builds the plan and writes its files.
func planWorkspace(ctx context.Context, ws *workspace.Workspace, st store.Store, env workspace.Env,
	opts PlanOptions) (*plan.Plan, error) {
	if opts.MergePolicy != dedupe.FillBlanks && opts.MergePolicy != dedupe.Overwrite {
		return nil, usageErrorf("--merge-policy %q: allowed values are fill_blanks, overwrite", opts.MergePolicy)
	}
	if empty, err := snapshotEmpty(ctx, st); err != nil {
		return nil, err
	} else if empty {
		return nil, fmt.Errorf("%w: the snapshot is empty; run ferry extract first", errBlocked)
	}
	popts := plan.Options{DefaultRegion: ws.Config.Source.DefaultPhoneRegion, MergePolicy: opts.MergePolicy,
		FallbackOwner: ws.Config.Pipedrive.FallbackOwner, Progress: opts.progress}
	// the column map says how values are meant (epoch ms, currency) and what the user called
	// each column, which names the custom fields made of standard ones
	cols, _, err := harvest.ReadColumns(ws.PlanPath(harvest.ColumnsFile))
	if err != nil {
		return nil, err
	}
	popts.Hints, popts.Headers = cols.Hints(), cols.Headers()
	popts.Columns = columnDecisions(cols)
	var dest plan.Destination
	if pipedriveConfigured(ws, env) && !opts.Offline {
		c, err := newPipedriveClient(ws, env, st)
		if err != nil {
			return nil, err
		}
		if dest, err = plan.ReadDestination(ctx, c); err != nil {
			return nil, err
		}
		if popts.Existing, err = dedupe.LoadDestination(ctx, c); err != nil {
			return nil, fmt.Errorf("read existing Pipedrive persons and organizations: %w", err)
		}
		popts.DestinationRead = true
	}
	p, err := plan.Build(ctx, st, dest, popts)
	if err != nil {
		return nil, err
	}
	rb, err := p.KeepWork(ws.Dir, opts.Fresh)
	if err != nil {
		return nil, err
	}
	if opts.rebase != nil {
		*opts.rebase = rb
	}
	if err := p.WriteFiles(ws.Dir); err != nil {
		return nil, err
	}
	return p, predictLosses(ctx, ws, st, p)
}

// predictLosses dry-runs the plan files just written over the whole snapshot (as ferry
// confirm does) and writes plan-report.md again with what would not arrive, by object and
// reason, each loss naming its first records.
func predictLosses(ctx context.Context, ws *workspace.Workspace, st store.Store, p *plan.Plan) error {
	ls, err := workspaceLosses(ctx, ws, st, p.Decisions)
	if err != nil {
		return fmt.Errorf("predict what would not arrive: %w", err)
	}
	p.Losses, p.LossesPredicted = nil, true
	for _, l := range ls {
		p.Losses = append(p.Losses, plan.Loss{Object: l.Kind, Reason: l.Reason, Records: l.Records,
			AcceptedBy: l.AcceptedBy, Named: l.Named})
	}
	return p.WriteReportFile(ws.Dir)
}

// snapshotEmpty reports whether the snapshot holds no record, reading at most one page (a
// count(*) walks all of them: seconds at a million people).
func snapshotEmpty(ctx context.Context, st store.Store) (bool, error) {
	errFound := errors.New("found")
	err := st.EachRecord(ctx, "", func(source.Record) error { return errFound })
	if errors.Is(err, errFound) {
		return false, nil
	}
	return err == nil, err
}

// printRebase says what re-planning kept, backed up and could not keep.
func printRebase(g *globalOptions, rb plan.Rebase, fresh bool) {
	if g.JSON {
		return
	}
	for _, u := range rb.Unread {
		g.printf("warning: could not read %s; replaced by the new proposal (your file is kept as .previous)\n", u)
	}
	switch {
	case fresh && len(rb.Backups) > 0:
		g.printf("--fresh: started over; your files are kept as %s\n", strings.Join(rb.Backups, ", "))
	case len(rb.Merged) > 0 && rb.NoBase:
		g.printf("kept your resolved decisions; mapping.yaml is the new proposal (no earlier proposal to merge against); your files are kept as %s\n", strings.Join(rb.Backups, ", "))
	case len(rb.Merged) > 0:
		g.printf("kept your edits of %s where they still apply (backups: %s)\n", strings.Join(rb.Merged, " and "), strings.Join(rb.Backups, ", "))
	}
	if len(rb.NotKept) > 0 {
		g.printf("%d change(s) of yours could not be kept (listed in *%s):\n", len(rb.NotKept), plan.NotKeptSuffix)
		for _, n := range rb.NotKept {
			g.printf("  %s\n", n)
		}
	}
}

// printPlan prints where the files are and what waits.
func printPlan(g *globalOptions, ws *workspace.Workspace, p *plan.Plan) error {
	open := p.Decisions.Open()
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"workspace": ws.Dir, "counts": p.Counts,
			"dedupe": p.Dedupe.Stats, "open_decisions": open, "losses": p.Losses, "seconds": p.Took.Seconds()})
	}
	s := p.Dedupe.Stats
	g.printf("Planned in %s: %d people -> %d distinct (%d clusters), %d companies -> %d organizations\n",
		p.Took.Round(1e6), s.People, s.DistinctPeople, s.PersonClusters, s.Companies, s.DistinctCompanies)
	for _, st := range p.Stages {
		g.log.Info("plan stage", "stage", st.Name, "took", st.Took.Round(time.Millisecond))
	}
	g.printf("Wrote %s, %s, %s and %s in %s\n", plan.MappingFile, plan.DecisionsFile, plan.DedupeFile,
		plan.ReportFile, ws.Dir)
	if !p.Options.DestinationRead {
		g.printf("note: Pipedrive was not read (no PIPEDRIVE_API_TOKEN or --offline): plan again with it before confirming\n")
	}
	if lost, _ := plan.LostRecords(p.Losses); lost > 0 {
		g.printf("%d record(s) would not arrive in Pipedrive, by object and reason in %s (ferry decide list)\n", lost, plan.ReportFile)
	}
	if len(open) > 0 {
		g.printf("%d decision(s) open (ferry decide list); then ferry lint and ferry confirm\n", len(open))
	} else {
		g.printf("No open decisions. Next: ferry lint, then ferry confirm\n")
	}
	return nil
}
