package profile

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

var _ Records = store.Store(nil) // the state store is a record source

// TestBuildFromSQLite profiles a snapshot through the SQLite store and gets the same
// profile as from memory.
func TestBuildFromSQLite(t *testing.T) {
	recs, _ := harvestRecords(t, 40, 3)
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, kind := range source.Kinds {
		if _, err := st.PutRecords(ctx, recs[kind]); err != nil {
			t.Fatal(err)
		}
	}
	fromStore, err := Build(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	fromMemory, err := Build(ctx, sortedByID(recs))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(fromMemory, fromStore); d != "" {
		t.Errorf("profile from SQLite differs (-memory +store):\n%s", d)
	}
}

// sortedByID orders records by id, as the store walks them.
func sortedByID(m memRecords) memRecords {
	out := memRecords{}
	for k, rs := range m {
		cp := append([]source.Record(nil), rs...)
		for i := 1; i < len(cp); i++ {
			for j := i; j > 0 && cp[j].ID < cp[j-1].ID; j-- {
				cp[j], cp[j-1] = cp[j-1], cp[j]
			}
		}
		out[k] = cp
	}
	return out
}

func TestBuildStopsOnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	recs, _ := harvestRecords(t, 10, 1)
	if _, err := Build(ctx, recs); !errors.Is(err, context.Canceled) {
		t.Errorf("Build with a cancelled context: %v, want context.Canceled", err)
	}
}
