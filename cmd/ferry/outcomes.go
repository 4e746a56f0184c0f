package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"ferry/internal/report"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// reasonsShown is how many reasons per object the outcome summary prints; the error file
// lists every row.
const reasonsShown = 5

// plurals name a count of records of each kind.
var plurals = map[source.Kind]string{source.Owner: "owners", source.Company: "companies", source.Person: "people", source.Deal: "deals",
	source.Interaction: "interactions", source.Task: "tasks", source.Note: "notes", source.Attachment: "attachments"}

// accountOutcomes writes report/success-<object>.csv and report/error-<object>.csv for every
// source record and prints what did not arrive, grouped by reason, with the file listing
// every row. It returns errIncomplete (exit 6) unless every record is accounted for.
func accountOutcomes(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store, env workspace.Env, verb string) error {
	base, _ := env.PipedriveURL(ws.Config) // no address: the files carry no record URLs
	d, err := readDecisions(ws)
	if err != nil {
		return err
	}
	outs, err := report.WriteOutcomes(ctx, st, report.RowOptions{Dir: filepath.Join(ws.Dir, "report"), BaseURL: base,
		Accept: d.AcceptsLoss})
	if err != nil {
		return err
	}
	printOutcomes(g, outs)
	if report.Complete(outs) {
		return nil
	}
	lost := 0
	for _, o := range outs {
		lost += o.Errors
	}
	return fmt.Errorf("%w: %d source record(s) did not arrive in Pipedrive (listed above, every row in report/error-*.csv); fix the reasons and run %s again, or accept them as decisions",
		errIncomplete, lost, verb)
}

// printOutcomes prints, per object, the records that did not arrive, grouped by reason.
func printOutcomes(g *globalOptions, outs []report.Outcome) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "outcomes", "objects": outs,
			"complete": report.Complete(outs)})
		return
	}
	accepted := 0
	for _, o := range outs {
		accepted += o.Accepted
	}
	if accepted > 0 {
		g.printf("%d record(s) left out under accepted loss reasons (decisions.yaml accepted_losses; report/success-*.csv)\n", accepted)
	}
	if report.Complete(outs) {
		g.printf("every source record is accounted for (report/success-*.csv lists each with its Pipedrive id)\n")
		return
	}
	g.printf("not in Pipedrive:\n")
	for _, o := range outs {
		if o.Errors == 0 {
			continue
		}
		for i, r := range o.Reasons {
			if i == reasonsShown {
				g.printf("  … %d more reason(s)\n", len(o.Reasons)-reasonsShown)
				break
			}
			g.printf("  %d %s: %s\n", r.Count, plurals[o.Kind], r.Reason)
			for _, n := range r.Named {
				g.printf("      %s\n", n)
			}
			if more := r.Count - len(r.Named); more > 0 {
				g.printf("      … and %d more\n", more)
			}
		}
		g.printf("  every row (%d of %d %s): %s\n", o.Errors, o.Source, plurals[o.Kind], o.ErrorFile)
	}
}
