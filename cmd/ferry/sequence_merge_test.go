package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOverwriteMergeVerifiesAndRollsBack: merges into existing Pipedrive records with the
// overwrite policy are accepted (no create-only key in the PATCH), the run merges them,
// verify passes, and rollback restores the sandbox exactly, with a proof that holds.
func TestOverwriteMergeVerifiesAndRollsBack(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 20, 23)
	seedMergeTargetsPolicy(t, dir, "overwrite")
	before := liveView(sb)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	out, stderr, code := runFerry(t, "run", "-w", dir, "--json")
	if code != genRunExit {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	merged := 0
	phases, _ := jsonEvents(t, out)["done"]["phases"].([]any)
	for _, p := range phases {
		m, _ := p.(map[string]any)
		if m["entity"] == "person" || m["entity"] == "organization" {
			f, _ := m["merged"].(float64)
			merged += int(f)
			if n, _ := m["failed"].(float64); n > 0 {
				t.Errorf("%s: %v failed (a refused merge)", m["entity"], n)
			}
		}
	}
	if merged < 2 {
		t.Errorf("overwrite run merged %d records into the two existing ones", merged)
	}
	if out, stderr, code := runFerry(t, "verify", "-w", dir); code != 0 || !strings.Contains(out, "verification passed") {
		t.Errorf("verify after overwrite merges: exit %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := runFerry(t, "rollback", "--yes", "-w", dir); code != 0 || !strings.Contains(out, "HOLDS") {
		t.Fatalf("rollback: exit %d\n%s%s", code, out, stderr)
	}
	if diff := cmp.Diff(before, liveView(sb)); diff != "" {
		t.Errorf("sandbox after rollback differs from before the migration (-before +after):\n%s", diff)
	}
}
