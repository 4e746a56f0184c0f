package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

func testMappings(t *testing.T, open Opener) {
	t.Run("put get upsert", func(t *testing.T) { mappingsPutGet(t, fresh(t, open)) })
	t.Run("invalid", func(t *testing.T) { mappingsInvalid(t, fresh(t, open)) })
	t.Run("each with kind and state filters", func(t *testing.T) { mappingsFilter(t, fresh(t, open)) })
	t.Run("each across pages with writing callback", func(t *testing.T) { mappingsWalkWrites(t, fresh(t, open)) })
}

func mappingsPutGet(t *testing.T, st store.Store) {
	ctx := t.Context()
	m := store.Mapping{Kind: source.Person, SourceID: "p1", Entity: "person", State: store.InFlight,
		Fingerprint: "fp-1", RunID: 7, UpdatedAt: at(1)}
	must(t, st.PutMapping(ctx, m))
	got, err := st.GetMapping(ctx, source.Person, "p1")
	must(t, err)
	diff(t, "mapping", got, m)

	m.State, m.DestID, m.Reason, m.UpdatedAt = store.Done, 4242, "", time.Time{}
	must(t, st.PutMapping(ctx, m))
	got, err = st.GetMapping(ctx, source.Person, "p1")
	must(t, err)
	near(t, "zero UpdatedAt after put", got.UpdatedAt)
	m.UpdatedAt = got.UpdatedAt
	diff(t, "mapping after upsert", got, m)

	_, err = st.GetMapping(ctx, source.Person, "p2")
	wantNotFound(t, "get missing mapping", err)
	_, err = st.GetMapping(ctx, source.Company, "p1")
	wantNotFound(t, "get mapping under another kind", err)
}

func mappingsInvalid(t *testing.T, st store.Store) {
	ctx := t.Context()
	for _, m := range []store.Mapping{
		{SourceID: "p1", State: store.Pending},
		{Kind: source.Person, State: store.Pending},
		{Kind: source.Person, SourceID: "p1"},
		{Kind: source.Person, SourceID: "p1", State: "finished"},
	} {
		wantErr(t, fmt.Sprintf("put mapping %+v", m), st.PutMapping(ctx, m))
	}
	counts, err := st.CountMappings(ctx, "")
	must(t, err)
	diff(t, "mappings after refused puts", counts, map[store.State]int{})
}

func mappingsFilter(t *testing.T, st store.Store) {
	ctx := t.Context()
	rows := []struct {
		kind  source.Kind
		id    string
		state store.State
	}{
		{source.Person, "p2", store.Done}, {source.Person, "p1", store.Pending}, {source.Person, "P0", store.Failed},
		{source.Company, "c1", store.Done}, {source.Deal, "d1", store.Held}, {source.Deal, "d2", store.Done},
	}
	for _, r := range rows {
		must(t, st.PutMapping(ctx, store.Mapping{Kind: r.kind, SourceID: r.id, Entity: "x", State: r.state}))
	}
	cases := []struct {
		kind  source.Kind
		state store.State
		want  []string
	}{
		{"", "", []string{"company/c1", "deal/d1", "deal/d2", "person/P0", "person/p1", "person/p2"}},
		{source.Person, "", []string{"person/P0", "person/p1", "person/p2"}},
		{"", store.Done, []string{"company/c1", "deal/d2", "person/p2"}},
		{source.Deal, store.Held, []string{"deal/d1"}},
		{source.Company, store.Pending, nil},
		{source.Task, "", nil},
	}
	for _, c := range cases {
		var got []string
		must(t, st.EachMapping(ctx, c.kind, c.state, func(m store.Mapping) error {
			got = append(got, string(m.Kind)+"/"+m.SourceID)
			return nil
		}))
		diff(t, fmt.Sprintf("walk of kind %q, state %q", c.kind, c.state), got, c.want)
	}
	counts := map[source.Kind]map[store.State]int{
		"":             {store.Done: 3, store.Pending: 1, store.Failed: 1, store.Held: 1},
		source.Person:  {store.Done: 1, store.Pending: 1, store.Failed: 1},
		source.Company: {store.Done: 1},
		source.Note:    {},
	}
	for k, want := range counts {
		got, err := st.CountMappings(ctx, k)
		must(t, err)
		diff(t, fmt.Sprintf("counts of kind %q", k), got, want)
	}
	err := st.EachMapping(ctx, "", "", func(store.Mapping) error { return errStop })
	if !errors.Is(err, errStop) {
		t.Errorf("walk stopped by its callback returned %v, want the callback's error", err)
	}
}

// mappingsWalkWrites moves every pending row to in_flight from inside the walk, the way a
// phase claims its records, and checks each row is seen exactly once.
func mappingsWalkWrites(t *testing.T, st store.Store) {
	ctx := t.Context()
	for i := range walkSize {
		state := store.Pending
		if i%10 == 0 { // a tenth is done already and must not be walked
			state = store.Done
		}
		must(t, st.PutMapping(ctx, store.Mapping{Kind: source.Person, SourceID: fmt.Sprintf("p%05d", i),
			Entity: "person", State: state}))
	}
	seen := map[string]int{}
	err := withDeadline(t, time.Minute, func() error {
		return st.EachMapping(ctx, source.Person, store.Pending, func(m store.Mapping) error {
			seen[m.SourceID]++
			m.State = store.InFlight
			return st.PutMapping(ctx, m)
		})
	})
	must(t, err)
	diff(t, "rows walked", len(seen), walkSize-walkSize/10)
	for id, n := range seen {
		if n != 1 {
			t.Errorf("row %s walked %d times", id, n)
		}
	}
	counts, err := st.CountMappings(ctx, source.Person)
	must(t, err)
	diff(t, "counts after the walk", counts, map[store.State]int{store.InFlight: walkSize - walkSize/10, store.Done: walkSize / 10})
}
