package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeltaIncomplete: after a complete migration, a delta whose fresh extract quarantines a
// new harvest row exits 6 (incomplete), naming the reason and listing the row in
// report/error-person.csv and report/quarantined.csv; a delta that cannot read a harvest
// file exits 6 naming the file; with the harvest mended, delta exits 0.
func TestDeltaIncomplete(t *testing.T) {
	f := newDeltaFixture(t, 15, 23)
	people := filepath.Join(f.dir, "harvest", "people.csv")
	good, err := os.ReadFile(people)
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(good), "\n")
	ragged := "per_delta_ragged" + strings.Repeat(",x", strings.Count(header, ",")+4) + "\n"
	if err := os.WriteFile(people, append(append([]byte{}, good...), ragged...), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runFerry(t, "delta", "-w", f.dir)
	if code != exitIncomplete || !strings.Contains(out, "1 people: quarantined at extract: row has") ||
		!strings.Contains(stderr, "did not arrive in Pipedrive") {
		t.Fatalf("delta with a new broken row: exit %d, want %d naming it\n%s%s", code, exitIncomplete, out, stderr)
	}
	listed := func(rows [][]string, cell int) bool {
		for _, r := range rows {
			if strings.HasPrefix(r[cell], "per_delta_ragged,") {
				return true
			}
		}
		return false
	}
	if rows := checkRowFiles(t, f.dir)["error-person"]; !listed(rows, 1) {
		t.Errorf("error-person.csv does not list the ragged row: %v", rows)
	}
	if rows := quarantinedRows(t, f.dir); !listed(rows, 5) {
		t.Errorf("quarantined.csv does not list the ragged row: %v", rows)
	}
	if err := os.WriteFile(people, good, 0o644); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(f.dir, "harvest", "notes.csv")
	text, err := os.ReadFile(notes)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notes, []byte{0x1F, 0x8B, 0x08, 0x00, 0x00}, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runFerry(t, "delta", "-w", f.dir)
	if code != exitIncomplete || !strings.Contains(stderr, "notes.csv") || !strings.Contains(stderr, "were not carried over") {
		t.Fatalf("delta with an unreadable notes.csv: exit %d, want %d naming it\n%s%s", code, exitIncomplete, out, stderr)
	}
	if err := os.WriteFile(notes, text, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := runFerry(t, "delta", "-w", f.dir); code != exitOK {
		t.Fatalf("delta with the harvest mended: exit %d, want 0\n%s%s", code, out, stderr)
	}
}
