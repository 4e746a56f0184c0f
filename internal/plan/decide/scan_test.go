package decide

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/source"
)

// TestScanMerge splits a snapshot over three Scans page by page and checks that the merge
// equals one Scan of everything (stage positions up to float rounding).
func TestScanMerge(t *testing.T) {
	st, _ := loadGenerated(t, 300, 5)
	var all []source.Record
	if err := st.EachRecord(t.Context(), "", func(r source.Record) error { all = append(all, r); return nil }); err != nil {
		t.Fatal(err)
	}
	one, parts := NewScan(), []*Scan{NewScan(), NewScan(), NewScan()}
	for i, r := range all {
		one.Add(r)
		parts[(i/17)%3].Add(r)
	}
	for _, p := range parts[1:] {
		parts[0].Merge(p)
	}
	opts := cmp.Options{cmp.AllowUnexported(StageStat{}), cmpopts.EquateApprox(0, 1e-9)}
	if diff := cmp.Diff(one, parts[0], opts); diff != "" {
		t.Errorf("merged scan differs from one scan (-one +merged):\n%s", diff)
	}
	if len(one.Owners) == 0 || len(one.Interactions) == 0 || len(one.Stages) == 0 {
		t.Fatalf("the dataset exercises nothing: %d owners, %d interaction types, %d pipelines",
			len(one.Owners), len(one.Interactions), len(one.Stages))
	}
}
