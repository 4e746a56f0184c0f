package lock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/store/sqlite"
)

// TestSaveFilesNamesTheEditedLine confirms a plan with its files stored, edits one line of
// mapping.yaml (as a second machine's copy might differ) and checks that the refusal names
// the line with both versions; a file too large to store is refused by hash alone.
func TestSaveFilesNamesTheEditedLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := Files{Mapping: filepath.Join(dir, "mapping.yaml"), Decisions: filepath.Join(dir, "decisions.yaml"),
		Dedupe: filepath.Join(dir, "dedupe.json")}
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(f.Mapping, "objects:\n  person:\n    name: full_name\n")
	write(f.Decisions, "owners: []\n")
	l, err := Compute(ctx, st, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveFiles(ctx, st, f); err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, st, l); err != nil {
		t.Fatal(err)
	}
	if got, err := st.GetCursor(ctx, FileCursor("decisions.yaml")); err != nil || got != "owners: []\n" {
		t.Errorf("stored decisions.yaml = %q, %v", got, err)
	}
	write(f.Mapping, "objects:\n  person:\n    name: first_name\n")
	_, err = Check(ctx, st, f)
	want := `line 3: confirmed "    name: full_name", now "    name: first_name"`
	if !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), want) {
		t.Errorf("Check after an edit: %v\nwant it to contain %s", err, want)
	}
}
