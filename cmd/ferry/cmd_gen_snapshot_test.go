package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

// TestGenSnapshot fills a workspace, checks every kind against the generator, plans from it,
// and checks that a second fill and bad flags are refused.
func TestGenSnapshot(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", ws); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runFerry(t, "plan", "-w", ws, "--offline"); code != exitBlocked ||
		!strings.Contains(stderr, "run ferry extract first") {
		t.Errorf("plan on an empty snapshot: exit %d, %q; want %d saying to extract first", code, stderr, exitBlocked)
	}
	out, stderr, code := runFerry(t, "gen", "snapshot", "-w", ws, "--people", "120", "--seed", "4", "--json")
	if code != 0 {
		t.Fatalf("gen snapshot: exit %d: %s", code, stderr)
	}
	var got struct{ Records map[source.Kind]int }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("gen snapshot --json printed %q: %v", out, err)
	}
	d, want := gen.New(gen.Config{People: 120, Seed: 4}), map[source.Kind]int{}
	for _, k := range source.Kinds {
		if err := d.Each(k, func(source.Record) error { want[k]++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(want, got.Records); diff != "" {
		t.Errorf("records per kind (-generator +loaded):\n%s", diff)
	}
	st, err := sqlite.Open(filepath.Join(ws, ".ferry", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.CountRecords(t.Context(), source.Person)
	st.Close()
	if err != nil || n != want[source.Person] {
		t.Errorf("people in the snapshot = %d, %v; want %d", n, err, want[source.Person])
	}
	if _, stderr, code := runFerry(t, "plan", "-w", ws, "--offline"); code != 0 {
		t.Errorf("plan after gen snapshot: exit %d: %s", code, stderr)
	}
	_, stderr, code = runFerry(t, "gen", "snapshot", "-w", ws, "--people", "5")
	if code != exitBlocked || !strings.Contains(stderr, "already holds") {
		t.Errorf("second gen snapshot: exit %d, %q; want exit %d naming the records it holds", code, stderr, exitBlocked)
	}
	if _, stderr, code := runFerry(t, "gen", "snapshot", "-w", ws, "--people", "0"); code != exitUsage {
		t.Errorf("--people 0: exit %d (%s); want %d", code, stderr, exitUsage)
	}
}
