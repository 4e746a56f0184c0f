package dedupe

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// TestFromSQLiteStore runs dedupe from the real state store (records walked in id order) and
// checks it finds the same clusters as from the generator directly, and grades it.
func TestFromSQLiteStore(t *testing.T) {
	d := gen.New(gen.Config{People: 1500, Seed: 21})
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, k := range []source.Kind{source.Company, source.Person} {
		var recs []source.Record
		if err := d.Each(k, func(r source.Record) error { recs = append(recs, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PutRecords(t.Context(), recs); err != nil {
			t.Fatal(err)
		}
	}
	fromStore := run(t, st, Options{DefaultRegion: "US"})
	direct := run(t, genSource{d}, Options{DefaultRegion: "US"})
	if diff := cmp.Diff(groups(direct.PersonClusters), groups(fromStore.PersonClusters)); diff != "" {
		t.Errorf("person clusters from store differ (-direct +store):\n%s", diff)
	}
	if diff := cmp.Diff(groups(direct.CompanyClusters), groups(fromStore.CompanyClusters)); diff != "" {
		t.Errorf("company clusters from store differ (-direct +store):\n%s", diff)
	}
	key := d.Key()
	checkPeople(t, key, fromStore)
	checkCompanies(t, key, fromStore)
	checkVariants(t, key, fromStore)
}

// getterSource is a sliceSource that also reads single records, counting the reads.
type getterSource struct {
	sliceSource
	gets int
}

func (g *getterSource) GetRecord(_ context.Context, kind source.Kind, id string) (source.Record, error) {
	g.gets++
	for _, r := range g.sliceSource[kind] {
		if r.ID == id {
			return r, nil
		}
	}
	return source.Record{}, fmt.Errorf("record %s/%s: %w", kind, id, store.ErrNotFound)
}

// TestGetterPathMatchesWalk checks that reading only the clustered records by id gives the
// same result as walking them all, and really reads fewer records.
func TestGetterPathMatchesWalk(t *testing.T) {
	d := gen.New(gen.Config{People: 800, Seed: 4})
	src := sliceSource{}
	for _, k := range []source.Kind{source.Company, source.Person} {
		if err := d.Each(k, func(r source.Record) error { src[k] = append(src[k], r); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	walked := run(t, src, Options{DefaultRegion: "US"})
	g := &getterSource{sliceSource: src}
	got := run(t, g, Options{DefaultRegion: "US"})
	walked.Stats.ElapsedMillis, got.Stats.ElapsedMillis = 0, 0
	if diff := cmp.Diff(walked, got); diff != "" {
		t.Errorf("getter path differs from the walk (-walk +get):\n%s", diff)
	}
	members := 0
	for _, c := range append(walked.PersonClusters, walked.CompanyClusters...) {
		members += len(c.Members)
	}
	if g.gets != members {
		t.Errorf("getter path read %d records, want the %d clustered ones", g.gets, members)
	}
}

// vanishing serves two people that share an email but cannot read them back by id.
type vanishing struct{ sliceSource }

func (vanishing) GetRecord(_ context.Context, kind source.Kind, id string) (source.Record, error) {
	return source.Record{}, fmt.Errorf("record %s/%s: %w", kind, id, store.ErrNotFound)
}

func TestGetterPathRecordGone(t *testing.T) {
	people := []source.Record{person("a", "email", "x@acme.com"), person("b", "email", "x@acme.com"),
		person("c"), person("d"), person("e")}
	_, err := Run(t.Context(), vanishing{sliceSource{source.Person: people}}, Options{})
	if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "snapshot changed") {
		t.Fatalf("Run = %v, want a snapshot-changed error wrapping store.ErrNotFound", err)
	}
}
