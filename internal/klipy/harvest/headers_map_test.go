package harvest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// TestColumnMapHeaders: the planner learns what the user called each mapped column (a
// standard field kept as a custom one is named after it: "Size", not "Employee count");
// skipped and blank columns are left out.
func TestColumnMapHeaders(t *testing.T) {
	m := &ColumnMap{Files: []FileColumns{{File: "companies.csv", Kind: source.Company, Columns: []Column{
		{Header: "Company Name", Field: "name"},
		{Header: "Size", Field: "employee_count"},
		{Header: "Notes to self", Field: Skip},
		{Header: "", Field: ""},
	}}}}
	want := map[source.Kind]map[string]string{source.Company: {"name": "Company Name", "employee_count": "Size"}}
	if diff := cmp.Diff(want, m.Headers()); diff != "" {
		t.Errorf("Headers (-want +got):\n%s", diff)
	}
	var none *ColumnMap
	if len(none.Headers()) != 0 {
		t.Error("a missing column map has headers")
	}
}
