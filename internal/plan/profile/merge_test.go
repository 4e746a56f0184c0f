package profile

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// splitProfile feeds recs to n Profilers, page i (of size page) to Profiler i%n, and merges
// them in order, as plan's parallel scan does.
func splitProfile(recs []source.Record, n, page int) Profile {
	shards := make([]*Profiler, n)
	for i := range shards {
		shards[i] = NewProfiler()
	}
	for i := 0; i*page < len(recs); i++ {
		for _, r := range recs[i*page : min((i+1)*page, len(recs))] {
			shards[i%n].Add(r)
		}
	}
	for _, s := range shards[1:] {
		shards[0].Merge(s)
	}
	return shards[0].Profile()
}

// TestMergeMatchesOneProfiler checks that a profile split over several Profilers and merged
// detects the same types with the same counts as one Profiler, and that the same split gives
// the same profile every time (fields over DistinctCap included: 400 people).
func TestMergeMatchesOneProfiler(t *testing.T) {
	recs, _ := harvestRecords(t, 400, 2)
	var all []source.Record
	for _, k := range source.Kinds {
		all = append(all, recs[k]...)
	}
	one := NewProfiler()
	for _, r := range all {
		one.Add(r)
	}
	want := one.Profile()
	for _, tc := range []struct{ shards, page int }{{1, 100}, {2, 7}, {3, 1000}, {5, 1}} {
		got := splitProfile(all, tc.shards, tc.page)
		if diff := cmp.Diff(summaryOf(want), summaryOf(got)); diff != "" {
			t.Errorf("%d shards, pages of %d: types and counts differ (-one +merged):\n%s", tc.shards, tc.page, diff)
		}
		if diff := cmp.Diff(got, splitProfile(all, tc.shards, tc.page)); diff != "" {
			t.Errorf("%d shards, pages of %d: two runs differ:\n%s", tc.shards, tc.page, diff)
		}
	}
	// One page per kind (a small snapshot) is exactly the sequential profile.
	if diff := cmp.Diff(want, splitProfile(all, 2, len(all))); diff != "" {
		t.Errorf("a single page differs from one Profiler:\n%s", diff)
	}
}

// fieldSummary is what must not depend on how the records were split.
type fieldSummary struct {
	Kind            source.Kind
	Name            string
	Type            Type
	Filled, Records int
	Confidence      float64
	Anomalies       []int
	Layout, Locale  string
	Currency        string
	Values          []ValueCount // below DistinctCap: exact
}

func summaryOf(p Profile) []fieldSummary {
	var out []fieldSummary
	for _, o := range p.Objects {
		for _, f := range o.Fields {
			var anomalies []int
			for _, a := range f.Anomalies {
				anomalies = append(anomalies, a.Count)
			}
			values := f.Values
			if f.DistinctCapped {
				values = nil
			}
			out = append(out, fieldSummary{o.Kind, f.Name, f.Type, f.Filled, o.Records, f.Confidence, anomalies,
				f.Layout, f.Locale, f.Currency, values})
		}
	}
	return out
}
