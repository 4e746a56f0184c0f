package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
	"ferry/internal/store"
)

// at returns a test time: day 20 May 2026 plus h hours.
func at(h float64) time.Time {
	return time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC).Add(time.Duration(h * float64(time.Hour)))
}

// stored builds a stored delivery of a deal event received at received.
func stored(t testing.TB, id, typ string, received time.Time, data map[string]any) store.Event {
	t.Helper()
	body, err := json.Marshal(map[string]any{"type": typ, "object": "event", "data": data})
	if err != nil {
		t.Fatal(err)
	}
	return store.Event{ID: id, Type: typ, Payload: body, ReceivedAt: received}
}

// base is the data every event of deal dl_1 carries.
func base(extra map[string]any) map[string]any {
	m := map[string]any{"deal_id": "dl_1", "pipeline_id": "pip_1", "pipeline": "Q4 Pipeline",
		"estimated_value": 12000.5, "currency": "EUR", "deal_creation_date": at(0).Format(time.RFC3339),
		"estimated_close_date": "2026-07-01", "is_private": false, "deal_name": "Acme — Pilot",
		"owner_name": "Dana Reyes", "company": map[string]any{"name": "Acme", "domain": "acme.com"},
		"point_of_contact": map[string]any{"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com", "title": "CTO"}}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// lifeEvents is one deal's life as Klipy delivers it: no event times in the payloads, each
// event received when it happened.
func lifeEvents(t testing.TB) []store.Event {
	bob := map[string]any{"first_name": "Bob", "last_name": "Ng", "email": "bob@acme.com"}
	return []store.Event{
		stored(t, "msg_c", DealCreated, at(0), base(nil)),
		stored(t, "msg_a", DealContactAdded, at(0.5), base(map[string]any{"point_of_contact": bob})),
		stored(t, "msg_m1", DealMoved, at(2), base(map[string]any{"from": "Opportunity", "to": "Qualified", "actor_name": "Dana Reyes"})),
		stored(t, "msg_m2", DealMoved, at(30), base(map[string]any{"from": "Qualified", "to": "Proposal", "estimated_value": 15000})),
		stored(t, "msg_x", DealClosed, at(50), base(map[string]any{"from": "Proposal", "won": true, "cycle_length": 2, "estimated_value": 15000})),
		stored(t, "msg_lead", "lead.captured", at(51), map[string]any{"id": "ld_1"}),
	}
}

// lifeWant is the folded state of lifeEvents.
func lifeWant() source.Record {
	return source.Record{Kind: source.Deal, ID: "dl_1", Channel: source.Webhook, Origin: "webhook:5 events",
		Fields: map[string]string{
			"id": "dl_1", "name": "Acme — Pilot", "value": "15000", "currency": "EUR", "pipeline": "Q4 Pipeline",
			FieldPipelineID: "pip_1", "stage": "Closed Won", "status": "won", "owner": "Dana Reyes",
			"expected_close_date": "2026-07-01", "created_at": "2026-05-20T00:00:00Z", "closed_at": "2026-05-22T02:00:00Z",
			"stage_history": "Opportunity@2026-05-20T00:00:00Z;Qualified@2026-05-20T02:00:00Z;" +
				"Proposal@2026-05-21T06:00:00Z;Closed Won@2026-05-22T02:00:00Z",
			FieldIsPrivate: "false", FieldCompanyName: "Acme", FieldCompanyDomain: "acme.com",
			FieldPersonEmail: "ann@acme.com", FieldPersonName: "Ann Lee", FieldContactEmails: "ann@acme.com;bob@acme.com",
		}}
}

// fold folds evs in the given order.
func fold(t testing.TB, evs []store.Event) ([]source.Record, FoldReport) {
	t.Helper()
	st := &memStore{ids: map[string]bool{}}
	st.events = evs // arrival order as given, duplicates included
	recs, rep, err := Fold(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return recs, rep
}

func TestFoldLife(t *testing.T) {
	recs, rep := fold(t, lifeEvents(t))
	if diff := cmp.Diff([]source.Record{lifeWant()}, recs); diff != "" {
		t.Errorf("Fold (-want +got):\n%s", diff)
	}
	want := FoldReport{Events: 6, Folded: 5, NotMigrated: map[string]int{"lead.captured": 1}, Deals: 1}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}

func TestFoldCases(t *testing.T) {
	tests := []struct {
		name string
		evs  []store.Event
		want map[string]string // fields that must hold these values ("" = absent)
	}{
		{"created only: stage unknown", []store.Event{stored(t, "m1", DealCreated, at(0), base(nil))},
			map[string]string{"stage": "", "stage_history": "", "status": "open", "closed_at": ""}},
		{"created with a stage", []store.Event{stored(t, "m1", DealCreated, at(0), base(map[string]any{"stage": "Lead"}))},
			map[string]string{"stage": "Lead", "stage_history": "Lead@2026-05-20T00:00:00Z"}},
		{"lost without moves", []store.Event{
			stored(t, "m1", DealCreated, at(0), base(nil)),
			stored(t, "m2", DealClosed, at(5), base(map[string]any{"from": "Opportunity", "won": false})),
		}, map[string]string{"stage": "Closed Lost", "status": "lost", "closed_at": "2026-05-20T05:00:00Z",
			"stage_history": "Opportunity@2026-05-20T00:00:00Z;Closed Lost@2026-05-20T05:00:00Z"}},
		{"moved after close reopens", []store.Event{
			stored(t, "m1", DealClosed, at(5), base(map[string]any{"from": "A", "won": false})),
			stored(t, "m2", DealMoved, at(6), base(map[string]any{"from": "Closed Lost", "to": "B"})),
		}, map[string]string{"stage": "B", "status": "open", "closed_at": "",
			"stage_history": "A@2026-05-20T00:00:00Z;Closed Lost@2026-05-20T05:00:00Z;B@2026-05-20T06:00:00Z"}},
		{"explicit event times beat arrival", []store.Event{
			stored(t, "m2", DealMoved, at(1), base(map[string]any{"from": "B", "to": "C", "occurred_at": at(9).Format(time.RFC3339)})),
			stored(t, "m1", DealMoved, at(2), base(map[string]any{"from": "A", "to": "B", "occurred_at": at(8).Format(time.RFC3339)})),
		}, map[string]string{"stage": "C", "stage_history": "A@2026-05-20T00:00:00Z;B@2026-05-20T08:00:00Z;C@2026-05-20T09:00:00Z"}},
		{"person without email stays the person", []store.Event{
			stored(t, "m1", DealCreated, at(0), base(map[string]any{"point_of_contact": map[string]any{"first_name": "Ann", "last_name": "Lee"}})),
			stored(t, "m2", DealContactAdded, at(1), base(map[string]any{"point_of_contact": map[string]any{"first_name": "Bob", "email": "bob@x.io"}})),
			stored(t, "m3", DealMoved, at(2), base(map[string]any{"point_of_contact": map[string]any{"first_name": "Ann", "last_name": "Lee", "title": "CEO"}})),
		}, map[string]string{FieldPersonEmail: "", FieldPersonName: "Ann Lee", FieldContactEmails: "bob@x.io"}},
		{"contact added is not the person", []store.Event{
			stored(t, "m2", DealContactAdded, at(1), base(map[string]any{"point_of_contact": map[string]any{"first_name": "Bob", "email": "bob@x.io"}})),
		}, map[string]string{FieldPersonEmail: "", FieldPersonName: "", FieldContactEmails: "bob@x.io"}},
		{"numbers and ids kept verbatim", []store.Event{stored(t, "m1", DealCreated, at(0), base(map[string]any{
			"estimated_value":  json.Number("12345678901234567890.10"),
			"point_of_contact": map[string]any{"id": 42, "email": "x@y.z"}, "company": map[string]any{"id": "cmp_9"}}))},
			map[string]string{"value": "12345678901234567890.10", "person_id": "42", "company_id": "cmp_9", FieldPersonEmail: "x@y.z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, _ := fold(t, tt.evs)
			if len(recs) != 1 {
				t.Fatalf("got %d records, want 1", len(recs))
			}
			got := map[string]string{}
			for k := range tt.want {
				got[k] = recs[0].Fields[k]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFoldShuffled folds the same events in many arrival orders, with Svix redeliveries (same
// id) and, for events that carry their own time, repeats under a new id: one state.
func TestFoldShuffled(t *testing.T) {
	evs := lifeEvents(t)
	second := stored(t, "msg_d2", DealCreated, at(3), map[string]any{"deal_id": "dl_2", "deal_name": "Other",
		"deal_creation_date": at(3).Format(time.RFC3339)})
	timed := stored(t, "msg_d2m", DealMoved, at(9), map[string]any{"deal_id": "dl_2", "from": "A", "to": "B",
		"occurred_at": at(4).Format(time.RFC3339)})
	evs = append(evs, second, timed)
	want, _ := fold(t, evs)
	if len(want) != 2 || !cmp.Equal(want[0], lifeWant()) {
		t.Fatalf("in-order fold = %v", want)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		in := append([]store.Event(nil), evs...)
		for range r.IntN(4) {
			in = append(in, in[r.IntN(len(in))]) // a Svix retry: same id
		}
		if r.IntN(2) == 0 {
			again := timed
			again.ID = "msg_again"
			in = append(in, again) // the same timed change under another id
		}
		r.Shuffle(len(in), func(a, b int) { in[a], in[b] = in[b], in[a] })
		got, rep := fold(t, in)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("shuffle %d (-want +got):\n%s", i, diff)
		}
		sum := rep.Folded + rep.Interactions + rep.Duplicates + rep.Malformed
		for _, n := range rep.NotMigrated {
			sum += n
		}
		if rep.Events != len(in) || sum != rep.Events || rep.Folded != len(evs)-1 {
			t.Fatalf("shuffle %d: report %+v does not account for %d events", i, rep, len(in))
		}
	}
}

func TestFoldMalformedStored(t *testing.T) {
	f := NewFolder()
	err := f.Add(store.Event{ID: "m", Type: "deal.moved", Payload: []byte("{")})
	if !errors.Is(err, ErrMalformedEvent) {
		t.Errorf("Add = %v, want ErrMalformedEvent", err)
	}
	if rep := f.Report(); rep.Malformed != 1 || rep.Events != 1 {
		t.Errorf("report = %+v", rep)
	}
}

type failingWalker struct{}

func (failingWalker) EachEvent(context.Context, func(store.Event) error) error { return errStoreDown }

func TestFoldWalkerError(t *testing.T) {
	if _, _, err := Fold(context.Background(), failingWalker{}); !errors.Is(err, errStoreDown) {
		t.Errorf("Fold = %v, want the walker's error", err)
	}
}
