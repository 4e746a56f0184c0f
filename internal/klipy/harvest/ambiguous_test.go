package harvest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// TestAmbiguities: two headers of one file that spell one field with close confidence are
// each an ambiguity; different fields, a repeated header or one known header are not; a
// column with no header but values is listed as not migrated.
func TestAmbiguities(t *testing.T) {
	tests := []struct {
		name   string
		kind   source.Kind
		header []string
		want   []string // "header: field (others) now current"
	}{
		{"two spellings of email", source.Person, []string{"Name", "Email", "E-Mail Address"},
			[]string{"Email: email [E-Mail Address] now email", "E-Mail Address: email [Email] now custom.E-Mail Address"}},
		{"canonical and alias with a unit", source.Deal, []string{"value", "Wert (EUR)", "name"},
			[]string{"value: value [Wert (EUR)] now value", "Wert (EUR): value [value] now custom.Wert (EUR)"}},
		{"different fields", source.Person, []string{"Email", "Phone", "Firma"}, nil},
		{"a repeated header", source.Person, []string{"Email", "email"}, nil},
		{"unknown headers", source.Person, []string{"Kritzeleien", "Notizen vom Stand"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := proposeColumns(tc.kind, "f.csv", tc.header, nil, nil)
			var got []string
			for _, a := range (&ColumnMap{Files: []FileColumns{fc}}).Ambiguities() {
				got = append(got, a.Header+": "+a.Field+" ["+strings.Join(a.Others, ",")+"] now "+a.Current)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ambiguities (-want +got):\n%s", diff)
			}
		})
	}
	fc := proposeColumns(source.Person, "people.csv", []string{"Email", ""}, [][]string{{"a@b.de", "ruft zurück!!"}}, nil)
	u := (&ColumnMap{Files: []FileColumns{fc}}).Unmapped()
	if len(u) != 1 || !strings.Contains(u[0], "column 2 has no header and is not migrated") || !strings.Contains(u[0], "ruft zurück!!") {
		t.Errorf("a headerless column of values: unmapped %q, want it listed as not migrated with a sample", u)
	}
}

// TestApplyChoice: an answer sets the column's field in the map and in the file, keeping the
// user's comments; an answer the map already has changes nothing.
func TestApplyChoice(t *testing.T) {
	const doc = `version: 1
files:
  - file: people.csv
    kind: person
    columns:
      # two email columns: which is the person's?
      - header: Email
        field: email # private, mostly
      - header: E-Mail Address
        field: custom.E-Mail Address
`
	m, ps := ParseColumns([]byte(doc))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	out, changed, err := ApplyChoice([]byte(doc), m, "people.csv", "Email", "custom.Private Email")
	if err != nil || !changed {
		t.Fatalf("apply: changed %v, err %v", changed, err)
	}
	out, changed, err = ApplyChoice(out, m, "people.csv", "e-mail address", "email")
	if err != nil || !changed {
		t.Fatalf("apply the second: changed %v, err %v", changed, err)
	}
	for _, want := range []string{"# two email columns: which is the person's?", "# private, mostly",
		"field: custom.Private Email", "header: E-Mail Address\n        field: email"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("after applying, columns.yaml lacks %q:\n%s", want, out)
		}
	}
	back, ps := ParseColumns(out)
	if len(ps) > 0 || back.File("people.csv").Columns[1].Field != "email" || m.File("people.csv").Columns[0].Field != "custom.Private Email" {
		t.Errorf("read back %+v (problems %v); map %+v", back.File("people.csv"), ps, m.File("people.csv"))
	}
	if again, changed, err := ApplyChoice(out, m, "people.csv", "E-Mail Address", "email"); changed || err != nil || string(again) != string(out) {
		t.Errorf("applying an answer already there: changed %v, err %v", changed, err)
	}
}
