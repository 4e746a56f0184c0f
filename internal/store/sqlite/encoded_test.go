package sqlite

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
	"ferry/internal/store"
)

// TestWriteRecordsReadsBackAsPut writes encoded records (more than one multi-row statement
// and a remainder), changes one's provenance, and checks that they read back as PutRecords
// would have stored them and that EachRecordMeta walks them in id order across pages.
func TestWriteRecordsReadsBackAsPut(t *testing.T) {
	defer func(n int) { metaPageSize = n }(metaPageSize)
	metaPageSize = 7
	ctx := context.Background()
	st := openTemp(t)
	defer st.Close()
	var want []store.RecordMeta
	err := st.WriteRecords(ctx, func(w store.RecordWriter) error {
		for i := range 2*upsertRows + 5 {
			r := source.Record{Kind: source.Person, ID: fmt.Sprintf("p%03d", i), Channel: source.Harvest,
				Origin: fmt.Sprintf("people.csv:%d", i+2), Fields: map[string]string{"n": fmt.Sprint(i), "x": "<&>"}}
			fields, _ := source.MarshalFields(r.Fields)
			if err := w.Upsert(store.EncodedRecord{Kind: r.Kind, ID: r.ID, Channel: r.Channel, Origin: r.Origin,
				Fields: string(fields), Hash: r.Hash()}); err != nil {
				return err
			}
			want = append(want, store.RecordMeta{ID: r.ID, Hash: r.Hash(), Channel: r.Channel, Origin: r.Origin})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.WriteRecords(ctx, func(w store.RecordWriter) error {
		return w.SetProvenance(source.Person, "p001", source.API, "api:/people")
	})
	if err != nil {
		t.Fatal(err)
	}
	want[1].Channel, want[1].Origin = source.API, "api:/people"
	var got []store.RecordMeta
	if err := st.EachRecordMeta(ctx, source.Person, func(m store.RecordMeta) error { got = append(got, m); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metas (-want +got):\n%s", diff)
	}
	r, err := st.GetRecord(ctx, source.Person, "p002")
	if err != nil {
		t.Fatal(err)
	}
	if r.Fields["n"] != "2" || r.Fields["x"] != "<&>" || r.Hash() != want[2].Hash {
		t.Errorf("p002 read back as %+v", r)
	}
}

// TestWriteRecordsRollsBack checks that an error from fn leaves nothing written, even
// records queued for a multi-row statement.
func TestWriteRecordsRollsBack(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	defer st.Close()
	boom := errors.New("boom")
	err := st.WriteRecords(ctx, func(w store.RecordWriter) error {
		for i := range upsertRows + 1 {
			if err := w.Upsert(store.EncodedRecord{Kind: source.Task, ID: fmt.Sprint(i), Fields: "{}", Hash: "h"}); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("WriteRecords = %v, want it to wrap fn's error", err)
	}
	if n, err := st.CountRecords(ctx, source.Task); err != nil || n != 0 {
		t.Errorf("after a rollback the store holds %d tasks (%v), want 0", n, err)
	}
	if err := st.WriteRecords(ctx, func(w store.RecordWriter) error { return w.Upsert(store.EncodedRecord{ID: "x"}) }); err == nil {
		t.Error("a record without a kind was written")
	}
}
