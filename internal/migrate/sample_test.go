package migrate

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// TestSampleThenFullRun migrates a sample: it covers every kind and interaction type of the
// snapshot, its diff is clean, and the full run after it creates only the records the
// sample did not (counted by POSTs), with the sandbox checked against the answer key.
func TestSampleThenFullRun(t *testing.T) {
	f := newFixture(t, 60, 11)
	ctx := context.Background()
	e := f.engine(f.store)
	s, err := e.ChooseSample(ctx, 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Uncovered) > 0 {
		t.Fatalf("25 records left classes uncovered: %v", s.Uncovered)
	}
	checkCoverage(t, f, s)
	if !slices.Contains(s.Classes, "merged:person") || !slices.Contains(s.Classes, "with attachments:person") {
		t.Errorf("classes %v lack merged or attachment persons: the fixture has both", s.Classes)
	}
	e = f.engineOnly(s.Only)
	if _, err := e.Run(ctx); err != nil {
		t.Fatalf("sample run: %v", err)
	}
	diff, err := e.DiffSelection(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(diff.Diffs) > 0 || diff.Records == 0 {
		t.Errorf("sample diff: %d records, %d fields, diffs %+v", diff.Records, diff.Fields, diff.Diffs)
	}
	if files, _ := f.store.CountMappings(ctx, source.Attachment); files[store.Done] == 0 {
		t.Errorf("the sample uploaded no file (%v): the file diff is not exercised", files)
	}
	checkDiffCatches(t, f, e)
	t.Logf("sample: %d chosen + closure = %d records; diff compared %d records, %d fields", 25, s.Only.Len(), diff.Records, diff.Fields)
	doneAfterSample := f.doneCount(t)
	before := f.posts()
	rep, err := f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatalf("full run: %v", err)
	}
	if rep.SchemaCreated != 0 {
		t.Errorf("full run created %d schema items; the sample set the schema up", rep.SchemaCreated)
	}
	if got, want := f.posts()-before, f.doneCount(t)-doneAfterSample; got != want {
		t.Errorf("full run sent %d POSTs for %d newly done records", got, want)
	}
	f.checkSandbox(rep)
}

// checkCoverage checks, from the snapshot itself, that the sample holds every kind and
// every interaction type present.
func checkCoverage(t *testing.T, f *fixture, s Sample) {
	t.Helper()
	for _, k := range Phases() {
		types := map[string]bool{}
		present := false
		err := f.data.Each(k, func(r source.Record) error {
			present = true
			if k == source.Interaction {
				types[strings.ToUpper(r.Fields["type"])] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if present && len(s.Only[k]) == 0 {
			t.Errorf("the sample has no %s record", k)
		}
		for typ := range types {
			if !sampleHasType(f, s, typ) {
				t.Errorf("the sample has no %s interaction", typ)
			}
		}
	}
}

func sampleHasType(f *fixture, s Sample, typ string) bool {
	found := false
	_ = f.data.Each(source.Interaction, func(r source.Record) error {
		found = found || (s.Only.Has(source.Interaction, r.ID) && strings.EqualFold(r.Fields["type"], typ))
		return nil
	})
	return found
}

// engineOnly is engine restricted to a selection.
func (f *fixture) engineOnly(only Selection) *Engine {
	e, err := New(Config{Client: f.client(0), Store: f.store, Decisions: f.dec, Mapper: testMapper(), Merges: f.merges,
		Workers: 4, FilesRoot: f.harvest, Only: only})
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// doneCount counts the id-map rows in state done over every kind.
func (f *fixture) doneCount(t *testing.T) int {
	n := 0
	for _, k := range Phases() {
		c, err := f.store.CountMappings(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		n += c[store.Done]
	}
	return n
}

// checkDiffCatches renames one sampled person in Pipedrive behind ferry's back: the diff
// must report exactly that field, then the name is put back.
func checkDiffCatches(t *testing.T, f *fixture, e *Engine) {
	t.Helper()
	ctx := context.Background()
	var m store.Mapping
	_ = f.store.EachMapping(ctx, source.Person, store.Done, func(x store.Mapping) error {
		if m.DestID == 0 && e.only.Has(source.Person, x.SourceID) {
			if _, into := e.merges[source.Person].intoOf(x.SourceID); !into {
				m = x
			}
		}
		return nil
	})
	c := f.client(0)
	before, err := c.Get(ctx, pipedrive.Persons, m.DestID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Update(ctx, pipedrive.Persons, m.DestID, pipedrive.Entity{"name": "Someone Else"}); err != nil {
		t.Fatal(err)
	}
	diff, err := e.DiffSelection(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []FieldDiff{{Kind: source.Person, SourceID: m.SourceID, Entity: "person", DestID: m.DestID, Field: "name",
		Want: before.String("name"), Got: "Someone Else"}}
	if d := cmp.Diff(want, diff.Diffs); d != "" {
		t.Errorf("diff after a rename (-want +got):\n%s", d)
	}
	if _, err := c.Update(ctx, pipedrive.Persons, m.DestID, pipedrive.Entity{"name": before.String("name")}); err != nil {
		t.Fatal(err)
	}
}
