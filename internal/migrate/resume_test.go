package migrate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
)

// TestResumeAfterCancel stops the run in the middle of the person phase and runs again.
func TestResumeAfterCancel(t *testing.T) {
	f := newFixture(t, 150, 5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := f.engine(f.store)
	e.progress = func(ev Event) {
		if ev.Kind == source.Person && ev.Processed == 40 {
			cancel()
		}
	}
	if _, err := e.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: err = %v, want context.Canceled", err)
	}
	counts, err := f.store.CountMappings(context.Background(), source.Person)
	if err != nil {
		t.Fatal(err)
	}
	if counts[store.Done] == 0 || counts[store.Done] >= 137 {
		t.Fatalf("cancel did not land mid-phase: %v", counts)
	}
	rep, err := f.engine(f.store).Run(context.Background())
	if err != nil {
		t.Fatalf("resumed run: %v", err)
	}
	f.checkSandbox(rep)
	persons := f.sb.Stats().Endpoints["POST /api/v2/persons"].Requests
	if created := rep.Phases[1].Created; persons > created+4 {
		t.Errorf("%d person POSTs for %d persons: done records were re-sent", persons, created)
	}
}

// TestResumeInFlight simulates a crash after the request, for deals (found by the Klipy ID
// field), notes (by their marker among the parent's notes) and files (by name and size among
// the parent's files): some in-flight records
// were applied by Pipedrive (the lookup must find them, no POST), others never arrived
// (deleted here; they must be created again).
func TestResumeInFlight(t *testing.T) {
	f := newFixture(t, 150, 7)
	ctx := context.Background()
	if _, err := f.engine(f.store).Run(ctx); err != nil {
		t.Fatal(err)
	}
	c := f.client(0)
	deleters := map[source.Kind]func(context.Context, int64) error{source.Deal: c.DeleteDeal, source.Note: c.DeleteNote,
		source.Attachment: c.DeleteFile}
	// A record that never arrived has no children: pick deals nothing links to.
	linked := map[string]bool{}
	for _, k := range []source.Kind{source.Interaction, source.Task, source.Note} {
		_ = f.data.Each(k, func(r source.Record) error { linked[r.Fields["deal_id"]] = true; return nil })
	}
	picked := map[source.Kind][]store.Mapping{}
	for kind, del := range deleters {
		err := f.store.EachMapping(ctx, kind, store.Done, func(m store.Mapping) error {
			if len(picked[kind]) < 10 && !linked[m.SourceID] {
				picked[kind] = append(picked[kind], m)
			}
			return nil
		})
		if err != nil || len(picked[kind]) < 4 {
			t.Fatalf("want at least 4 done %s records, got %d (%v)", kind, len(picked[kind]), err)
		}
		for i, m := range picked[kind] {
			if i%2 == 1 {
				if err := del(ctx, m.DestID); err != nil {
					t.Fatal(err)
				}
			}
			m.State = store.InFlight
			if err := f.store.PutMapping(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	deleted := 0
	for _, ms := range picked {
		deleted += len(ms) / 2
	}
	postsBefore, lookupsBefore := f.posts(), f.lookups("deals")
	rep, err := f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.posts() - postsBefore; got != deleted {
		t.Errorf("resume sent %d POSTs, want %d (only the records that never arrived)", got, deleted)
	}
	if got := f.lookups("deals") - lookupsBefore; got != len(picked[source.Deal]) {
		t.Errorf("resume made %d Klipy ID lookups of deals, want %d (one per in-flight deal)", got, len(picked[source.Deal]))
	}
	for kind, ms := range picked {
		for i, m := range ms {
			now, err := f.store.GetMapping(ctx, kind, m.SourceID)
			if err != nil {
				t.Fatal(err)
			}
			if now.State != store.Done || (i%2 == 0) != (now.DestID == m.DestID) {
				t.Errorf("%s %s: state %s id %d (was %d, deleted %v)", kind, m.SourceID, now.State, now.DestID, m.DestID, i%2 == 1)
			}
		}
	}
	f.checkSandbox(rep)
}

// TestHeldChildren makes one organization unmappable: its people are held with a reason,
// the identity still balances, and once the source is fixed a rerun creates them all.
func TestHeldChildren(t *testing.T) {
	f := newFixture(t, 60, 3)
	f.merges = nil // keep the cluster logic out of this one
	ctx := context.Background()
	var company source.Record
	_ = f.data.Each(source.Person, func(r source.Record) error {
		if company.ID == "" && r.Fields["company_id"] != "" {
			var err error
			company, err = f.store.GetRecord(ctx, source.Company, r.Fields["company_id"])
			return err
		}
		return nil
	})
	broken := company
	broken.Fields = map[string]string{"id": company.ID, "name": "  "}
	if _, err := f.store.PutRecords(ctx, []source.Record{broken}); err != nil {
		t.Fatal(err)
	}
	rep, err := f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	org, person := rep.Phases[0], rep.Phases[1]
	if org.Quarantined != 1 || person.Held == 0 {
		t.Fatalf("want 1 quarantined organization and held persons: %s / %s", org, person)
	}
	var held []store.Mapping
	_ = f.store.EachMapping(ctx, source.Person, store.Held, func(m store.Mapping) error { held = append(held, m); return nil })
	for _, m := range held {
		if !strings.Contains(m.Reason, company.ID) {
			t.Errorf("held person %s: reason %q does not name the parent %s", m.SourceID, m.Reason, company.ID)
		}
	}
	if _, err := f.store.PutRecords(ctx, []source.Record{company}); err != nil {
		t.Fatal(err)
	}
	rep, err = f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if p := rep.Phases[1]; p.Held != 0 || rep.Phases[0].Quarantined != 0 {
		t.Errorf("after the fix: %s / %s", rep.Phases[0], p)
	}
	f.checkSandbox(rep)
}

// TestStrandedInFlight: a person was in flight when the run died, and its source changed
// since so that it no longer maps. It exists in Pipedrive, so the rerun must find it and
// mark it done rather than quarantine it.
func TestStrandedInFlight(t *testing.T) {
	f := newFixture(t, 30, 23)
	ctx := context.Background()
	if _, err := f.engine(f.store).Run(ctx); err != nil {
		t.Fatal(err)
	}
	var m store.Mapping
	_ = f.store.EachMapping(ctx, source.Person, store.Done, func(x store.Mapping) error {
		if m.SourceID == "" {
			m = x
		}
		return nil
	})
	rec, err := f.store.GetRecord(ctx, source.Person, m.SourceID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Fields = map[string]string{"id": rec.ID}
	if _, err := f.store.PutRecords(ctx, []source.Record{rec}); err != nil {
		t.Fatal(err)
	}
	m.State = store.InFlight
	if err := f.store.PutMapping(ctx, m); err != nil {
		t.Fatal(err)
	}
	before := f.posts()
	if _, err := f.engine(f.store).Run(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.GetMapping(ctx, source.Person, m.SourceID)
	if err != nil || got.State != store.Done || got.DestID != m.DestID {
		t.Errorf("stranded person: %+v (%v), want done with id %d", got, err, m.DestID)
	}
	if n := f.posts() - before; n != 0 {
		t.Errorf("rerun sent %d POSTs, want 0", n)
	}
}
