package mapping

import (
	"fmt"
	"strings"
	"testing"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// personProfile profiles a few hand-written person records.
func personProfile(rows ...map[string]string) profile.Profile {
	pr := profile.NewProfiler()
	for _, f := range rows {
		pr.Add(source.Record{Kind: source.Person, ID: f["id"], Fields: f})
	}
	return pr.Profile()
}

// people profiles 18 person records with a few custom columns.
func people() profile.Profile {
	var rows []map[string]string
	tiers := []string{"Gold", "Silver", "gold", "Gold", "Silver", "Bronze"}
	for i := range 18 {
		rows = append(rows, map[string]string{"id": fmt.Sprintf("per_%06d", i), "first_name": "A", "last_name": "B",
			"email": fmt.Sprintf("a%d@acme.com", i), "custom.Tier": tiers[i%len(tiers)], "custom.Score": fmt.Sprint(i * 7),
			"custom.Work Email": fmt.Sprintf("w%d@acme.com", i), "custom.Mobile Phone": fmt.Sprintf("+1 415 555 01%02d", i)})
	}
	return personProfile(rows...)
}

func TestProposeSynonymsAndTypes(t *testing.T) {
	m := Propose(people(), Schema{}, Options{})
	o, _ := m.Object(source.Person)
	want := map[string]string{
		"custom.Work Email":   "custom.Work Email → emails [normalize_email, label:work]",
		"custom.Mobile Phone": "custom.Mobile Phone → phones [phone_e164, label:mobile]",
		"custom.Score":        `custom.Score → custom field "Score" (double) [parse_number:us]`,
		"custom.Tier":         `custom.Tier → custom field "Tier" (enum) [map_enum]`,
	}
	for _, f := range o.Fields {
		if w, ok := want[f.Source]; ok && Describe(f) != w {
			t.Errorf("%s: got %q, want %q", f.Source, Describe(f), w)
		}
		if f.Source == "custom.Tier" && (strings.Join(f.Options, ",") != "Bronze,Gold,Silver" || f.Values["gold"] != "Gold") {
			t.Errorf("Tier options %v values %v: want Bronze,Gold,Silver with gold→Gold", f.Options, f.Values)
		}
	}
}

func TestProposeReusesSchema(t *testing.T) {
	dest := Schema{Fields: map[string][]DestField{EntityPerson: {
		{Name: "job_title", Code: "job_title", Type: "varchar"},
		{Name: "TIER", Code: "abc123", Type: "enum", Custom: true, Options: []Option{{1, "Gold"}, {2, "Platinum"}}},
		{Name: "Score", Code: "def456", Type: "varchar", Custom: true},
	}}}
	m := Propose(people(), dest, Options{})
	o, _ := m.Object(source.Person)
	for _, f := range o.Fields {
		switch f.Source {
		case "title":
			if f.Target != "job_title" {
				t.Errorf("title → %q, want job_title when the destination has it", Describe(f))
			}
		case "custom.Tier":
			if f.FieldCode != "abc123" || strings.Join(f.Options, ",") != "Gold,Platinum,Bronze,Silver" {
				t.Errorf("Tier: code %q options %v, want abc123 with Gold,Platinum,Bronze,Silver", f.FieldCode, f.Options)
			}
		case "custom.Score":
			if f.CustomField != "Score (Klipy)" || f.FieldCode != "" {
				t.Errorf("Score: %q code %q, want a new field \"Score (Klipy)\"", f.CustomField, f.FieldCode)
			}
		}
	}
	if ps := Lint(m, people(), dest); Errors(ps) {
		t.Errorf("proposal with schema does not lint: %v", ps)
	}
}

// TestLint checks the findings that need the profile or the destination.
func TestLint(t *testing.T) {
	p := people()
	dest := Schema{Fields: map[string][]DestField{EntityPerson: {
		{Name: "Score", Code: "def456", Type: "double", Custom: true}}}}
	data := string(render(t, Propose(p, Schema{}, Options{})))
	tests := []struct {
		name, old, new string
		want           string
		warning        bool
	}{
		{"unknown source field", "source: custom.Score", "source: custom.Scor", `unknown source field: the snapshot's person records have no "custom.Scor"`, false},
		{"unmapped profiled field", "source: custom.Score", "source: custom.Scor", "custom.Score: filled in 18 records but not mapped", true},
		{"value without option", "options: [Bronze, Gold, Silver]", "options: [Gold, Silver]", `value "Bronze" (3 records) has no option`, false},
		{"second field of a name", "", "", `reuses the existing double field "Score" (def456), as ferry run will`, true},
		{"unknown field_code", "custom_field: Score\n", "custom_field: Score\n        field_code: nope\n", "field_code nope: the destination has no such person field", false},
		{"examples fail", "'parse_number:us'", "'parse_date:2006-01-02'", "transform parse_date cannot feed a number field", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(data, tt.old) {
				t.Fatalf("proposal has no %q", tt.old)
			}
			m, err := Parse("mapping.yaml", []byte(strings.Replace(data, tt.old, tt.new, 1)))
			var ps []Problem
			if err != nil {
				ps = err.(*ParseError).Problems
			} else {
				ps = Lint(m, p, dest)
			}
			for _, pr := range ps {
				if strings.Contains(pr.Field+": "+pr.Message, tt.want) && pr.Warning == tt.warning && pr.Line > 0 {
					return
				}
			}
			t.Errorf("no problem like %q (warning %v) with a line; got %v", tt.want, tt.warning, ps)
		})
	}
}

func TestCheck(t *testing.T) {
	p := genProfile(t, 60, 2)
	data := render(t, Propose(p, Schema{}, Options{}))
	if _, ps := Check("mapping.yaml", data, p, Schema{}); Errors(ps) {
		t.Errorf("Check of a fresh proposal: %v", ps)
	}
	if _, ps := Check("mapping.yaml", []byte("version: 2\n"), p, Schema{}); !Errors(ps) || ps[0].Line == 0 {
		t.Errorf("Check of a broken file: %v, want errors with lines", ps)
	}
}

// TestProposeFullNameColumn checks that a people file with one "Full Name" column (the
// harvest reader keeps it as a custom column) feeds the person name.
func TestProposeFullNameColumn(t *testing.T) {
	var rows []map[string]string
	for i := range 4 {
		rows = append(rows, map[string]string{"id": fmt.Sprintf("per_%06d", i), "custom.Full Name": fmt.Sprintf("Ann Lee %d", i)})
	}
	p := personProfile(rows...)
	m := Propose(p, Schema{}, Options{})
	if ps := Lint(m, p, Schema{}); Errors(ps) {
		t.Fatalf("lint: %v", ps)
	}
	body, ps := Apply(m, source.Person, source.Record{Kind: source.Person, ID: "per_000001", Fields: rows[1]}, NameResolver{})
	if body["name"] != "Ann Lee 1" || Errors(ps) {
		t.Errorf("name = %v, problems %v; want the full-name column", body["name"], ps)
	}
	body, _ = Apply(m, source.Person, source.Record{Kind: source.Person, ID: "x", Fields: map[string]string{
		"first_name": "Bo", "last_name": "Ek", "custom.Full Name": "B. Ek"}}, NameResolver{})
	if body["name"] != "Bo Ek" {
		t.Errorf("name = %v, want first and last to win", body["name"])
	}
}
