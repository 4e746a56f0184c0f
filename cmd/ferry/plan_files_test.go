package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/migrate"
	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
)

func TestMergesOf(t *testing.T) {
	res := dedupe.Result{
		PersonClusters: []dedupe.Cluster{
			{Kind: source.Person, Survivor: "p2", Members: []string{"p2", "p7", "p9"}},
			{Kind: source.Person, Survivor: "p1", Members: []string{"p1", "p4"}},
		},
		CompanyClusters: []dedupe.Cluster{{Kind: source.Company, Survivor: "c1", Members: []string{"c1", "c3"}}},
		DestinationMatches: []dedupe.DestinationMatch{
			{Kind: source.Person, Survivor: "p1", DestID: 41, Policy: dedupe.FillBlanks},
			{Kind: source.Person, Survivor: "p5", DestID: 42, Policy: dedupe.Overwrite},  // a single record
			{Kind: source.Company, Survivor: "c8", DestID: 0, Candidates: []int64{1, 2}}, // ambiguous: no merge
		},
	}
	want := []migrate.Merge{
		{Kind: source.Company, Survivor: "c1", Members: []string{"c3"}},
		{Kind: source.Person, Survivor: "p1", Members: []string{"p4"}, DestID: 41, Policy: dedupe.FillBlanks},
		{Kind: source.Person, Survivor: "p2", Members: []string{"p7", "p9"}},
		{Kind: source.Person, Survivor: "p5", DestID: 42, Policy: dedupe.Overwrite},
	}
	if diff := cmp.Diff(want, mergesOf(res)); diff != "" {
		t.Errorf("mergesOf (-want +got):\n%s", diff)
	}
}
