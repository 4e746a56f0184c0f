package delta

import (
	"context"
	"path/filepath"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// TestBaselineRecordsDoneRecordsOnce: Baseline gives done records their snapshot hash, leaves
// others alone, and never overwrites a hash a delta already recorded.
func TestBaselineRecordsDoneRecordsOnce(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := []source.Record{
		{Kind: source.Person, ID: "p1", Fields: map[string]string{"id": "p1", "title": "A"}},
		{Kind: source.Person, ID: "p2", Fields: map[string]string{"id": "p2", "title": "B"}},
		{Kind: source.Person, ID: "p3", Fields: map[string]string{"id": "p3", "title": "C"}},
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	for _, m := range []store.Mapping{
		{Kind: source.Person, SourceID: "p1", Entity: "person", DestID: 1, State: store.Done},
		{Kind: source.Person, SourceID: "p2", Entity: "person", State: store.Failed, Reason: "x"},
		{Kind: source.Person, SourceID: "p3", Entity: "person", DestID: 3, State: store.Done},
	} {
		if err := st.PutMapping(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutCursor(ctx, hashCursor(source.Person, "p3"), "sent"); err != nil {
		t.Fatal(err)
	}
	if has, err := HasBaseline(ctx, st); has || err != nil {
		t.Fatalf("HasBaseline before = %v, %v", has, err)
	}
	n, err := Baseline(ctx, st)
	if err != nil || n != 1 {
		t.Fatalf("Baseline = %d, %v; want 1 (only p1)", n, err)
	}
	want := map[string]string{"p1": recs[0].Hash(), "p2": "", "p3": "sent"}
	for id, h := range want {
		if got, err := migratedHash(ctx, st, source.Person, id); got != h || err != nil {
			t.Errorf("%s: migrated hash %q (%v), want %q", id, got, err, h)
		}
	}
	if has, err := HasBaseline(ctx, st); !has || err != nil {
		t.Fatalf("HasBaseline after = %v, %v", has, err)
	}
}
