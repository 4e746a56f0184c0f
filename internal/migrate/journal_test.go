package migrate

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"ferry/internal/store"
)

// TestSchemaJournalNames checks that created fields, pipelines and stages are journaled with
// their names (and stages with their pipeline), beside the keys rollback reads.
func TestSchemaJournalNames(t *testing.T) {
	f := newFixture(t, 20, 5)
	if _, err := f.engine(f.store).Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	seen := map[string]int{}
	err := f.store.EachJournal(context.Background(), 0, false, func(j store.JournalEntry) error {
		if j.Op != OpSchemaCreate {
			return nil
		}
		what, _, _ := strings.Cut(j.Entity, ":")
		var undo map[string]any
		if err := json.Unmarshal(j.Undo, &undo); err != nil {
			t.Fatalf("%s: undo %s: %v", j.Entity, j.Undo, err)
		}
		wantKeys := map[string][]string{"field": {"delete_field", "field_code", "name"},
			"pipeline": {"delete", "id", "name"}, "stage": {"delete", "id", "name", "pipeline_id"}}[what]
		for _, k := range wantKeys {
			if v, ok := undo[k]; !ok || v == "" || v == float64(0) {
				t.Errorf("%s %s: undo %s lacks %q", what, j.DestID, j.Undo, k)
			}
		}
		seen[what]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, what := range []string{"field", "pipeline", "stage"} {
		if seen[what] == 0 {
			t.Errorf("no %s creation journaled (saw %v): the test proves nothing", what, seen)
		}
	}
}
