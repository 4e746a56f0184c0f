package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"ferry/internal/estimate"
	"ferry/internal/report"
)

// estimateRun prints what the migration will cost before it runs, as ferry estimate does.
func (d *demo) estimateRun(ctx context.Context) error {
	w, err := workspaceWorkload(ctx, d.ws, d.st)
	if err != nil {
		return err
	}
	cfg := d.ws.Config.Pipedrive
	r, err := estimate.Estimate(w, estimate.Options{Plan: cfg.Plan, Seats: cfg.Seats, NoVerify: true})
	if err != nil {
		return err
	}
	printEstimate(d.g, r)
	d.estimated = int64(r.RunTokens)
	return nil
}

// compareEstimate checks the estimate against what the run spent.
func (d *demo) compareEstimate() {
	spent := d.run1.Stats.Tokens
	if spent == 0 || d.estimated == 0 {
		return
	}
	off := 100 * float64(d.estimated-spent) / float64(spent)
	d.g.printf("estimate %d tokens, spent %d: %+.1f%%\n", d.estimated, spent, off)
	if off > 5 || off < -5 {
		d.problems = append(d.problems, fmt.Sprintf("estimate off by %.1f%%", off))
	}
}

// verifyAll reads every migrated record back and compares it with the plan, as ferry verify does.
func (d *demo) verifyAll(ctx context.Context) error {
	res, err := verifyWorkspace(ctx, d.ws, d.st, d.env, 10, nil)
	if err != nil {
		return err
	}
	printVerifyResult(d.g, res, 10, recordNamer(ctx, d.st))
	if !res.OK() {
		d.problems = append(d.problems, fmt.Sprintf("verify found %d mismatches", res.Mismatches))
		return fmt.Errorf("%w: %d mismatches", errMismatch, res.Mismatches)
	}
	return nil
}

// writeReport writes the deliverables into the workspace, as ferry report does.
func (d *demo) writeReport(ctx context.Context) error {
	r, err := report.Build(ctx, report.Inputs{Store: d.st, Dir: d.ws.Dir, Now: time.Now()})
	if err != nil {
		return err
	}
	out := filepath.Join(d.ws.Dir, "report")
	paths, err := report.WriteDir(out, r)
	if err != nil {
		return err
	}
	d.g.printf("wrote %d files to %s (report.md for the admin, CSV and JSON for tools)\n", len(paths), out)
	return nil
}

// rollback undoes the whole migration and proves the sandbox is back where it was.
func (d *demo) rollback(ctx context.Context) error {
	return rollbackWorkspace(ctx, d.g, d.ws, d.st, d.env, RollbackOptions{Yes: true})
}
