package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/estimate"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// EstimateOptions are the flags of `ferry estimate`.
type EstimateOptions struct {
	Counts   estimate.Counts
	Plan     string
	Seats    int
	LostRate float64
	NoVerify bool

	countsSet bool // a count flag was given: estimate from counts, no workspace needed
}

// newEstimateCommand builds `ferry estimate`.
func newEstimateCommand(g *globalOptions) *cobra.Command {
	var opts EstimateOptions
	cmd := &cobra.Command{
		Use:   "estimate",
		Short: "Estimate API tokens, days of budget, wall time and complexity",
		Long: `Estimate predicts what the migration will cost in Pipedrive before anything is sent: the API
tokens (schema setup, records, verification reads as lists of 500), the days of daily budget
(30,000 × plan multiplier × seats), the wall time at the plan's burst limit, and a complexity
grade with its reasons (object compatibility, mapping clarity, source API constraints, volume).

From a planned workspace it dry-runs mapping.yaml, decisions.yaml and dedupe.json over the
snapshot, so merged duplicates, quarantined and held records cost nothing, exactly as in
ferry run. From a workspace without a plan it uses the snapshot's counts. With count flags
(--people, --companies, ...) it needs no workspace: every record is assumed created once.
Token prices come from Pipedrive's OpenAPI documents (x-token-cost). Nothing is sent.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.countsSet = anyChanged(cmd, "people", "companies", "deals", "interactions", "tasks", "notes", "files", "custom-fields")
			return runEstimate(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	c := &opts.Counts
	f.IntVar(&c.People, "people", 0, "Klipy people (contacts)")
	f.IntVar(&c.Companies, "companies", 0, "Klipy companies")
	f.IntVar(&c.Deals, "deals", 0, "Klipy deals")
	f.IntVar(&c.Interactions, "interactions", 0, "Klipy interactions (emails, meetings, calls, messages)")
	f.IntVar(&c.Tasks, "tasks", 0, "Klipy to-dos")
	f.IntVar(&c.Notes, "notes", 0, "Klipy notes and AI drafts")
	f.IntVar(&c.Files, "files", 0, "attachments")
	f.IntVar(&c.CustomFields, "custom-fields", 0, "custom fields to create")
	f.BoolVar(&c.Tags, "tags", true, "records carry tags (labels are added)")
	f.StringVar(&opts.Plan, "plan", "", "Pipedrive plan: lite, growth, premium, ultimate (default: ferry.yaml, else growth)")
	f.IntVar(&opts.Seats, "seats", 0, "Pipedrive seats (default: ferry.yaml, else 1)")
	f.Float64Var(&opts.LostRate, "lost-rate", 0, "expected share of creates whose answer is lost (each costs a lookup)")
	f.BoolVar(&opts.NoVerify, "no-verify", false, "leave the verification reads out")
	return cmd
}

func anyChanged(cmd *cobra.Command, names ...string) bool {
	for _, n := range names {
		if cmd.Flags().Changed(n) {
			return true
		}
	}
	return false
}

// runEstimate builds the workload (counts, snapshot or dry run), prices it and prints it.
func runEstimate(ctx context.Context, g *globalOptions, opts EstimateOptions) error {
	cfg := workspace.PipedriveConfig{Plan: "growth", Seats: 1}
	var w estimate.Workload
	if opts.countsSet {
		w = estimate.FromCounts(opts.Counts)
		if ws, err := workspace.Open(g.Workspace); err == nil {
			cfg = ws.Config.Pipedrive
		}
	} else {
		ws, st, err := g.openWorkspace()
		if err != nil {
			return fmt.Errorf("%w (or give counts: ferry estimate --people N --companies N ...)", err)
		}
		defer st.Close()
		cfg = ws.Config.Pipedrive
		if w, err = workspaceWorkload(ctx, ws, st); err != nil {
			return err
		}
	}
	eo := estimate.Options{Plan: cfg.Plan, Seats: cfg.Seats, TopUpTokens: cfg.TopUpTokens, OAuth: cfg.Auth == "oauth",
		LostRate: opts.LostRate, NoVerify: opts.NoVerify}
	if opts.Plan != "" {
		eo.Plan = strings.ToLower(opts.Plan)
	}
	if opts.Seats != 0 {
		eo.Seats = opts.Seats
	}
	r, err := estimate.Estimate(w, eo)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(r)
	}
	printEstimate(g, r)
	return nil
}

// workspaceWorkload dry-runs the plan when mapping.yaml exists, else counts the snapshot.
func workspaceWorkload(ctx context.Context, ws *workspace.Workspace, st store.Store) (estimate.Workload, error) {
	if _, err := os.Stat(ws.PlanPath(workspace.MappingFile)); errors.Is(err, os.ErrNotExist) {
		return snapshotCounts(ctx, st)
	}
	m, err := readMapping(ws)
	if err != nil {
		return estimate.Workload{}, err
	}
	d, err := readDecisions(ws)
	if err != nil {
		return estimate.Workload{}, err
	}
	merges, err := readMerges(ws)
	if err != nil {
		return estimate.Workload{}, err
	}
	return estimate.Simulate(ctx, st, estimate.Plan{Mapping: m, Decisions: d, Merges: merges, FilesRoot: ws.HarvestDir()})
}

// snapshotCounts builds a counts workload from an unplanned snapshot.
func snapshotCounts(ctx context.Context, st store.Store) (estimate.Workload, error) {
	var c estimate.Counts
	custom := map[string]bool{}
	for _, k := range []struct {
		kind source.Kind
		dst  *int
	}{{source.Person, &c.People}, {source.Company, &c.Companies}, {source.Deal, &c.Deals},
		{source.Interaction, &c.Interactions}, {source.Task, &c.Tasks}, {source.Note, &c.Notes}, {source.Attachment, &c.Files}} {
		err := st.EachRecord(ctx, k.kind, func(r source.Record) error {
			*k.dst++
			for name, v := range r.Fields {
				c.Tags = c.Tags || (name == "tags" && v != "")
				if strings.HasPrefix(name, source.CustomPrefix) {
					custom[string(k.kind)+"."+name] = true
				}
			}
			return nil
		})
		if err != nil {
			return estimate.Workload{}, fmt.Errorf("read %s records: %w", k.kind, err)
		}
	}
	c.CustomFields = len(custom)
	w := estimate.FromCounts(c)
	w.From = "snapshot"
	w.Assumptions = append(w.Assumptions, "not planned yet: run ferry plan for an estimate from the mapping and dedupe")
	return w, nil
}

// printEstimate prints the per-phase table, the totals and the grade.
func printEstimate(g *globalOptions, r estimate.Result) {
	g.printf("Estimate from %s; token costs from Pipedrive's OpenAPI documents\n\n", r.Workload.From)
	byStage := map[string][2]float64{}
	for _, c := range r.Calls {
		v := byStage[c.Stage]
		byStage[c.Stage] = [2]float64{v[0] + c.Count, v[1] + c.Tokens()}
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tsource\tcreate\tmerge into\tmerged\tskipped\tquarantined\theld\trequests\ttokens\t")
	s := byStage["schema"]
	fmt.Fprintf(tw, "schema\t\t%d\t\t\t\t\t\t%.0f\t%.0f\t\n", r.Workload.Schema.FieldCount()+r.Workload.Schema.Pipelines+r.Workload.Schema.Stages, s[0], s[1])
	for _, p := range r.Workload.Phases {
		s := byStage[string(p.Kind)]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.0f\t\n", p.Kind, p.Source, p.Create, p.MergeInto, p.Merged,
			p.Skipped, p.Quarantined, p.Held, s[0], s[1])
	}
	if v, ok := byStage["verify"]; ok {
		fmt.Fprintf(tw, "verify (read back)\t\t\t\t\t\t\t\t%.0f\t%.0f\t\n", v[0], v[1])
	}
	_ = tw.Flush()
	lost := 0
	for _, p := range r.Workload.Phases {
		for _, n := range p.Losses {
			lost += n
		}
	}
	if lost > 0 {
		g.printf("\nnot priced: %d record(s) that would not arrive (quarantined, held, refused or cannot move); ferry decide list names them by reason\n", lost)
	}
	g.printf("\ntokens: %d (run %d, of which schema %d; verification %d)\n", r.Tokens, r.RunTokens, r.SchemaTokens, r.VerifyTokens)
	g.printf("budget: %s, %d seat(s) = %d tokens/day -> %.2f day(s) (%d calendar day(s))\n", r.Plan, r.Seats, r.DailyBudget, r.Days, r.BudgetDays())
	g.printf("wall time: %d requests at %d per 2 s -> %s\n", r.Requests, r.Burst, r.WallTime.Round(time.Second))
	gr := r.Grade
	g.printf("complexity: %s %s (score %d of 12), typical timeline %s\n", gr.Letter, gr.Label, gr.Score, gr.Timeline)
	for _, d := range gr.Dimensions {
		g.printf("  %s (%d/3)\n", d.Name, d.Score)
		for _, why := range d.Reasons {
			g.printf("    - %s\n", why)
		}
	}
	for _, a := range r.Workload.Assumptions {
		g.printf("assumed: %s\n", a)
	}
}
