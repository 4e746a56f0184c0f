package harvest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
)

// TestReadGeneratedHarvest reads a folder written by internal/gen and grades it against the
// generator's answer key (read here, by the test, never by the reader): every data row is
// read, and the rows quarantined are exactly the key's harvest-stage broken rows.
func TestReadGeneratedHarvest(t *testing.T) {
	for _, cfg := range []gen.Config{{People: 300, Seed: 7}, {People: 1200, Seed: 42}} {
		t.Run(fmt.Sprintf("people=%d,seed=%d", cfg.People, cfg.Seed), func(t *testing.T) {
			dir := t.TempDir()
			key, err := gen.New(cfg).WriteHarvest(dir)
			if err != nil {
				t.Fatal(err)
			}
			res := readAll(t, dir, Options{})
			if res.Error != "" || len(res.Stats.Absent) != 0 {
				t.Fatalf("error %q, absent %v", res.Error, res.Stats.Absent)
			}
			for _, f := range res.Stats.Files {
				want, ok := key.Files[f.File]
				if !ok {
					t.Errorf("%s: not in the key", f.File)
				}
				if f.Rows != want.Rows || f.BOM != want.BOM || f.Blank != 0 {
					t.Errorf("%s: read %d rows (bom %v, %d blank), the key says %d rows (bom %v)",
						f.File, f.Rows, f.BOM, f.Blank, want.Rows, want.BOM)
				}
			}
			var want, got []string
			for _, b := range key.BrokenRows {
				if b.Stage == gen.StageHarvest {
					want = append(want, fmt.Sprintf("%s:%d", b.File, b.Line))
				}
			}
			for _, q := range res.Quarantine {
				got = append(got, fmt.Sprintf("%s:%d", q.File, q.Line))
			}
			slices.Sort(want)
			slices.Sort(got)
			if len(want) == 0 {
				t.Fatal("the key lists no harvest-stage broken rows; the test would prove nothing")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("quarantined rows vs the key's harvest-stage broken rows (-key +quarantined):\n%s\nreasons: %+v", diff, res.Quarantine)
			}
			brokenIn := map[string]int{}
			for _, b := range key.BrokenRows {
				if b.Stage == gen.StageHarvest {
					brokenIn[b.File]++
				}
			}
			for _, f := range res.Stats.Files {
				if want := key.Files[f.File].Rows - brokenIn[f.File]; f.Loaded != want {
					t.Errorf("%s: loaded %d, want %d (rows minus the key's broken rows)", f.File, f.Loaded, want)
				}
			}
		})
	}
}
