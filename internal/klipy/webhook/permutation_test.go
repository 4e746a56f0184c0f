package webhook

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy/docs"
	"ferry/internal/store"
)

// dealLife is one deal's documented events, as Klipy would emit them at the given times: each
// built from the documented example, each with its own Svix message id made at its time.
func dealLife(t *testing.T, closeGap time.Duration) []store.Event {
	t0 := time.Date(2026, 4, 20, 9, 21, 11, 0, time.UTC)
	ev := func(typ string, at time.Time, extra map[string]any) store.Event {
		data := docs.WebhookData(typ)
		data["deal_creation_date"] = "2026-04-20T09:21:11.122Z"
		for k, v := range extra {
			data[k] = v
		}
		if typ == DealContactAdded {
			data = map[string]any{"deal_id": "dl_1a2b3c", "contact_id": extra["contact_id"],
				"association_type": extra["association_type"]}
		}
		return stored(t, NewMessageID(at), typ, at, data)
	}
	moved := t0.Add(72 * time.Hour)
	return []store.Event{
		ev(DealCreated, t0, nil),
		ev(DealContactAdded, t0.Add(time.Hour), map[string]any{"contact_id": "h7w8y2f1", "association_type": "PRIMARY"}),
		ev(DealContactAdded, t0.Add(2*time.Hour), map[string]any{"contact_id": "k2p9", "association_type": "INFLUENCER"}),
		ev(DealMoved, t0.Add(24*time.Hour), map[string]any{"from": "Opportunity", "to": "Proposal"}),
		ev(DealMoved, moved, map[string]any{"from": "Proposal", "to": "Won"}),
		ev(DealClosed, moved.Add(closeGap), map[string]any{"from": "Proposal", "won": true}),
	}
}

// permutations calls fn with every order of evs (Heap's algorithm).
func permutations(evs []store.Event, fn func([]store.Event)) {
	a := append([]store.Event(nil), evs...)
	c := make([]int, len(a))
	fn(a)
	for i := 0; i < len(a); {
		if c[i] < i {
			j := 0
			if i%2 == 1 {
				j = c[i]
			}
			a[j], a[i] = a[i], a[j]
			fn(a)
			c[i]++
			i = 0
		} else {
			c[i] = 0
			i++
		}
	}
}

// TestFoldEveryPermutation delivers a deal's events in every possible order, each event
// received at its arrival position (so arrival order disagrees with event order in almost all
// of them), and requires the one final deal. The close is emitted both as deal.moved into the
// "Won" stage and as deal.closed, once with the close a second after the move and once a
// second before it: either way the deal ends won, in stage Won, closed when it entered Won.
func TestFoldEveryPermutation(t *testing.T) {
	for _, gap := range []time.Duration{time.Second, -time.Second, 0} {
		evs := dealLife(t, gap)
		closedAt := "2026-04-23T09:21:11Z"
		if gap < 0 {
			closedAt = "2026-04-23T09:21:10Z"
		}
		want := map[string]string{"id": "dl_1a2b3c", "name": "Acme Analytics - Expansion plan", "value": "18500",
			"currency": "USD", "pipeline": "Q4 Pipeline", FieldPipelineID: "pl_b4c5d6", "owner": "Alex Morgan",
			"expected_close_date": "2026-06-01T00:00:00Z", FieldIsPrivate: "false", "created_at": "2026-04-20T09:21:11Z",
			FieldCompanyName: "Acme Analytics", FieldCompanyDomain: "acmeanalytics.com",
			FieldPersonEmail: "jordan.patel@acmeanalytics.com", FieldPersonName: "Jordan Patel",
			FieldContactEmails: "jordan.patel@acmeanalytics.com", FieldPersonIDs: "h7w8y2f1;k2p9", "person_id": "h7w8y2f1",
			"stage": "Won", "status": StatusWon, "closed_at": closedAt,
			"stage_history": "Opportunity@2026-04-20T09:21:11Z;Proposal@2026-04-21T09:21:11Z;Won@" + closedAt}
		n := 0
		permutations(evs, func(order []store.Event) {
			n++
			f := NewFolder()
			arrival := time.Date(2026, 4, 24, 0, 0, 0, 0, time.UTC)
			for i, e := range order {
				e.ReceivedAt = arrival.Add(time.Duration(i) * time.Minute)
				if err := f.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			recs := f.Records()
			if len(recs) != 1 {
				t.Fatalf("gap %s, order %d: %d records", gap, n, len(recs))
			}
			if diff := cmp.Diff(want, recs[0].Fields); diff != "" {
				t.Fatalf("gap %s, order %d (%v) (-want +got):\n%s", gap, n, types(order), diff)
			}
		})
		if n != 720 {
			t.Fatalf("%d orders, want 6! = 720", n)
		}
	}
}

func types(evs []store.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

// TestMessageTime reads the time of Svix ids and refuses others.
func TestMessageTime(t *testing.T) {
	at := time.Date(2026, 4, 20, 9, 21, 11, 0, time.UTC)
	if got, ok := MessageTime(NewMessageID(at)); !ok || !got.Equal(at) {
		t.Errorf("MessageTime(NewMessageID(%s)) = %s, %v", at, got, ok)
	}
	for _, id := range []string{"", "msg_", "msg_short", "evt_2KWPBgLlAfxdpx2AI54pPJ85f4W", "m1"} {
		if _, ok := MessageTime(id); ok {
			t.Errorf("MessageTime(%q) ok, want not a Svix id", id)
		}
	}
}
