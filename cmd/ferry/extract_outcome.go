package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"ferry/internal/extract"
	"ferry/internal/migrate"
	"ferry/internal/report"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// extractOutcome is what ferry extract exits with once the snapshot is written: nil only
// when every harvest row became a record (or was left out under a loss reason accepted in
// decisions.yaml) and every harvest file was read. Otherwise it prints the quarantined
// rows grouped by object, file and reason, writes report/quarantined.csv listing every one
// (file, line, field, reason, raw values) and returns errIncomplete (exit 6), naming the
// unreadable files too. The snapshot holds every other record, so the next steps work.
func extractOutcome(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store, chs []extract.Channel) error {
	q, err := accountQuarantined(ctx, ws, st)
	if err != nil {
		return err
	}
	printQuarantined(g, q)
	var unreadable error
	if h := harvestChannel(chs); h != nil {
		unreadable = unreadableError(h)
	}
	if q.Lost() == 0 {
		return unreadable
	}
	lost := fmt.Sprintf("%d harvest row(s) were quarantined and are not in the snapshot (listed above, every row in %s): "+
		"fix them in the harvest and run ferry extract again, or accept the loss (after ferry plan: ferry decide accept-loss REASON); "+
		"every other record is in the snapshot", q.Lost(), q.File)
	if unreadable != nil {
		return fmt.Errorf("%w\nand %s", unreadable, lost)
	}
	return fmt.Errorf("%w: %s", errIncomplete, lost)
}

// accountQuarantined writes report/quarantined.csv from the store's quarantine (see
// report.WriteQuarantined) and returns the accounting.
func accountQuarantined(ctx context.Context, ws *workspace.Workspace, st store.Store) (report.Quarantined, error) {
	items, err := st.QuarantineItems(ctx, "")
	if err != nil {
		return report.Quarantined{}, fmt.Errorf("list the quarantined rows: %w", err)
	}
	accept, err := acceptedLosses(ws)
	if err != nil {
		return report.Quarantined{}, err
	}
	return report.WriteQuarantined(filepath.Join(ws.Dir, "report"), items, accept)
}

// acceptedLosses reads the accepted loss reasons of decisions.yaml; nil before ferry plan
// wrote it.
func acceptedLosses(ws *workspace.Workspace) (func(string) (string, bool), error) {
	if _, err := os.Stat(ws.PlanPath(workspace.DecisionsFile)); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	d, err := readDecisions(ws)
	if err != nil {
		return nil, err
	}
	return d.AcceptsLoss, nil
}

// printQuarantined prints the quarantined rows grouped by object, file and reason (an
// "extract_outcome" event with --json).
func printQuarantined(g *globalOptions, q report.Quarantined) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "extract_outcome", "quarantined": q,
			"complete": q.Lost() == 0})
		return
	}
	if q.Accepted > 0 {
		g.printf("%d quarantined row(s) left out under accepted loss reasons (decisions.yaml accepted_losses)\n", q.Accepted)
	}
	if q.Lost() == 0 {
		return
	}
	g.printf("quarantined: %d row(s) not in the snapshot:\n", q.Lost())
	for i, gr := range q.Groups {
		if i == reasonsShown {
			g.printf("  … %d more reason(s)\n", len(q.Groups)-reasonsShown)
			break
		}
		g.printf("  %d %s (%s): %s\n", gr.Count, plurals[gr.Kind], gr.File, gr.Reason)
	}
	g.printf("  every row (file, line, field, reason, raw values): %s\n", q.File)
}

// clearExtractQuarantine removes the rows an earlier extraction quarantined, before the
// harvest is read again: those of the template files, and those of any other file it read
// (a workbook's sheet, a file named as another tool names it), so that re-reading never
// piles them up. Rows the engine quarantined while mapping records are kept unless they
// share such a file (as they do for the template files).
func clearExtractQuarantine(ctx context.Context, st store.Store) error {
	if err := extract.ClearHarvestQuarantine(ctx, st); err != nil {
		return err
	}
	items, err := st.QuarantineItems(ctx, "")
	if err != nil {
		return fmt.Errorf("list the quarantined rows: %w", err)
	}
	done := map[string]bool{}
	for _, it := range items {
		key := string(it.Kind) + "\x00" + it.File
		if migrate.MappingQuarantine(it) || done[key] {
			continue
		}
		done[key] = true
		if err := st.ClearQuarantine(ctx, it.Kind, it.File); err != nil {
			return err
		}
	}
	return nil
}
