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
	"ferry/internal/store"
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

// walkCounter counts the walks of the snapshot's hashes; hide drops the records version.
type walkCounter struct {
	*sqlite.Store
	walks int
}

func (w *walkCounter) EachRecordHash(ctx context.Context, k source.Kind, fn func(id, hash string) error) error {
	w.walks++
	return w.Store.EachRecordHash(ctx, k, fn)
}

type unversioned struct{ store.Store }

// TestCheckWalksOnlyAfterAWrite checks that Check trusts the records version: no walk of the
// snapshot while it is the confirmed one, a walk (and a stale lock) after a record changed,
// and a walk every time for a store that keeps no version.
func TestCheckWalksOnlyAfterAWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := &walkCounter{Store: db}
	f := Files{Mapping: filepath.Join(dir, "mapping.yaml"), Decisions: filepath.Join(dir, "decisions.yaml"),
		Dedupe: filepath.Join(dir, "dedupe.json")}
	for _, p := range []string{f.Mapping, f.Decisions, f.Dedupe} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put := func(v string) {
		if _, err := db.PutRecords(ctx, []source.Record{{Kind: source.Person, ID: "p1", Fields: map[string]string{"email": v}}}); err != nil {
			t.Fatal(err)
		}
	}
	put("a@x.com")
	l, err := Compute(ctx, st, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, st, l); err != nil {
		t.Fatal(err)
	}
	st.walks = 0
	if _, err := Check(ctx, st, f); err != nil || st.walks != 0 {
		t.Errorf("Check of the confirmed snapshot: %v after %d walks, want nil after 0", err, st.walks)
	}
	put("a@x.com") // the same content: no new version
	if _, err := Check(ctx, st, f); err != nil || st.walks != 0 {
		t.Errorf("Check after an unchanged put: %v after %d walks, want nil after 0", err, st.walks)
	}
	put("b@x.com")
	if _, err := Check(ctx, st, f); !errors.Is(err, ErrStale) || st.walks == 0 {
		t.Errorf("Check after a change: %v after %d walks, want ErrStale after a walk", err, st.walks)
	}
	put("a@x.com") // back to the confirmed content under a new version: a walk says it is the same
	if _, err := Check(ctx, st, f); err != nil {
		t.Errorf("Check after the content came back: %v, want nil", err)
	}
	if _, err := Check(ctx, unversioned{st}, f); err != nil {
		t.Errorf("Check on a store without a version: %v", err)
	}
	before := st.walks
	if _, err := Check(ctx, unversioned{st}, f); err != nil || st.walks == before {
		t.Errorf("Check on a store without a version: %v after %d new walks, want nil after one", err, st.walks-before)
	}
}
