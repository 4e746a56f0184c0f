package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"ferry/internal/extract"
	"ferry/internal/klipy/harvest"
	"ferry/internal/plan/decide"
	"ferry/internal/workspace"
)

// loadColumnMap reads the workspace's columns.yaml (absent: nil). A file with errors refuses
// the extraction (exit 2), naming each problem's line: a typo must not silently re-map a column.
// The answers to column decisions in decisions.yaml are applied to it first (see
// applyColumnAnswers); applied says what changed ("" when nothing).
func loadColumnMap(ws *workspace.Workspace) (m *harvest.ColumnMap, applied string, err error) {
	path := ws.PlanPath(harvest.ColumnsFile)
	m, problems, err := harvest.ReadColumns(path)
	if err != nil {
		return nil, "", err
	}
	if harvest.HasErrors(problems) {
		return nil, "", columnsProblems(path, problems)
	}
	if m == nil {
		return nil, "", nil
	}
	if applied, err = applyColumnAnswers(ws, m); err != nil {
		return nil, "", err
	}
	if applied != "" {
		if m, problems, err = harvest.ReadColumns(path); err != nil {
			return nil, "", err
		}
		if harvest.HasErrors(problems) {
			return nil, "", fmt.Errorf("%w (after applying your column answers in %s)", columnsProblems(path, problems), workspace.DecisionsFile)
		}
	}
	return m, applied, nil
}

// columnsProblems is the usage error of a columns.yaml with errors, each with its line.
func columnsProblems(path string, problems []harvest.Problem) error {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = "  " + p.Format(path)
	}
	return usageErrorf("%s has problems; fix them (ferry lint shows them too) and run ferry extract again:\n%s",
		path, strings.Join(lines, "\n"))
}

// applyColumnAnswers writes the answered column decisions of decisions.yaml into
// columns.yaml (its YAML tree: the user's comments stay) and says what it changed. Without a
// decisions.yaml, or with one that does not parse (plan and lint name its problems), nothing
// is applied.
func applyColumnAnswers(ws *workspace.Workspace, m *harvest.ColumnMap) (string, error) {
	d, err := readDecisions(ws)
	if err != nil {
		return "", nil
	}
	path := ws.PlanPath(harvest.ColumnsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	var lines []string
	for _, c := range d.Columns {
		if !c.Answered() {
			continue
		}
		out, changed, err := harvest.ApplyChoice(data, m, c.File, c.Header, c.Choice)
		if err != nil {
			return "", fmt.Errorf("apply your answer for %s %q: %w", c.File, c.Header, err)
		}
		if changed {
			data = out
			lines = append(lines, fmt.Sprintf("  %s %q → %s", c.File, c.Header, c.Choice))
		}
	}
	if len(lines) == 0 {
		return "", nil
	}
	if err := writeFileAtomic(path, data); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return fmt.Sprintf("applied %d column answer(s) of %s to %s:\n%s", len(lines), workspace.DecisionsFile,
		harvest.ColumnsFile, strings.Join(lines, "\n")), nil
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

// columnDecisions are the open decisions of the column map's ambiguous columns.
func columnDecisions(m *harvest.ColumnMap) []decide.ColumnChoice {
	var out []decide.ColumnChoice
	for _, a := range m.Ambiguities() {
		quoted := make([]string, len(a.Others))
		for i, o := range a.Others {
			quoted[i] = strconv.Quote(o)
		}
		out = append(out, decide.ColumnChoice{File: a.File, Header: a.Header, Options: a.Options(), Choice: decide.ColumnOpen,
			Why: fmt.Sprintf("its header and %s both spell %s; %s has it as %s for now", strings.Join(quoted, ", "), a.Field,
				harvest.ColumnsFile, a.Current)})
	}
	return out
}
