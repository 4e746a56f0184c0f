package main

import (
	"fmt"
	"os"
	"strings"

	"ferry/internal/extract"
	"ferry/internal/klipy/harvest"
	"ferry/internal/workspace"
)

// loadColumnMap reads the workspace's columns.yaml (absent: nil). A file with errors refuses
// the extraction (exit 2), naming each problem's line: a typo must not silently re-map a column.
func loadColumnMap(ws *workspace.Workspace) (*harvest.ColumnMap, error) {
	path := ws.PlanPath(harvest.ColumnsFile)
	m, problems, err := harvest.ReadColumns(path)
	if err != nil {
		return nil, err
	}
	if harvest.HasErrors(problems) {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = "  " + p.Format(path)
		}
		return nil, usageErrorf("%s has problems; fix them (ferry lint shows them too) and run ferry extract again:\n%s",
			path, strings.Join(lines, "\n"))
	}
	return m, nil
}

// saveColumnMap adds to columns.yaml every file and column the harvest channel read that it
// does not list yet (writing it whole when absent) and returns a line for the user, "" when
// nothing changed. Entries already there, edited or not, and the user's comments are kept:
// an existing file is extended through its YAML tree (harvest.ExtendColumns), not rewritten.
func saveColumnMap(ws *workspace.Workspace, confirmed *harvest.ColumnMap, h *extract.HarvestChannel) (string, error) {
	path := ws.PlanPath(harvest.ColumnsFile)
	proposed := h.Stats.Columns.Files
	var data []byte
	added := 0
	if confirmed != nil {
		old, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", path, err)
		}
		if data, added, err = harvest.ExtendColumns(old, proposed); err != nil {
			return "", fmt.Errorf("extend %s: %w", path, err)
		}
		if added == 0 {
			return "", nil
		}
	} else {
		if len(proposed) == 0 {
			return "", nil
		}
		data = harvest.FormatColumns(&harvest.ColumnMap{Files: proposed})
	}
	if err := writeFileAtomic(path, data); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	verb := "proposed"
	if confirmed != nil {
		verb = fmt.Sprintf("extended (%d file(s) with new columns; your entries and comments kept)", added)
	}
	return fmt.Sprintf("column map %s in %s: review which column means which field; edits are honoured on the next ferry extract", verb, path), nil
}

// columnLines are the lines extract prints about the column map: columns kept as custom-field
// candidates or skipped, so that nothing leaves the snapshot unseen.
func columnLines(h *extract.HarvestChannel) []string {
	var out []string
	for _, u := range h.Stats.Columns.Unmapped() {
		out = append(out, "  "+u)
	}
	if len(out) > 0 {
		out = append([]string{fmt.Sprintf("%d column(s) have no standard field (set their field in %s):", len(out), harvest.ColumnsFile)}, out...)
	}
	return out
}

// unreadableError is extract's incomplete outcome for harvest files it could not read: each
// named with why and what to do; every other file was loaded.
func unreadableError(h *extract.HarvestChannel) error {
	bad := h.Unreadable()
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d harvest file(s) could not be read, every other file was loaded:\n  %s\n"+
		"save the file again as CSV (UTF-8, comma or semicolon separated) or .xlsx, or remove it from the folder, then run ferry extract again; "+
		"the records of its kind already in the snapshot were kept", errIncomplete, len(bad), strings.Join(bad, "\n  "))
}

// harvestChannel returns the harvest channel among chs, or nil.
func harvestChannel(chs []extract.Channel) *extract.HarvestChannel {
	for _, ch := range chs {
		if h, ok := ch.(*extract.HarvestChannel); ok {
			return h
		}
	}
	return nil
}

// columnMapExists reports whether the workspace has a columns.yaml.
func columnMapExists(ws *workspace.Workspace) bool {
	_, err := os.Stat(ws.PlanPath(harvest.ColumnsFile))
	return err == nil
}

// discoveredLines are the lines extract prints about the organizations it made from
// references: each name with how many records name it and the first of them.
func discoveredLines(ds []extract.Discovered) []string {
	if len(ds) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("organizations discovered from references: %d (named by records but in no companies file; "+
		"each becomes an organization: add a row to companies.csv to give it a domain or more fields, "+
		"or map the referring column to custom.<Name> or skip in %s to leave it out)", len(ds), harvest.ColumnsFile)}
	for _, d := range ds {
		out = append(out, fmt.Sprintf("  %q: named by %d record(s), first at %s", d.Name, d.References, d.First))
	}
	return out
}
