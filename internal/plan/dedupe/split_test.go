package dedupe

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

func TestSplit(t *testing.T) {
	base := func() *Result {
		return &Result{
			PersonClusters: []Cluster{
				{Kind: source.Person, Survivor: "p1", Members: []string{"p1", "p2"}},
				{Kind: source.Person, Survivor: "p3", Members: []string{"p3", "p4", "p5"}},
			},
			CompanyClusters:    []Cluster{{Kind: source.Company, Survivor: "c1", Members: []string{"c1", "c2"}}},
			NameVariants:       []NameVariant{{Survivor: "p3", Class: VariantDifferent}},
			DestinationMatches: []DestinationMatch{{Kind: source.Person, Survivor: "p3", DestID: 7}},
			Stats:              Stats{People: 5, DistinctPeople: 2, PersonClusters: 2, Companies: 2, DistinctCompanies: 1, CompanyClusters: 1, NameVariantClusters: 1},
		}
	}
	tests := []struct {
		id      string
		persons []string
		comps   []string
		stats   Stats
		wantErr bool
	}{
		{id: "p3", persons: []string{"p1"}, comps: []string{"c1"},
			stats: Stats{People: 5, DistinctPeople: 4, PersonClusters: 1, Companies: 2, DistinctCompanies: 1, CompanyClusters: 1}},
		{id: "c1", persons: []string{"p1", "p3"}, comps: nil,
			stats: Stats{People: 5, DistinctPeople: 2, PersonClusters: 2, Companies: 2, DistinctCompanies: 2, NameVariantClusters: 1}},
		{id: "p2", wantErr: true}, // a member, not a survivor
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			res := base()
			_, err := res.Split(tt.id)
			if tt.wantErr {
				if err == nil {
					t.Fatal("Split of a non-survivor succeeded")
				}
				if diff := cmp.Diff(base(), res); diff != "" {
					t.Errorf("a refused split changed the result (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.persons, survivors(res.PersonClusters)); diff != "" {
				t.Errorf("person clusters (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.comps, survivors(res.CompanyClusters)); diff != "" {
				t.Errorf("company clusters (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.stats, res.Stats); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
			if len(res.DestinationMatches) != 1 {
				t.Errorf("the survivor's destination match was dropped: %+v", res.DestinationMatches)
			}
		})
	}
}

func survivors(cs []Cluster) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Survivor)
	}
	return out
}
