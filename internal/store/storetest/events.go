package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"ferry/internal/store"
)

func testEvents(t *testing.T, open Opener) {
	st := fresh(t, open)
	ctx := t.Context()
	var want []store.Event
	// Ids out of byte order and times out of order: the walk follows the order of storing.
	for i := range walkSize {
		e := store.Event{ID: fmt.Sprintf("msg_%d", walkSize-i), Type: "deal.moved",
			Payload: []byte(fmt.Sprintf(`{"n":%d}`, i)), ReceivedAt: at(-i)}
		isNew, err := st.PutEvent(ctx, e)
		must(t, err)
		if !isNew {
			t.Fatalf("first put of event %s reported a repeat", e.ID)
		}
		want = append(want, e)
	}
	repeat := store.Event{ID: want[3].ID, Type: "deal.closed", Payload: []byte(`{"other":true}`)}
	for range 2 {
		isNew, err := st.PutEvent(ctx, repeat)
		must(t, err)
		if isNew {
			t.Fatalf("repeated put of event %s reported new", repeat.ID)
		}
	}
	late := store.Event{ID: "msg_late", Type: "deal.created"}
	_, err := st.PutEvent(ctx, late)
	must(t, err)

	var got []store.Event
	err = withDeadline(t, time.Minute, func() error {
		return st.EachEvent(ctx, func(e store.Event) error {
			got = append(got, e)
			if len(got) == 1 { // a callback may write
				_, err := st.PutEvent(ctx, store.Event{ID: want[0].ID})
				return err
			}
			return nil
		})
	})
	must(t, err)
	if len(got) != len(want)+1 {
		t.Fatalf("walked %d events, want %d", len(got), len(want)+1)
	}
	near(t, "zero ReceivedAt after put", got[len(got)-1].ReceivedAt)
	late.ReceivedAt = got[len(got)-1].ReceivedAt
	diff(t, "events in storing order, first delivery kept", got, append(want, late))

	_, err = st.PutEvent(ctx, store.Event{Type: "deal.created"})
	wantErr(t, "event without id", err)
	err = st.EachEvent(ctx, func(store.Event) error { return errStop })
	if !errors.Is(err, errStop) {
		t.Errorf("walk stopped by its callback returned %v, want the callback's error", err)
	}
}

func testLedger(t *testing.T, open Opener) {
	st := fresh(t, open)
	ctx := t.Context()
	adds := []store.Spend{
		{Day: "2026-03-14", Endpoint: "POST /api/v2/persons", Calls: 1, Tokens: 10},
		{Day: "2026-03-14", Endpoint: "GET /api/v2/persons", Calls: 2, Tokens: 4},
		{Day: "2026-03-14", Endpoint: "POST /api/v2/persons", Calls: 3, Tokens: 30},
		{Day: "2026-03-13", Endpoint: "POST /api/v2/persons", Calls: 1, Tokens: 10},
		{Day: "2026-03-15", Endpoint: "GET /v1/users", Calls: 0, Tokens: 0},
	}
	for _, s := range adds {
		must(t, st.AddSpend(ctx, s))
	}
	for day, want := range map[string]int64{"2026-03-14": 44, "2026-03-13": 10, "2026-03-15": 0, "2026-01-01": 0} {
		got, err := st.SpentOn(ctx, day)
		must(t, err)
		diff(t, "spent on "+day, got, want)
	}
	day, err := st.Ledger(ctx, "2026-03-14")
	must(t, err)
	diff(t, "ledger of one day by endpoint", day, []store.Spend{
		{Day: "2026-03-14", Endpoint: "GET /api/v2/persons", Calls: 2, Tokens: 4},
		{Day: "2026-03-14", Endpoint: "POST /api/v2/persons", Calls: 4, Tokens: 40},
	})
	all, err := st.Ledger(ctx, "")
	must(t, err)
	diff(t, "ledger of all days", all, []store.Spend{adds[3], day[0], day[1], adds[4]})
	for _, bad := range []store.Spend{
		{Day: "14.03.2026", Endpoint: "GET /v1/users", Calls: 1},
		{Day: "", Endpoint: "GET /v1/users", Calls: 1},
		{Day: "2026-03-14", Calls: 1},
		{Day: "2026-03-14", Endpoint: "GET /v1/users", Tokens: -1},
	} {
		wantErr(t, fmt.Sprintf("add spend %+v", bad), st.AddSpend(ctx, bad))
	}
}
