package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// TestDeltaUpdatesNotes: a note edited in the harvest folder during the cutover is carried
// over with one v1 PUT, and rolling the delta back puts the old content back.
func TestDeltaUpdatesNotes(t *testing.T) {
	f := newDeltaFixture(t, 20, 8)
	var m store.Mapping
	f.withStore(t, func(_ *globalOptions, _ *workspace.Workspace, st store.Store) {
		err := st.EachMapping(context.Background(), source.Note, store.Done, func(x store.Mapping) error {
			if m.SourceID == "" {
				m = x
			}
			return nil
		})
		if err != nil || m.SourceID == "" {
			t.Fatalf("no migrated note: %v", err)
		}
	})
	before := f.noteContent(t, m.DestID)
	editHarvestNote(t, filepath.Join(f.dir, "harvest", "notes.csv"), m.SourceID, "Edited during the cutover")
	w0 := f.writes()
	rep := f.delta(t, DeltaOptions{})
	if n := f.writes() - w0; n != 1 {
		t.Errorf("delta made %d writes, want 1 (the note's PUT)", n)
	}
	if got := f.noteContent(t, m.DestID); !strings.Contains(got, "Edited during the cutover") {
		t.Fatalf("note content after delta %q, want the edit", got)
	}
	out, stderr, code := runFerry(t, "rollback", "-w", f.dir, "--yes", "--run", strconv.FormatInt(rep.RunID, 10))
	if code != 0 {
		t.Fatalf("rollback of delta run %d: exit %d\n%s%s", rep.RunID, code, out, stderr)
	}
	if got := f.noteContent(t, m.DestID); got != before {
		t.Errorf("note content after rollback %q, want %q", got, before)
	}
}

// noteContent returns the content of a note in the Pipedrive sandbox.
func (f *deltaFixture) noteContent(t *testing.T, id int64) string {
	t.Helper()
	for _, n := range f.pd.Snapshot().Notes {
		if nid, _ := n["id"].(float64); int64(nid) == id {
			c, _ := n["content"].(string)
			return c
		}
	}
	t.Fatalf("note %d is not in the sandbox", id)
	return ""
}

// editHarvestNote sets the body of note id in notes.csv.
func editHarvestNote(t *testing.T, path, id, body string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "body" {
			col = i
		}
	}
	found := false
	for _, r := range rows[1:] {
		if r[0] == id && col >= 0 {
			r[col], found = body, true
		}
	}
	if !found {
		t.Fatalf("note %s (or the body column) not in %s", id, path)
	}
	var out strings.Builder
	w := csv.NewWriter(&out)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
