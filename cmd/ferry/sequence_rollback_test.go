package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"ferry/internal/migrate"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/decide"
	"ferry/internal/workspace"
)

// TestRollbackFixRun walks what a consultant does after a rehearsal: run → rollback → plan
// again → edit mapping.yaml → confirm → run → verify. The second run must migrate every
// record again exactly once (read back from the sandbox, not from ferry's id map), its
// reconciliation must count this run's work, and verify must pass.
func TestRollbackFixRun(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 25, 31)
	if out, stderr, code := runFerry(t, "plan", "--fresh", "-w", dir); code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, stderr)
	}
	resolveOwners(t, dir, sb)
	acceptAllLosses(t, dir) // plan --fresh dropped them
	confirmAndRun(t, dir)
	first := sandboxCounts(sb)
	if first["persons"] == 0 || first["deals"] == 0 {
		t.Fatalf("the first run created %v: the test would prove nothing", first)
	}
	if out, stderr, code := runFerry(t, "rollback", "--yes", "-w", dir); code != 0 || !strings.Contains(out, "pending again") {
		t.Fatalf("rollback: exit %d\n%s%s", code, out, stderr)
	}
	if got := sandboxCounts(sb); got["persons"]+got["organizations"]+got["deals"]+got["activities"] != 0 {
		t.Fatalf("after rollback the sandbox still holds %v", got)
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	renamed := renameACustomField(t, ws) // the fix after the rehearsal
	if out, stderr, code := runFerry(t, "plan", "-w", dir); code != 0 || !strings.Contains(out, "kept your edits") {
		t.Fatalf("plan after the edit: exit %d\n%s%s", code, out, stderr)
	}
	acceptAllLosses(t, dir)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		lo, le, _ := runFerry(t, "lint", "-w", dir)
		t.Fatalf("confirm after the edit: %s\n%s%s", stderr, lo, le)
	}
	out, stderr, code := runFerry(t, "run", "-w", dir, "--json")
	if code != genRunExit {
		t.Fatalf("run after rollback: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("second run:\n%s", out)
	done := jsonEvents(t, out)["done"]
	if n := createdThisRun(done); n == 0 || n != createdIn(done) {
		t.Errorf("run after rollback: %d created by this run of %d created: want all of them, and some", n, createdIn(done))
	}
	want := createdByCollection(done)
	got := sandboxCounts(sb)
	for coll, n := range want {
		if got[coll] != n {
			t.Errorf("sandbox holds %d live %s after rollback and run, the run says it created %d", got[coll], coll, n)
		}
	}
	checkLiveUnique(t, sb)
	if !sandboxHasField(sb, renamed) {
		t.Errorf("the run after the fix did not create the renamed field %q", renamed)
	}
	if out, stderr, code := runFerry(t, "verify", "-w", dir); code != 0 || !strings.Contains(out, "verification passed") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = runFerry(t, "run", "-w", dir)
	if code != genRunExit || !strings.Contains(out, "created and merged nothing") {
		t.Errorf("third run: exit %d, want %d (generated data) and a run that says it moved nothing\n%s%s", code, genRunExit, out, stderr)
	}
}

// sandboxCounts counts the live (not deleted) items the sandbox holds, by collection.
func sandboxCounts(sb *sandbox.Server) map[string]int {
	out := map[string]int{}
	for coll, items := range liveView(sb) {
		if !strings.HasPrefix(coll, "fields:") {
			out[coll] = len(items)
		}
	}
	return out
}

// checkLiveUnique fails when two live sandbox persons, organizations or deals carry the same
// Klipy ID, or activities or notes the same Klipy ID marker.
func checkLiveUnique(t *testing.T, sb *sandbox.Server) {
	t.Helper()
	live := liveView(sb)
	codes := map[string]bool{}
	for coll, fields := range live {
		if strings.HasPrefix(coll, "fields:") {
			for code, f := range fields {
				if f.(map[string]any)["field_name"] == migrate.KlipyIDField {
					codes[code] = true
				}
			}
		}
	}
	marker := regexp.MustCompile(`Klipy ID ([^)<]+)\)`)
	n := 0
	for _, coll := range []string{"persons", "organizations", "deals", "activities", "notes"} {
		seen := map[string]bool{}
		for id, v := range live[coll] {
			rec := v.(map[string]any)
			var keys []string
			cf, _ := rec["custom_fields"].(map[string]any)
			for code := range codes {
				if k, _ := cf[code].(string); k != "" {
					keys = append(keys, k)
				}
			}
			for _, text := range []string{fmt.Sprint(rec["note"]), fmt.Sprint(rec["content"])} {
				if m := marker.FindStringSubmatch(text); m != nil {
					keys = append(keys, m[1])
				}
			}
			for _, k := range keys {
				if seen[k] {
					t.Errorf("%s: Klipy ID %s exists twice (one is %s)", coll, k, id)
				}
				seen[k] = true
				n++
			}
		}
	}
	if n == 0 {
		t.Error("no live record carries a Klipy ID: the check proves nothing")
	}
}

// createdByCollection sums the created records of a done event by sandbox collection.
func createdByCollection(done map[string]any) map[string]int {
	coll := map[string]string{"organization": "organizations", "person": "persons", "deal": "deals",
		"activity": "activities", "note": "notes", "file": "files"}
	out := map[string]int{}
	phases, _ := done["phases"].([]any)
	for _, p := range phases {
		m, _ := p.(map[string]any)
		f, _ := m["created"].(float64)
		out[coll[fmt.Sprint(m["entity"])]] += int(f)
	}
	return out
}

// createdThisRun sums created_this_run over the phases of a done event.
func createdThisRun(done map[string]any) int {
	n := 0
	phases, _ := done["phases"].([]any)
	for _, p := range phases {
		m, _ := p.(map[string]any)
		f, _ := m["created_this_run"].(float64)
		n += int(f)
	}
	return n
}

// resolveOwners gives every open owner decision to the sandbox's first user with
// ferry decide owner --fallback, as a consultant would.
func resolveOwners(t *testing.T, dir string, sb *sandbox.Server) {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := readDecisions(ws)
	if err != nil {
		t.Fatal(err)
	}
	users := sb.Snapshot().Users
	if len(users) == 0 {
		t.Fatal("the sandbox has no user")
	}
	admin := fmt.Sprint(users[0]["email"])
	for _, o := range d.Owners {
		if o.Resolution == decide.OwnerOpen || o.Resolution == "" {
			name, _, _ := strings.Cut(o.Klipy, " <")
			if _, stderr, code := runFerry(t, "decide", "owner", name, "--fallback", admin, "-w", dir); code != 0 {
				t.Fatalf("decide owner %s: %s", name, stderr)
			}
		}
	}
}

// sandboxHasField reports whether a live custom field of that name exists.
func sandboxHasField(sb *sandbox.Server, name string) bool {
	for _, fields := range sb.Snapshot().Fields {
		for _, f := range fields {
			if f["field_name"] == name {
				return true
			}
		}
	}
	return false
}

// editMapping makes a hand edit a consultant would: it renames nothing but changes the
// mapping file's text so that confirm sees a new mapping.
func editMapping(t *testing.T, dir string) {
	t.Helper()
	path := dir + "/" + workspace.MappingFile
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(data, []byte("\n# reviewed after the rehearsal\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
}
