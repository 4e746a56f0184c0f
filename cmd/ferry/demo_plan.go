package main

import (
	"context"
	"fmt"

	"ferry/internal/plan/decide"
	"ferry/internal/workspace"
)

// plan runs ferry plan against the Pipedrive sandbox and prints what it proposes.
func (d *demo) plan(ctx context.Context) error {
	p, err := planWorkspace(ctx, d.ws, d.st, d.env, PlanOptions{MergePolicy: "fill_blanks"})
	if err != nil {
		return err
	}
	if err := printPlan(d.g, d.ws, p); err != nil {
		return err
	}
	s := p.Dedupe.Stats
	if s.DistinctPeople != d.key.Distinct.People || s.DistinctCompanies != d.key.Distinct.Organizations {
		d.problems = append(d.problems, fmt.Sprintf("dedupe found %d people and %d organizations, the key says %d and %d",
			s.DistinctPeople, s.DistinctCompanies, d.key.Distinct.People, d.key.Distinct.Organizations))
		d.g.printf("MISMATCH: the answer key has %d distinct people and %d organizations\n",
			d.key.Distinct.People, d.key.Distinct.Organizations)
	} else {
		d.g.printf("dedupe agrees with the answer key: %d distinct people, %d organizations\n",
			d.key.Distinct.People, d.key.Distinct.Organizations)
	}
	d.g.printf("report for the reviewer: %s\n", d.ws.PlanPath(workspace.PlanReportFile))
	return nil
}

// decide resolves the open owner decisions the way an admin would script it: here every
// unmatched Klipy owner goes to the sandbox admin as the fallback user.
func (d *demo) decide(context.Context) error {
	dec, err := readDecisions(d.ws)
	if err != nil {
		return err
	}
	n := 0
	for i, o := range dec.Owners {
		if o.Resolution == decide.OwnerOpen {
			dec.Owners[i].Resolution, dec.Owners[i].Target = decide.OwnerFallback, d.adminEmail
			n++
		}
	}
	if err := writeDecisions(d.ws, dec); err != nil {
		return err
	}
	d.g.printf("%d Klipy owners have no Pipedrive user; the demo sends their records to the fallback user %s\n", n, d.adminEmail)
	d.g.printf("(what `ferry decide owner NAME --fallback %s` does; in a real migration you choose per owner)\n", d.adminEmail)
	if open := dec.Open(); len(open) > 0 {
		return fmt.Errorf("%d decisions still open: %v", len(open), open)
	}
	return nil
}

// lintAndConfirm runs ferry lint, accepts the losses the generated data plants on purpose
// (ferry decide accept-loss --all: broken rows, files that cannot move, and what they hold
// back), then ferry confirm --yes.
func (d *demo) lintAndConfirm(ctx context.Context) error {
	g := *d.g
	g.Workspace = d.wsDir
	if err := runLint(ctx, &g, LintOptions{}); err != nil {
		return err
	}
	if err := runAcceptLoss(ctx, &g, ""); err != nil {
		return err
	}
	return runConfirm(ctx, &g, ConfirmOptions{Yes: true})
}
