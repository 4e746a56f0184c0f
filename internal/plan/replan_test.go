package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
)

func TestMergeDecisions(t *testing.T) {
	base := decide.Decisions{
		Pipelines: []decide.PipelineMap{{Klipy: "Sales", Action: "create", Target: "Sales",
			Stages: []decide.StageMap{{Klipy: "Lead", Target: "Lead"}, {Klipy: "Won", Status: "won"}}}},
		Labels:        []decide.LabelGroup{{Label: "VIP", Variants: []string{"VIP", "vip"}}, {Label: "V.I.P.", Variants: []string{"V.I.P."}}},
		ActivityTypes: []decide.ActivityType{{Klipy: "CALL", Target: "call"}, {Klipy: "SMS"}},
		Owners:        []decide.Owner{{Klipy: "Ann", Resolution: "open"}, {Klipy: "Bob", Resolution: "matched", Target: "bob@x"}},
	}
	ours := base
	ours.Pipelines = []decide.PipelineMap{{Klipy: "Sales", Action: "collapse", Target: "Pipeline",
		Stages: []decide.StageMap{{Klipy: "Lead", Target: "Qualified"}, {Klipy: "Won", Status: "won"}}}}
	ours.Labels = []decide.LabelGroup{{Label: "VIP", Variants: []string{"VIP", "vip", "V.I.P."}}}
	ours.ActivityTypes = []decide.ActivityType{{Klipy: "CALL", Target: "call"}, {Klipy: "SMS", Target: "task"}}
	ours.Owners = []decide.Owner{{Klipy: "Ann", Resolution: "map", Target: "ann@x"}, {Klipy: "Bob", Resolution: "matched", Target: "bob@x"},
		{Klipy: "Gone", Resolution: "fallback", Target: "admin@x"}}
	theirs := decide.Decisions{ // the new proposal: Bob's email changed in the data, a new stage
		Pipelines: []decide.PipelineMap{{Klipy: "Sales", Action: "create", Target: "Sales",
			Stages: []decide.StageMap{{Klipy: "Lead", Target: "Lead"}, {Klipy: "Demo", Target: "Demo"}, {Klipy: "Won", Status: "won"}}}},
		Labels:        []decide.LabelGroup{{Label: "VIP", Variants: []string{"VIP", "vip"}}, {Label: "V.I.P.", Variants: []string{"V.I.P."}}},
		ActivityTypes: []decide.ActivityType{{Klipy: "CALL", Target: "call"}, {Klipy: "SMS"}},
		Owners:        []decide.Owner{{Klipy: "Ann", Resolution: "open"}, {Klipy: "Bob", Resolution: "matched", Target: "robert@x"}},
	}
	got, nk := MergeDecisions(&base, ours, theirs)
	want := decide.Decisions{
		Pipelines: []decide.PipelineMap{{Klipy: "Sales", Action: "collapse", Target: "Pipeline",
			Stages: []decide.StageMap{{Klipy: "Lead", Target: "Qualified"}, {Klipy: "Demo", Target: "Demo"}, {Klipy: "Won", Status: "won"}}}},
		Labels:        []decide.LabelGroup{{Label: "VIP", Variants: []string{"VIP", "vip", "V.I.P."}}, {Label: "V.I.P.", Variants: []string{}}},
		ActivityTypes: []decide.ActivityType{{Klipy: "CALL", Target: "call"}, {Klipy: "SMS", Target: "task"}},
		Owners:        []decide.Owner{{Klipy: "Ann", Resolution: "map", Target: "ann@x"}, {Klipy: "Bob", Resolution: "matched", Target: "robert@x"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("merged decisions (-want +got):\n%s", diff)
	}
	if len(nk) != 1 || nk[0].What != "owner Gone: fallback admin@x" {
		t.Errorf("not kept: %v, want the owner Gone only", nk)
	}
}

// TestMergeColumnDecisions: an answered column decision is kept over the new proposal's
// open one (by file and header, any case); an answer for a column no longer ambiguous is
// listed as not kept; an untouched one takes the proposal.
func TestMergeColumnDecisions(t *testing.T) {
	col := func(header, choice string) decide.ColumnChoice {
		return decide.ColumnChoice{File: "people.csv", Header: header, Options: []string{"email", "custom." + header, "skip"}, Choice: choice}
	}
	for _, base := range []*decide.Decisions{{Columns: []decide.ColumnChoice{col("Email", "open"), col("Mail", "open"), col("Old", "open")}}, nil} {
		ours := decide.Decisions{Columns: []decide.ColumnChoice{col("Email", "custom.Private"), col("Mail", "open"), col("Old", "skip")}}
		theirs := decide.Decisions{Columns: []decide.ColumnChoice{col("EMAIL", "open"), col("Mail", "open")}}
		got, nk := MergeDecisions(base, ours, theirs)
		want := []decide.ColumnChoice{col("EMAIL", "custom.Private"), col("Mail", "open")}
		if diff := cmp.Diff(want, got.Columns); diff != "" {
			t.Errorf("base %v: merged columns (-want +got):\n%s", base != nil, diff)
		}
		if base != nil && (len(nk) != 1 || nk[0].What != "column people.csv Old → skip") {
			t.Errorf("not kept: %v, want the Old column's answer", nk)
		}
	}
}

func TestMergeMapping(t *testing.T) {
	f := func(src, custom string) mapping.Field {
		return mapping.Field{Source: src, CustomField: custom, Type: "varchar"}
	}
	obj := func(fs ...mapping.Field) []mapping.Object {
		return []mapping.Object{{Source: source.Person, Target: "person", Fields: fs}}
	}
	base := mapping.Mapping{Version: 1, DefaultRegion: "US", Objects: obj(f("custom.A", "A"), f("custom.B", "B"), f("custom.C", "C"), f("custom.D", "D"))}
	ours := mapping.Mapping{Version: 1, DefaultRegion: "GB", // edited A, removed B, added E, edited D (gone from the data)
		Objects: obj(f("custom.A", "A renamed"), f("custom.C", "C"), f("custom.D", "D renamed"), f("custom.E", "E"))}
	theirs := mapping.Mapping{Version: 1, DefaultRegion: "US", Objects: obj(f("custom.A", "A"), f("custom.B", "B"), f("custom.C", "C2"), f("custom.F", "F"))}
	got, nk := MergeMapping(&base, ours, theirs)
	want := mapping.Mapping{Version: 1, DefaultRegion: "GB",
		Objects: obj(f("custom.A", "A renamed"), f("custom.C", "C2"), f("custom.F", "F"), f("custom.E", "E"))}
	if diff := cmp.Diff(yamlOf(want), yamlOf(got)); diff != "" {
		t.Errorf("merged mapping (-want +got):\n%s", diff)
	}
	if len(nk) != 1 || nk[0].What != "person field custom.D" {
		t.Errorf("not kept: %v, want custom.D only", nk)
	}
}
