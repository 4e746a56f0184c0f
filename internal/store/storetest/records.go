package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

func person(id, email string) source.Record {
	return source.Record{Kind: source.Person, ID: id, Channel: source.Harvest, Origin: "people.csv:" + id,
		Fields: map[string]string{"email": email, "first_name": "Zoë", "custom.Lead Source": "", "tags": "vip;new"}}
}

func testRecords(t *testing.T, open Opener) {
	t.Run("put reports added changed unchanged", func(t *testing.T) { recordsPut(t, fresh(t, open)) })
	t.Run("get round trip and not found", func(t *testing.T) { recordsGet(t, fresh(t, open)) })
	t.Run("invalid batch writes nothing", func(t *testing.T) { recordsInvalid(t, fresh(t, open)) })
	t.Run("each in id order by kind", func(t *testing.T) { recordsOrder(t, fresh(t, open)) })
	t.Run("each across pages with writing callback", func(t *testing.T) { recordsWalkWrites(t, fresh(t, open)) })
	t.Run("count and delete", func(t *testing.T) { recordsDelete(t, fresh(t, open)) })
	t.Run("scan on several workers", func(t *testing.T) { recordsScan(t, fresh(t, open)) })
}

func recordsPut(t *testing.T, st store.Store) {
	ctx := t.Context()
	recs := []source.Record{person("p1", "a@x.com"), person("p2", "b@x.com"), person("p3", "c@x.com")}
	steps := []struct {
		name string
		edit func([]source.Record) []source.Record
		want store.PutResult
	}{
		{"first put", nil, store.PutResult{Added: 3}},
		{"same again", nil, store.PutResult{Unchanged: 3}},
		{"one field changed", func(r []source.Record) []source.Record {
			r[1] = person("p2", "B@x.com")
			return r
		}, store.PutResult{Changed: 1, Unchanged: 2}},
		{"channel and origin are not content", func(r []source.Record) []source.Record {
			r[0].Channel, r[0].Origin = source.API, "api:/people/query"
			return r
		}, store.PutResult{Unchanged: 3}},
		{"one more and one field removed", func(r []source.Record) []source.Record {
			r[2] = person("p3", "c@x.com")
			delete(r[2].Fields, "tags")
			return append(r, person("p4", "d@x.com"))
		}, store.PutResult{Added: 1, Changed: 1, Unchanged: 2}},
		{"empty batch", func([]source.Record) []source.Record { return nil }, store.PutResult{}},
	}
	for _, s := range steps {
		if s.edit != nil {
			recs = s.edit(recs)
		}
		got, err := st.PutRecords(ctx, recs)
		must(t, err)
		diff(t, s.name, got, s.want)
	}
	for _, want := range recs {
		got, err := st.GetRecord(ctx, want.Kind, want.ID)
		must(t, err)
		diff(t, "record "+want.ID+" after the puts (new origin kept)", got, want)
	}
}

func recordsGet(t *testing.T, st store.Store) {
	ctx := t.Context()
	want := []source.Record{
		person("p1", "a@x.com"),
		{Kind: source.Company, ID: "c1", Channel: source.API, Fields: map[string]string{"name": "Acme \"GmbH\"\n€"}},
		{Kind: source.Note, ID: "n1", Channel: source.Harvest, Fields: nil},
	}
	_, err := st.PutRecords(ctx, want)
	must(t, err)
	for _, w := range want {
		got, err := st.GetRecord(ctx, w.Kind, w.ID)
		must(t, err)
		diff(t, "record "+w.ID, got, w)
	}
	_, err = st.GetRecord(ctx, source.Person, "nobody")
	wantNotFound(t, "get missing record", err)
	_, err = st.GetRecord(ctx, source.Company, "p1")
	wantNotFound(t, "get record under another kind", err)
}

func recordsInvalid(t *testing.T, st store.Store) {
	ctx := t.Context()
	for _, bad := range []source.Record{{Kind: source.Person}, {ID: "x"},
		{Kind: source.Person, ID: "p\xff"}, {Kind: source.Person, ID: "p", Fields: map[string]string{"name": "Caf\xe9"}}} {
		_, err := st.PutRecords(ctx, []source.Record{person("ok", "ok@x.com"), bad})
		wantErr(t, fmt.Sprintf("put %+v", bad), err)
	}
	n, err := st.CountRecords(ctx, "")
	must(t, err)
	diff(t, "records after refused batches", n, 0)
}

// collectRecords walks kind and returns the ids seen, as kind/id.
func collectRecords(t *testing.T, st store.Store, kind source.Kind) []string {
	t.Helper()
	var got []string
	must(t, st.EachRecord(t.Context(), kind, func(r source.Record) error {
		got = append(got, string(r.Kind)+"/"+r.ID)
		return nil
	}))
	return got
}

func recordsOrder(t *testing.T, st store.Store) {
	ctx := t.Context()
	_, err := st.PutRecords(ctx, []source.Record{
		person("b", "b@x"), person("c9", "c9@x"), person("a", "a@x"), person("c10", "c10@x"), person("B", "B@x"),
		{Kind: source.Company, ID: "z", Channel: source.API}, {Kind: source.Deal, ID: "a", Channel: source.Webhook},
	})
	must(t, err)
	cases := []struct {
		kind source.Kind
		want []string
	}{
		{source.Person, []string{"person/B", "person/a", "person/b", "person/c10", "person/c9"}},
		{source.Company, []string{"company/z"}},
		{source.Task, nil},
		{"", []string{"company/z", "deal/a", "person/B", "person/a", "person/b", "person/c10", "person/c9"}},
	}
	for _, c := range cases {
		diff(t, fmt.Sprintf("walk of kind %q", c.kind), collectRecords(t, st, c.kind), c.want)
	}
	calls := 0
	err = st.EachRecord(ctx, source.Person, func(source.Record) error {
		calls++
		if calls == 2 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		t.Errorf("walk stopped by its callback returned %v, want the callback's error", err)
	}
	diff(t, "calls before stop", calls, 2)
}

func recordsWalkWrites(t *testing.T, st store.Store) {
	ctx := t.Context()
	recs := make([]source.Record, bulkSize)
	for i := range recs {
		recs[i] = source.Record{Kind: source.Deal, ID: fmt.Sprintf("d%05d", i), Channel: source.Webhook,
			Fields: map[string]string{"value": fmt.Sprint(i)}}
	}
	_, err := st.PutRecords(ctx, recs)
	must(t, err)
	seen := 0
	err = withDeadline(t, time.Minute, func() error {
		return st.EachRecord(ctx, source.Deal, func(r source.Record) error {
			if r.ID != recs[seen].ID || r.Fields["value"] != fmt.Sprint(seen) {
				return fmt.Errorf("record %d is %s with value %s", seen, r.ID, r.Fields["value"])
			}
			seen++
			if seen%500 != 1 {
				return nil
			}
			r.Fields["value"] = "touched"
			_, err := st.PutRecords(ctx, []source.Record{r, {Kind: source.Note, ID: r.ID, Channel: source.Harvest}})
			return err
		})
	})
	must(t, err)
	diff(t, "records walked", seen, bulkSize)
	n, err := st.CountRecords(ctx, source.Note)
	must(t, err)
	diff(t, "notes written from the callback", n, bulkSize/500)
}

func recordsDelete(t *testing.T, st store.Store) {
	ctx := t.Context()
	_, err := st.PutRecords(ctx, []source.Record{person("p1", "a"), person("p2", "b"), person("p3", "c"),
		{Kind: source.Company, ID: "p1", Channel: source.API}})
	must(t, err)
	counts := map[source.Kind]int{source.Person: 3, source.Company: 1, source.Deal: 0, "": 4}
	for k, want := range counts {
		got, err := st.CountRecords(ctx, k)
		must(t, err)
		diff(t, fmt.Sprintf("count of kind %q", k), got, want)
	}
	must(t, st.DeleteRecords(ctx, source.Person, []string{"p1", "p3", "missing"}))
	must(t, st.DeleteRecords(ctx, source.Person, nil))
	diff(t, "people after delete", collectRecords(t, st, source.Person), []string{"person/p2"})
	diff(t, "companies after delete", collectRecords(t, st, source.Company), []string{"company/p1"})
	_, err = st.GetRecord(ctx, source.Person, "p1")
	wantNotFound(t, "get deleted record", err)
}
