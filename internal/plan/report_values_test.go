package plan

import (
	"strings"
	"testing"

	"ferry/internal/plan/mapping"
	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// TestReportListsValuesLeftOut checks that the plan report names, row by row, the values that
// do not fit a migrated field's type, and the mapping's open questions.
func TestReportListsValuesLeftOut(t *testing.T) {
	p := profile.Profile{Objects: []profile.Object{{Kind: source.Person, Records: 8, Fields: []profile.Field{
		{Name: "custom.Renewal Date", Filled: 8, Type: profile.TypeDate, Layout: "2006-01-02",
			Anomalies: []profile.Anomaly{{Message: "1 value: does not parse as the column's date layout 2006-01-02",
				Count: 1, IDs: []string{"people.csv:4"}, Values: []string{"someday"}}}},
		{Name: "custom.Notes", Filled: 8, Type: profile.TypeText},
	}}}}
	m := mapping.Mapping{Objects: []mapping.Object{{Source: source.Person, Target: mapping.EntityPerson, Fields: []mapping.Field{
		{Source: "custom.Renewal Date", CustomField: "Renewal Date", Type: "date", Transforms: []string{"parse_date:2006-01-02"}},
		{Source: "custom.Last Contact", CustomField: "Last Contact", Type: "date", Transforms: []string{"parse_date:01/02/2006"},
			Open: "month/day or day/month?"},
	}}}}
	var b strings.Builder
	r := &reportWriter{w: &b}
	r.writeValues(m, p)
	out := b.String()
	for _, want := range []string{"## Values left out", "people.csv:4", `"someday"`, "does not parse as the column's date layout",
		"## Mapping questions", "custom.Last Contact", "month/day or day/month?"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
