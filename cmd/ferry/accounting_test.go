package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/migrate"
	"ferry/internal/report"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// TestPlanPredictsRunAccounting: on a generated workspace (plus one note without a parent),
// the losses the plan predicts
// before anything moves (what ferry decide list and ferry confirm print: a dry run of
// mapping.yaml over the snapshot), by object and reason — quarantined, held, refused —
// equal what ferry run then reports record by record; and each object's success and error
// rows add up to its source count derived from the generator's answer key (every record
// of the snapshot plus every broken row extract set aside), not from ferry's bookkeeping.
// The note Pipedrive would refuse is never sent (the sandbox counts the requests).
func TestPlanPredictsRunAccounting(t *testing.T) {
	for _, policy := range []string{"unlink", "hold"} {
		t.Run(policy, func(t *testing.T) { checkPlanPredictsRun(t, policy) })
	}
}

// checkPlanPredictsRun is TestPlanPredictsRunAccounting with on_missing_parent set to
// policy for deals, activities, notes and files (unlink is the default; hold keeps the
// children of a record that is not migrated back, as held).
func checkPlanPredictsRun(t *testing.T, policy string) {
	dir, sb, key := sandboxWorkspace(t, 40, 29)
	// A note that names no person, company or deal: Pipedrive would refuse it.
	addParentlessNote(t, dir)
	key.Records[source.Note]++
	// The broken rows' losses are accepted already: extract accounts for every row (exit 0).
	if out, stderr, code := runFerry(t, "extract", "-w", dir); code != exitOK || len(quarantinedRows(t, dir)) != harvestBroken(key) {
		t.Fatalf("extract: exit %d, want 0 with the key's broken harvest rows listed\n%s%s", code, out, stderr)
	}
	setMissingParent(t, dir, policy)
	acceptAllLosses(t, dir)
	if out, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: exit %d\n%s%s", code, out, stderr)
	}
	predicted := map[source.Kind]map[string]int{}
	withWorkspace(t, dir, func(ws *workspace.Workspace, st store.Store) {
		d, err := readDecisions(ws)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := workspaceLosses(context.Background(), ws, st, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			addCount(predicted, l.Kind, l.Reason, l.Records)
		}
	})
	list, _, _ := runFerry(t, "decide", "list", "-w", dir)
	for kind, reasons := range predicted {
		for reason, n := range reasons {
			if want := fmt.Sprintf("  %d %s: %s", n, plurals[kind], reason); !strings.Contains(list, want) {
				t.Errorf("ferry decide list does not show the predicted loss %q:\n%s", want, list)
			}
		}
	}
	out, stderr, code := runFerry(t, "run", "--json", "-w", dir)
	if code != genRunExit {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	outs := runOutcomes(t, out)
	reported := map[source.Kind]map[string]int{}
	for _, o := range outs {
		for _, r := range append(o.Reasons, o.AcceptedReasons...) {
			addCount(reported, o.Kind, r.Reason, r.Count)
		}
	}
	if diff := cmp.Diff(predicted, reported); diff != "" {
		t.Errorf("losses ferry run reported differ from the plan's prediction (-plan +run):\n%s", diff)
	}
	t.Logf("predicted and reported losses: %v", predicted)
	rows := checkRowFiles(t, dir)
	created := 0
	for _, r := range rows[report.SuccessPrefix+string(source.Note)] {
		if r[3] == "created" {
			created++
		}
	}
	if got := sb.Stats().Endpoints["POST /api/v1/notes"]; got == nil || got.Requests != created || got.Status["400"] != 0 {
		t.Errorf("POST /api/v1/notes: %+v, want exactly %d requests (the notes created) and no 400: the parentless note must not be sent", got, created)
	}
	broken := map[string]int{}
	for _, b := range key.BrokenRows {
		if b.Stage == gen.StageHarvest {
			broken[b.File]++
		}
	}
	d := &demo{key: key}
	harvestOnly := map[source.Channel]bool{source.Harvest: true}
	for _, kind := range migrate.Phases() {
		want := d.expectedRecords(kind, harvestOnly) // what the snapshot holds
		want += broken[key.HarvestFileOf(kind)]
		got := len(rows[report.SuccessPrefix+string(kind)]) + len(rows[report.ErrorPrefix+string(kind)])
		if got != want {
			t.Errorf("%s: success + error rows = %d, the answer key's source count is %d", kind, got, want)
		}
	}
}

// addCount adds n to m[kind][reason].
func addCount(m map[source.Kind]map[string]int, kind source.Kind, reason string, n int) {
	if m[kind] == nil {
		m[kind] = map[string]int{}
	}
	m[kind][reason] += n
}

// runOutcomes decodes the "outcomes" event of ferry run --json.
func runOutcomes(t *testing.T, out string) []report.Outcome {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, `"event":"outcomes"`) {
			continue
		}
		var ev struct {
			Objects []report.Outcome `json:"objects"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("outcomes event: %v\n%s", err, line)
		}
		return ev.Objects
	}
	t.Fatalf("ferry run --json printed no outcomes event:\n%s", out)
	return nil
}

// withWorkspace opens the workspace at dir for fn.
func withWorkspace(t *testing.T, dir string, fn func(*workspace.Workspace, store.Store)) {
	t.Helper()
	g := &globalOptions{Workspace: dir, stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	ws, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(ws, st)
}

// setMissingParent sets on_missing_parent: policy on every deal, activity, note and file
// object of the workspace's mapping.yaml.
func setMissingParent(t *testing.T, dir, policy string) {
	t.Helper()
	path := filepath.Join(dir, workspace.MappingFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, target := range []string{"deal", "activity", "note", "file"} {
		line := "\n    target: " + target + "\n"
		if !strings.Contains(text, line) {
			t.Fatalf("mapping.yaml has no object with target %s", target)
		}
		text = strings.ReplaceAll(text, line, line+"    on_missing_parent: "+policy+"\n")
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// addParentlessNote appends to the harvest's notes.csv a note that names no person, company
// or deal.
func addParentlessNote(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "harvest", "notes.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(data), "\n")
	cells := make([]string, strings.Count(header, ",")+1)
	for i, h := range strings.Split(header, ",") {
		switch strings.TrimSpace(h) {
		case "id":
			cells[i] = "note_parentless"
		case "body":
			cells[i] = "A note about nobody in particular."
		}
	}
	if cells[0] != "note_parentless" {
		t.Fatalf("notes.csv header %q does not start with id", header)
	}
	data = append(data, strings.Join(cells, ",")+"\n"...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
