package lock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

func TestCheck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := Files{Mapping: filepath.Join(dir, "mapping.yaml"), Decisions: filepath.Join(dir, "decisions.yaml"),
		Dedupe: filepath.Join(dir, "dedupe.json"), Columns: filepath.Join(dir, "columns.yaml")}
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(f.Mapping, "objects: {}\n")
	write(f.Decisions, "owners: []\n")
	write(f.Dedupe, "{}")
	write(f.Columns, "version: 1\nfiles: []\n")
	put := func(id, v string) {
		_, err := st.PutRecords(ctx, []source.Record{{Kind: source.Person, ID: id, Channel: source.Harvest,
			Fields: map[string]string{"email": v}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("p1", "a@x.com")

	if _, err := Check(ctx, st, f); !errors.Is(err, ErrNoLock) {
		t.Fatalf("Check before confirm: %v, want ErrNoLock", err)
	}
	l, err := Compute(ctx, st, f)
	if err != nil {
		t.Fatal(err)
	}
	l.At = time.Now()
	if err := Save(ctx, st, l); err != nil {
		t.Fatal(err)
	}
	if _, err := Check(ctx, st, f); err != nil {
		t.Fatalf("Check right after confirm: %v", err)
	}

	tests := []struct {
		name   string
		change func()
		undo   func()
		want   string
	}{
		{"mapping comment edited", func() { write(f.Mapping, "objects: {} # why\n") },
			func() { write(f.Mapping, "objects: {}\n") }, "mapping.yaml was edited"},
		{"decision edited", func() { write(f.Decisions, "owners: [] \n") },
			func() { write(f.Decisions, "owners: []\n") }, "decisions.yaml was edited"},
		{"dedupe merge edited", func() { write(f.Dedupe, `{"person_clusters":[]}`) },
			func() { write(f.Dedupe, "{}") }, "dedupe.json was edited"},
		{"dedupe file removed", func() { os.Remove(f.Dedupe) },
			func() { write(f.Dedupe, "{}") }, "dedupe.json was edited"},
		{"column map edited", func() { write(f.Columns, "version: 1\nfiles: [] # x\n") },
			func() { write(f.Columns, "version: 1\nfiles: []\n") }, "columns.yaml was edited (run ferry extract"},
		{"record changed", func() { put("p1", "b@x.com") }, func() { put("p1", "a@x.com") }, "source snapshot changed"},
		{"record added", func() { put("p2", "c@x.com") },
			func() { st.DeleteRecords(ctx, source.Person, []string{"p2"}) }, "1 records at confirmation, 2 now"},
	}
	t.Run("column map absent on another machine", func(t *testing.T) {
		os.Remove(f.Columns)
		defer write(f.Columns, "version: 1\nfiles: []\n")
		if _, err := Check(ctx, st, f); err != nil {
			t.Errorf("Check without columns.yaml (it steers extract, not run): %v", err)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.change()
			_, err := Check(ctx, st, f)
			if !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check after change: %v, want ErrStale naming %q", err, tt.want)
			}
			tt.undo()
			if _, err := Check(ctx, st, f); err != nil {
				t.Errorf("Check after undoing the change: %v", err)
			}
		})
	}
}
