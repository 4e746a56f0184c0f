package storetest

import (
	"fmt"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
)

func testQuarantine(t *testing.T, open Opener) {
	st := fresh(t, open)
	ctx := t.Context()
	items := []store.QuarantineItem{
		{Kind: source.Person, File: "people.csv", Line: 12, Column: "email", Reason: "not an email", Raw: "a,b,c", Created: at(1)},
		{Kind: source.Deal, File: "deals.csv", Line: 3, Column: "value", Reason: "not a number", Raw: "x;y", Created: at(2)},
		{Kind: source.Person, File: "people2.csv", Line: 1, Reason: "bad encoding", Created: at(3)},
		{Kind: source.Person, File: "people.csv", Line: 40, Column: "phone", Reason: "not a phone"},
	}
	for _, q := range items {
		must(t, st.Quarantine(ctx, q))
	}
	got, err := st.QuarantineItems(ctx, "")
	must(t, err)
	if len(got) != len(items) {
		t.Fatalf("quarantine holds %d items, want %d", len(got), len(items))
	}
	for i := range got {
		if got[i].ID <= 0 || (i > 0 && got[i].ID <= got[i-1].ID) {
			t.Errorf("item %d has id %d; want positive ids increasing in insertion order", i, got[i].ID)
		}
		items[i].ID = got[i].ID
	}
	near(t, "zero Created after quarantine", got[3].Created)
	items[3].Created = got[3].Created
	diff(t, "all quarantined items", got, items)

	people, err := st.QuarantineItems(ctx, source.Person)
	must(t, err)
	diff(t, "quarantined people", people, []store.QuarantineItem{items[0], items[2], items[3]})
	wantErr(t, "quarantine without reason", st.Quarantine(ctx, store.QuarantineItem{Kind: source.Person, File: "people.csv"}))

	steps := []struct {
		kind source.Kind
		file string
		want []store.QuarantineItem
	}{
		{source.Person, "people.csv", []store.QuarantineItem{items[1], items[2]}},
		{source.Company, "", []store.QuarantineItem{items[1], items[2]}},
		{source.Person, "", []store.QuarantineItem{items[1]}},
		{"", "", nil},
	}
	for _, s := range steps {
		must(t, st.ClearQuarantine(ctx, s.kind, s.file))
		got, err := st.QuarantineItems(ctx, "")
		must(t, err)
		diff(t, fmt.Sprintf("after clearing kind %q file %q", s.kind, s.file), got, s.want)
	}
}
