package dedupe

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/source"
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
