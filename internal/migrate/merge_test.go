package migrate

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// TestMergeIntoExisting plans one person into a person Pipedrive already has: the existing
// record keeps its name, gets the blanks filled and the Klipy ID, no person is created for
// it, and the journal holds the pre-image.
func TestMergeIntoExisting(t *testing.T) {
	f := newFixture(t, 40, 21)
	ctx := context.Background()
	var target source.Record
	_ = f.data.Each(source.Person, func(r source.Record) error {
		if target.ID == "" && r.Fields["company_id"] != "" && r.Fields["email"] != "" && f.survivor(source.Person, r.ID) == r.ID {
			target = r
		}
		return nil
	})
	existing, err := f.client(0).CreatePerson(ctx, pipedrive.Entity{"name": "Existing Name"})
	if err != nil {
		t.Fatal(err)
	}
	f.merges = append(f.merges, Merge{Kind: source.Person, Survivor: target.ID, DestID: existing.ID()})
	rep, err := f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.store.GetMapping(ctx, source.Person, target.ID)
	if err != nil || m.State != store.Merged || m.DestID != existing.ID() {
		t.Fatalf("mapping of %s: %+v (%v), want merged into %d", target.ID, m, err, existing.ID())
	}
	got, err := f.client(0).GetPerson(ctx, existing.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got.String("name") != "Existing Name" || got.Int("org_id") == 0 {
		t.Errorf("merged person: name %q org %d; want the name kept and the organization filled in", got.String("name"), got.Int("org_id"))
	}
	var undo undoRestore
	found := false
	_ = f.store.EachJournal(ctx, 0, false, func(j store.JournalEntry) error {
		if j.Op == OpUpdate && j.DestID == strconv.FormatInt(existing.ID(), 10) {
			found = json.Unmarshal(j.Undo, &undo) == nil
		}
		return nil
	})
	if !found {
		t.Fatal("no update journaled for the merged person")
	}
	if _, has := undo.PreImage["org_id"]; !has || undo.PreImage["org_id"] != nil {
		t.Errorf("pre-image %v: want org_id recorded as empty", undo.PreImage)
	}
	if _, has := undo.PreImage["name"]; has {
		t.Errorf("pre-image %v: the name was not changed, so it must not be in it", undo.PreImage)
	}
	f.checkSandbox(rep)
	before := f.posts()
	if _, err := f.engine(f.store).Run(ctx); err != nil || f.posts() != before {
		t.Errorf("rerun: %v, %d POSTs", err, f.posts()-before)
	}
}
