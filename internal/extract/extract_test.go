package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

func openStore(t *testing.T, name string) store.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func runHarvest(t *testing.T, target store.Store, dir string) Report {
	t.Helper()
	ctx := context.Background()
	if err := ClearHarvestQuarantine(ctx, target); err != nil {
		t.Fatal(err)
	}
	staging := openStore(t, "staging.db")
	var steps []string
	rep, err := Run(ctx, target, staging, []Channel{&HarvestChannel{Dir: dir}, &WebhookChannel{Events: target}},
		func(step string, n int) {
			if len(steps) == 0 || steps[len(steps)-1] != step {
				steps = append(steps, step)
			}
		})
	if len(steps) == 0 || steps[0] != "stage harvest" {
		t.Errorf("progress steps %q, want them to start with the harvest staging", steps)
	}
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestRunIdempotentAndReportsChanges extracts a generated harvest folder twice (nothing
// changes), then edits, adds and removes rows and checks the report names exactly that.
func TestRunIdempotentAndReportsChanges(t *testing.T) {
	dir := t.TempDir()
	key, err := gen.New(gen.Config{People: 120, Seed: 5}).WriteHarvest(dir)
	if err != nil {
		t.Fatal(err)
	}
	target := openStore(t, "state.db")
	first := runHarvest(t, target, dir)
	if got, want := first.Changes[source.Person].Added, key.Records[source.Person]; got != want {
		t.Errorf("first extraction added %d people, want %d", got, want)
	}
	second := runHarvest(t, target, dir)
	for _, k := range source.Kinds {
		c := second.Changes[k]
		if c.Added+c.Changed+c.Removed != 0 || c.Unchanged != first.Changes[k].Total {
			t.Errorf("%s: second extraction %+v, want all %d unchanged", k, c, first.Changes[k].Total)
		}
	}
	q, err := target.QuarantineItems(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != countHarvestBroken(key) {
		t.Errorf("quarantine holds %d rows after two extractions, want %d (no pile-up)", len(q), countHarvestBroken(key))
	}

	editTasks(t, filepath.Join(dir, "tasks.csv"))
	third := runHarvest(t, target, dir)
	want := Change{Added: 1, Changed: 1, Removed: 1, Unchanged: first.Changes[source.Task].Total - 2,
		Total: first.Changes[source.Task].Total}
	if diff := cmp.Diff(want, third.Changes[source.Task]); diff != "" {
		t.Errorf("tasks change after edit (-want +got):\n%s", diff)
	}
}

func countHarvestBroken(k gen.Key) int {
	n := 0
	for _, b := range k.BrokenRows {
		if b.Stage == "harvest" {
			n++
		}
	}
	return n
}

// editTasks changes the title of the first task, drops the second and adds a new one.
func editTasks(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\r\n"), "\r\n")
	if len(lines) < 4 {
		t.Fatalf("tasks.csv has %d lines, want at least 4 CRLF lines", len(lines))
	}
	header := strings.Split(lines[0], ",")
	if strings.TrimPrefix(header[0], "\ufeff") != "id" || header[1] != "title" {
		t.Fatalf("tasks.csv header %q: test expects id,title first", lines[0])
	}
	cells := strings.SplitN(lines[1], ",", 3)
	lines[1] = cells[0] + ",Edited title," + cells[2]
	added := "task_added_by_test,New task from the test"
	lines = append(append(lines[:2], lines[3:]...), added)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
