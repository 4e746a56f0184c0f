package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/estimate"
	"ferry/internal/mdsafe"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/source"
)

// namesHarvest is a harvest written by hand whose Klipy ids look like Klipy's own, opaque
// ones (own_9zt2m, per_8ab3n): owner Jane Roe has no Pipedrive user (her company, person,
// deal, interaction and task would not arrive until her owner decision is made), Ines
// Duarte's email is invalid, a note names no record, Maya Okafor is in Klipy twice and a
// deal's created_at is no date.
const namesHarvest = "testdata/names/harvest"

// klipyID matches the ids of namesHarvest wherever a report prints them.
var klipyID = regexp.MustCompile(`\b(own|cmp|per|deal|int|note|task|att)_[0-9a-z]{5}\b`)

// namesOutput is one thing ferry printed or wrote for a reader, with its golden file.
type namesOutput struct {
	name string // golden file name in testdata/names
	text string
	md   bool // Markdown: names appear escaped (mdsafe)
}

// TestNamesNotIDs walks the hand-written workspace through plan, decide list, confirm,
// run and report and checks what each shows a reader: plan-report.md predicts what would
// not arrive by object and reason, naming records, owners and duplicates by name and email;
// decide list names the same records and, once accepted, lists the accepted losses; the
// report names what a run left out. Each output is a golden file (go test -run
// TestNamesNotIDs -update rewrites them), and no Klipy id appears on a line without the
// name of its record.
func TestNamesNotIDs(t *testing.T) {
	dir, _, ferry := namesWorkspace(t)
	outs := []namesOutput{
		{"plan-report.md", planReport(t, dir), true},
		{"decide-list-before.txt", ferry(exitOK, "decide", "list"), false},
	}
	ferry(exitOK, "decide", "owner", "Jane Roe", "--map", "ann.lee@northwind-tools.co.uk")
	outs = append(outs, namesOutput{"confirm-refused.txt", ferry(exitBlocked, "confirm", "--yes"), false})
	ferry(exitOK, "decide", "accept-loss", "--all")
	outs = append(outs, namesOutput{"decide-list-accepted.txt", ferry(exitOK, "decide", "list"), false})
	ferry(exitOK, "confirm", "--yes")
	run := ferry(exitOK, "run")
	outs = append(outs, namesOutput{"run-summary.txt", runSummary(run, dir), false})
	outs = append(outs, namesOutput{"report-sections.md", reportSections(t, dir), true})

	labels := snapshotLabels(t, dir)
	for _, o := range outs {
		checkGolden(t, filepath.Join("testdata", "names", o.name+".golden"), o.text)
		checkNamed(t, o, labels)
	}
}

// TestIncompleteRunNamesRecords: when Pipedrive refuses a record at run time (an activity
// type it does not have), ferry run exits 6 and names the record under its reason, verify
// exits 3, and the report's not-migrated and first-mismatches tables name it too (golden
// files; no id without its name).
func TestIncompleteRunNamesRecords(t *testing.T) {
	dir, _, ferry := namesWorkspace(t)
	ferry(exitOK, "decide", "owner", "Jane Roe", "--map", "ann.lee@northwind-tools.co.uk")
	ferry(exitOK, "decide", "accept-loss", "--all")
	ferry(exitOK, "decide", "activity", "MEETING", "--target", "site_visit")
	ferry(exitOK, "confirm", "--yes")
	run := ferry(exitIncomplete, "run")
	if !strings.Contains(run, "Intro call (int_1qz8v)") {
		t.Errorf("ferry run does not name the refused interaction Intro call (int_1qz8v):\n%s", run)
	}
	verified := ferry(exitMismatch, "verify")
	labels := snapshotLabels(t, dir)
	for _, o := range []namesOutput{
		{"verify-mismatches.txt", verifyMismatches(verified), false},
		{"run-incomplete.txt", runSummary(run, dir), false},
		{"report-incomplete.md", reportSections(t, dir), true},
		{"report-mismatches.md", reportMismatches(t, dir), true},
	} {
		checkGolden(t, filepath.Join("testdata", "names", o.name+".golden"), o.text)
		checkNamed(t, o, labels)
	}
}

// namesWorkspace extracts namesHarvest into a new workspace and plans it (ferry plan)
// against an in-process Pipedrive sandbox whose one user is Ann Lee. It returns the
// workspace, the sandbox and a function running ferry on the workspace that fails the test
// unless ferry exits with wantCode, returning stdout and stderr.
func namesWorkspace(t *testing.T) (string, *sandbox.Server, func(wantCode int, args ...string) string) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Seed: 1, Users: []sandbox.User{{Name: "Ann Lee", Email: "ann.lee@northwind-tools.co.uk"}}})
	newSandboxServer(t, sb)
	dir := filepath.Join(t.TempDir(), "ws")
	ferry := func(wantCode int, args ...string) string {
		t.Helper()
		out, stderr, code := runFerry(t, append(args, "-w", dir)...)
		if code != wantCode {
			t.Fatalf("ferry %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, wantCode, out, stderr)
		}
		return out + stderr
	}
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	copyDir(t, namesHarvest, filepath.Join(dir, "harvest"))
	ferry(exitOK, "extract")
	ferry(exitOK, "plan")
	return dir, sb, ferry
}

// planReport returns plan-report.md without its first lines (the time it was built).
func planReport(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "plan-report.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "## In short")
	return "## In short" + rest
}

// summaryLine matches the lines of ferry run's outcome summary: a reason with its count, a
// record named under it, the file of every row, the verdict.
var summaryLine = regexp.MustCompile(`^  \d+ \w+: |^ {6}\S|accepted loss|warning\(s\)|not in Pipedrive|every row|did not arrive`)

// runSummary keeps the lines of ferry run's output that name records and losses (the rest
// carries timings and token counts), with the workspace directory written as WS.
func runSummary(out, dir string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if summaryLine.MatchString(l) || klipyID.MatchString(l) {
			keep = append(keep, strings.ReplaceAll(l, dir, "WS"))
		}
	}
	return strings.Join(keep, "\n") + "\n"
}

// reportSections runs ferry report at a fixed time and returns the sections of report.md
// that name records: dedupe merges, owner decisions, not migrated.
func reportSections(t *testing.T, dir string) string {
	t.Helper()
	var out bytes.Buffer
	g := &globalOptions{Workspace: dir, stdout: &out, stderr: &out}
	now := func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	if err := runReport(context.Background(), g, ReportOptions{now: now}); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "report", "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	start, end := strings.Index(md, "## Dedupe merges"), strings.Index(md, "## Delta")
	if start < 0 || end < start {
		t.Fatalf("report.md lacks its dedupe .. delta sections:\n%s", md)
	}
	// the sandbox numbers records in the order its concurrent creates arrive
	return pipedriveID.ReplaceAllString(md[start:end], "${1}N${2}")
}

// pipedriveID matches the Pipedrive id cell of the report's applied merges table.
var pipedriveID = regexp.MustCompile(`(\| person \| )\d+( \|)`)

// verifyMismatches returns the mismatch lines of ferry verify's output (from its header to
// the cost line).
func verifyMismatches(out string) string {
	_, rest, ok := strings.Cut(out, "mismatches (")
	if !ok {
		return ""
	}
	rest, _, _ = strings.Cut(rest, "verification mismatches:")
	return "mismatches (" + rest
}

// reportMismatches returns the first-mismatches table of report.md's verification section
// (reportSections wrote report.md).
func reportMismatches(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report", "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "First mismatches:")
	if !ok {
		t.Fatalf("report.md lists no mismatches after a failed verify:\n%s", b)
	}
	table, _, _ := strings.Cut(rest, "## ")
	return table
}

// snapshotLabels returns the label of every record of the workspace's snapshot by its id.
func snapshotLabels(t *testing.T, dir string) map[string]string {
	t.Helper()
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	_, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	labels := map[string]string{}
	err = st.EachRecord(context.Background(), "", func(r source.Record) error {
		labels[r.ID] = source.Label(r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) < 15 {
		t.Fatalf("the snapshot holds %d records, want the hand harvest's 17", len(labels))
	}
	return labels
}

// checkNamed fails for each line of o that shows a Klipy id without its record's name.
func checkNamed(t *testing.T, o namesOutput, labels map[string]string) {
	t.Helper()
	for i, line := range strings.Split(o.text, "\n") {
		for _, id := range klipyID.FindAllString(line, -1) {
			label, ok := labels[id]
			if !ok {
				t.Errorf("%s:%d: %s is no record of the snapshot: %s", o.name, i+1, id, line)
				continue
			}
			if o.md {
				label = mdsafe.Text(label)
			}
			if label == "" || !strings.Contains(line, label) {
				t.Errorf("%s:%d: %s appears without its name %q: %s", o.name, i+1, id, label, line)
			}
		}
	}
}

// checkGolden compares got with the golden file, rewriting it under -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestNamesNotIDs -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", golden, diff)
	}
}

// TestEstimatePricesOnlyWhatIsSent: on namesHarvest, ferry estimate prices a create for
// exactly the records the plan would send — not those predicted quarantined, refused or
// merged — and once the owner is decided and the losses accepted, ferry run sends exactly
// the creates estimate priced, as the sandbox's request log counts them.
func TestEstimatePricesOnlyWhatIsSent(t *testing.T) {
	_, sb, ferry := namesWorkspace(t)
	// Jane Roe has no Pipedrive user yet: her company Fjord Freight, person Lars Berg, deal
	// Northwind press line, interaction Intro call and task Send the quote are quarantined;
	// Ines Duarte's email is invalid; the note without a parent is refused; Maya Okafor's
	// second record merges into her first.
	want := map[string]int{"company": 1, "person": 1, "deal": 1, "interaction": 1, "task": 0, "note": 1, "attachment": 0}
	got := estimatedCreates(t, ferry(exitOK, "estimate", "--json"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("creates priced before the owner decision (-want +got):\n%s", diff)
	}
	// the five of Jane Roe, Lars Berg's duplicate (held with him), Ines Duarte and the note
	if out := ferry(exitOK, "estimate"); !strings.Contains(out, "not priced: 8 record(s) that would not arrive") {
		t.Errorf("estimate does not say that the 8 records predicted lost are not priced:\n%s", out)
	}
	ferry(exitOK, "decide", "owner", "Jane Roe", "--map", "ann.lee@northwind-tools.co.uk")
	ferry(exitOK, "decide", "accept-loss", "--all")
	ferry(exitOK, "confirm", "--yes")
	priced := estimatedCreates(t, ferry(exitOK, "estimate", "--json"))
	want = map[string]int{"company": 2, "person": 2, "deal": 2, "interaction": 2, "task": 1, "note": 1, "attachment": 0}
	if diff := cmp.Diff(want, priced); diff != "" {
		t.Errorf("creates priced once Jane Roe's records go to Ann Lee (-want +got):\n%s", diff)
	}
	ferry(exitOK, "run")
	sent := map[string]int{}
	for key, n := range map[string]string{"company": "POST /api/v2/organizations", "person": "POST /api/v2/persons",
		"deal": "POST /api/v2/deals", "activity": "POST /api/v2/activities", "note": "POST /api/v1/notes"} {
		if e := sb.Stats().Endpoints[n]; e != nil {
			sent[key] = e.Requests
		}
	}
	wantSent := map[string]int{"company": priced["company"], "person": priced["person"], "deal": priced["deal"],
		"activity": priced["interaction"] + priced["task"], "note": priced["note"]}
	if diff := cmp.Diff(wantSent, sent); diff != "" {
		t.Errorf("creates sent by ferry run differ from those estimate priced (-priced +sent):\n%s", diff)
	}
}

// estimatedCreates reads ferry estimate --json and returns, per phase, the create requests
// it prices, after checking that they equal the phase's predicted creates.
func estimatedCreates(t *testing.T, out string) map[string]int {
	t.Helper()
	var r estimate.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("estimate --json: %v\n%s", err, out)
	}
	posts := map[string]float64{}
	for _, c := range r.Calls {
		if c.Method == http.MethodPost && c.Stage != "schema" && c.Stage != "verify" {
			posts[c.Stage] += c.Count
		}
	}
	got := map[string]int{}
	for _, p := range r.Workload.Phases {
		if int(posts[string(p.Kind)]) != p.Create {
			t.Errorf("%s: %v create requests priced for %d predicted creates", p.Kind, posts[string(p.Kind)], p.Create)
		}
		got[string(p.Kind)] = p.Create
	}
	return got
}
