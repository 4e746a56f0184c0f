package mapping

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/klipy/harvest"
	"ferry/internal/plan/profile"
	"ferry/internal/source"
	"ferry/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// memRecords holds records in memory and walks them like a store.
type memRecords map[source.Kind][]source.Record

func (m memRecords) EachRecord(_ context.Context, kind source.Kind, fn func(source.Record) error) error {
	for _, r := range m[kind] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// readHarvest reads a harvest folder into memory.
func readHarvest(t testing.TB, dir string) memRecords {
	t.Helper()
	recs := memRecords{}
	_, err := harvest.Read(context.Background(), dir, harvest.Options{},
		func(r source.Record) error { recs[r.Kind] = append(recs[r.Kind], r); return nil },
		func(store.QuarantineItem) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// genProfile generates a workspace and profiles its harvest folder.
func genProfile(t testing.TB, people int, seed int64) profile.Profile {
	t.Helper()
	dir := t.TempDir()
	if _, err := gen.New(gen.Config{People: people, Seed: seed}).WriteHarvest(dir); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Build(context.Background(), readHarvest(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// render writes a mapping to bytes.
func render(t testing.TB, m Mapping) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, d)
	}
}
