package estimate

import (
	"strings"
	"testing"
)

func TestGrade(t *testing.T) {
	clean := MappingFacts{Known: true, Objects: 8, Fields: 40, SkippedFields: 1, CustomFields: 5}
	tests := []struct {
		name       string
		counts     Counts
		mapping    *MappingFacts // nil: counts only
		quarantine int           // people the mapping cannot take
		plan       string
		letter     string
		clarity    int
		reason     string // a reason the grade must give
	}{
		{"small prospect", Counts{People: 200, Companies: 40, Interactions: 900}, nil, 0, "growth", "B", 1, "derived from defaults"},
		{"clean plan", Counts{People: 200, Companies: 40, Interactions: 900}, &clean, 0, "growth", "B", 0, "1 of 40 mapped fields"},
		{"messy plan", Counts{People: 200, Interactions: 900, Files: 10}, &MappingFacts{Known: true, Fields: 40, SkippedFields: 25,
			OpenDecisions: 2}, 150, "growth", "C", 3, "2 decision(s) still open"},
		{"large account", Counts{People: 400_000, Companies: 50_000, Deals: 80_000, Interactions: 2_000_000, Notes: 100_000, Files: 5000},
			nil, 0, "lite", "D", 1, "scoped individually"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := FromCounts(tc.counts)
			if tc.mapping != nil {
				w.Mapping = *tc.mapping
			}
			w.Phases[1].Quarantined, w.Phases[1].Create = tc.quarantine, w.Phases[1].Create-tc.quarantine
			r, err := Estimate(w, Options{Plan: tc.plan, Seats: 1})
			if err != nil {
				t.Fatal(err)
			}
			g := r.Grade
			var all []string
			for _, d := range g.Dimensions {
				all = append(all, d.Reasons...)
			}
			if g.Letter != tc.letter || g.Dimensions[1].Score != tc.clarity || !strings.Contains(strings.Join(all, "\n"), tc.reason) {
				t.Errorf("grade %s (score %d, clarity %d), want %s with clarity %d and a reason with %q:\n%s",
					g.Letter, g.Score, g.Dimensions[1].Score, tc.letter, tc.clarity, tc.reason, strings.Join(all, "\n"))
			}
		})
	}
}
