package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/klipy/harvest"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/workspace"
)

// TestAmbiguousColumnsBecomeDecisions runs the hand-written export in
// testdata/columns/ambiguous-email: two headers spelling email become open column
// decisions in decisions.yaml, lint refuses (exit 4) naming them, the user's answers are
// applied to columns.yaml on the next extract (their comments kept) and read, a re-plan
// keeps the answers, and the headerless column of scribbles is listed as not migrated.
func TestAmbiguousColumnsBecomeDecisions(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "columns", "ambiguous-email"))
	if err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", ws, "--harvest", dir); code != exitOK {
		t.Fatalf("init: %d %s", code, stderr)
	}
	out, stderr, code := runFerry(t, "extract", "-w", ws)
	if code != exitOK || !strings.Contains(out, "people.csv: column 7 has no header and is not migrated") {
		t.Fatalf("extract: exit %d, want the scribbles column listed as not migrated\n%s%s", code, out, stderr)
	}
	if _, stderr, code := runFerry(t, "plan", "-w", ws, "--offline"); code != exitOK {
		t.Fatalf("plan: exit %d %s", code, stderr)
	}
	d := readDecisionsFile(t, ws)
	if len(d.Columns) != 2 || d.Columns[0].Header != "Email" || d.Columns[1].Header != "E-Mail Address" ||
		d.Columns[0].Answered() || d.Columns[1].Answered() {
		t.Fatalf("column decisions %+v, want Email and E-Mail Address open", d.Columns)
	}
	out, stderr, code = runFerry(t, "lint", "-w", ws, "--offline")
	if code != exitBlocked || !strings.Contains(stderr, `people.csv "Email"`) || !strings.Contains(stderr, `people.csv "E-Mail Address"`) {
		t.Fatalf("lint with open column decisions: exit %d, want %d naming both columns\n%s%s", code, exitBlocked, out, stderr)
	}

	colPath := filepath.Join(ws, harvest.ColumnsFile)
	cols, err := os.ReadFile(colPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(colPath, append([]byte("# reviewed with Maya\n"), cols...), 0o644); err != nil {
		t.Fatal(err)
	}
	d.Columns[0].Choice, d.Columns[1].Choice = "custom.Private Email", "email"
	w, err := workspace.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeDecisions(w, d); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runFerry(t, "extract", "-w", ws)
	if code != exitOK || !strings.Contains(out, "applied 2 column answer(s)") {
		t.Fatalf("extract after answering: exit %d, want the answers applied\n%s%s", code, out, stderr)
	}
	cols, _ = os.ReadFile(colPath)
	for _, want := range []string{"# reviewed with Maya", "field: custom.Private Email", "header: E-Mail Address\n        field: email"} {
		if !strings.Contains(string(cols), want) {
			t.Errorf("columns.yaml after the answers lacks %q:\n%s", want, cols)
		}
	}
	for _, p := range snapshotRecords(t, ws, source.Person) {
		if p.ID == "P1" && (p.Fields["email"] != "ann@acme.io" || p.Fields["custom.Private Email"] != "ann.lee@gmail.com") {
			t.Errorf("P1 after the answers: %v; want email ann@acme.io and Private Email ann.lee@gmail.com", p.Fields)
		}
	}
	if _, stderr, code := runFerry(t, "plan", "-w", ws, "--offline"); code != exitOK {
		t.Fatalf("plan again: exit %d %s", code, stderr)
	}
	if d := readDecisionsFile(t, ws); len(d.Columns) != 2 || d.Columns[0].Choice != "custom.Private Email" || d.Columns[1].Choice != "email" {
		t.Errorf("re-plan lost the answers: %+v", d.Columns)
	}
	if out, stderr, code := runFerry(t, "lint", "-w", ws, "--offline"); code != exitOK {
		t.Errorf("lint after answering: exit %d\n%s%s", code, out, stderr)
	}
}

// readDecisionsFile parses ws/decisions.yaml.
func readDecisionsFile(t *testing.T, ws string) decide.Decisions {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ws, decide.FileName))
	if err != nil {
		t.Fatal(err)
	}
	d, err := decide.Parse(decide.FileName, data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
