package profile

import (
	"context"
	"fmt"
	"testing"

	"ferry/internal/gen"
	"ferry/internal/klipy/harvest"
	"ferry/internal/source"
	"ferry/internal/store"
)

// memRecords holds records in memory and walks them like a store.
type memRecords map[source.Kind][]source.Record

func (m memRecords) EachRecord(ctx context.Context, kind source.Kind, fn func(source.Record) error) error {
	for _, r := range m[kind] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// harvestRecords generates a workspace and reads its harvest folder back.
func harvestRecords(t testing.TB, people int, seed int64) (memRecords, gen.Key) {
	t.Helper()
	dir := t.TempDir()
	key, err := gen.New(gen.Config{People: people, Seed: seed}).WriteHarvest(dir)
	if err != nil {
		t.Fatal(err)
	}
	recs := memRecords{}
	_, err = harvest.Read(context.Background(), dir, harvest.Options{},
		func(r source.Record) error { recs[r.Kind] = append(recs[r.Kind], r); return nil },
		func(store.QuarantineItem) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return recs, key
}

// emptyPerson is a person record whose field is blank.
func emptyPerson(field string) source.Record {
	return source.Record{Kind: source.Person, ID: "per_empty00", Fields: map[string]string{field: " "}}
}

// recordWith is a person record with one field set.
func recordWith(i int, field, v string) source.Record {
	return source.Record{Kind: source.Person, ID: fmt.Sprintf("per_%06d", i), Fields: map[string]string{field: v}}
}
