package verify

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

func TestSaveLoad(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok, err := Load(ctx, st); ok || err != nil {
		t.Fatalf("Load of an empty store: ok %v, err %v; want none", ok, err)
	}
	var res Result
	for i := range 5 {
		res.add(3, Mismatch{Kind: source.Person, SourceID: "per_" + string(rune('a'+i)), Entity: "person", DestID: int64(i + 1),
			Field: "emails", Want: "a@x.org", Got: "b@x.org"})
	}
	res.At, res.Status = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), StatusMismatches
	res.Counts = []Count{{Kind: source.Person, Entity: "person", Checked: 9, Matched: 4, Mismatched: 5}}
	if res.Mismatches != 5 || len(res.First) != 3 {
		t.Fatalf("add kept %d of %d mismatches, want 3 of 5", len(res.First), res.Mismatches)
	}
	if err := Save(ctx, st, res); err != nil {
		t.Fatal(err)
	}
	got, ok, err := Load(ctx, st)
	if err != nil || !ok {
		t.Fatalf("Load: ok %v, err %v", ok, err)
	}
	if diff := cmp.Diff(res, got); diff != "" {
		t.Errorf("stored result (-saved +loaded):\n%s", diff)
	}
}
