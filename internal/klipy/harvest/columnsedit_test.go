package harvest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"ferry/internal/source"
)

// userColumns is a columns.yaml as a user leaves it after review: comments of their own above
// the document, above a file, above and beside columns, and an edited field.
const userColumns = `# Reviewed by Ana on 3 March: Lead Source stays a custom field, Notes is not migrated.
version: 1
files:
  # the people tab of the shared sheet
  - file: people.csv
    kind: person
    columns:
      - header: Email Address
        field: email
      - header: Lead Source
        field: custom.Lead Source # marketing asked for this one
      # scribbles of the sales team, not for Pipedrive
      - header: Notes
        field: skip
`

// TestExtendColumnsKeepsComments: when extract finds a new column and a new file, it adds
// them to columns.yaml and keeps every comment and edit the user made; a second extend with
// the same proposal changes nothing.
func TestExtendColumnsKeepsComments(t *testing.T) {
	people := proposeColumns(source.Person, "people.csv",
		[]string{"Email Address", "Lead Source", "Notes", "Mobile"},
		[][]string{{"a@b.de", "Webinar", "call!!", "+49 151 2345678"}}, nil)
	deals := proposeColumns(source.Deal, "deals.csv", []string{"Deal Name", "Wert (EUR)"},
		[][]string{{"Pilot", "1.234,56"}}, nil)
	out, added, err := ExtendColumns([]byte(userColumns), []FileColumns{people, deals})
	if err != nil {
		t.Fatal(err)
	}
	if added != 2 {
		t.Errorf("added to %d files, want 2 (people.csv's Mobile, deals.csv)", added)
	}
	text := string(out)
	for _, want := range []string{"# Reviewed by Ana on 3 March", "# the people tab of the shared sheet",
		"# marketing asked for this one", "# scribbles of the sales team, not for Pipedrive"} {
		if !strings.Contains(text, want) {
			t.Errorf("the extended columns.yaml lost the comment %q:\n%s", want, text)
		}
	}
	m, ps := ParseColumns(out)
	if len(ps) > 0 {
		t.Fatalf("the extended columns.yaml has problems %v:\n%s", ps, text)
	}
	got := map[string]string{}
	for _, f := range m.Files {
		for _, c := range f.Columns {
			got[f.File+"/"+c.Header] = c.Field + " " + c.Hint
		}
	}
	want := map[string]string{"people.csv/Email Address": "email ", "people.csv/Lead Source": "custom.Lead Source ",
		"people.csv/Notes": "skip ", "people.csv/Mobile": "phone ", "deals.csv/Deal Name": "name ",
		"deals.csv/Wert (EUR)": "value currency:EUR"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: field and hint %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("columns %v, want exactly %v", got, want)
	}
	if !strings.Contains(text, `e.g. "Webinar"`) && !strings.Contains(text, `e.g. "+49 151 2345678"`) {
		t.Errorf("the new column carries no proposal comment:\n%s", text)
	}
	again, n, err := ExtendColumns(out, []FileColumns{people, deals})
	if err != nil || n != 0 || string(again) != text {
		t.Errorf("second extend: added %d, err %v, changed %v; want nothing", n, err, string(again) != text)
	}
}

// TestExtendColumnsEmptyFiles: a map whose files list is empty or null takes new files.
func TestExtendColumnsEmptyFiles(t *testing.T) {
	people := proposeColumns(source.Person, "people.csv", []string{"E-Mail"}, [][]string{{"a@b.de"}}, nil)
	for _, doc := range []string{"# mine\nversion: 1\nfiles: []\n", "version: 1\nfiles:\n", "version: 1\n", "", "# nothing yet\n"} {
		out, added, err := ExtendColumns([]byte(doc), []FileColumns{people})
		if err != nil || added != 1 {
			t.Fatalf("%q: added %d, err %v", doc, added, err)
		}
		m, ps := ParseColumns(out)
		if len(ps) > 0 || m.File("people.csv") == nil || m.File("people.csv").Columns[0].Field != "email" {
			t.Errorf("%q extended to:\n%s\nproblems %v", doc, out, ps)
		}
	}
}

// FuzzExtendColumns: any columns.yaml that reads without errors, extended with a proposal
// and with an answer applied, still reads without errors and keeps every field it had.
func FuzzExtendColumns(f *testing.F) {
	f.Add([]byte(userColumns), "Mobile", "email")
	f.Add([]byte("version: 1\nfiles: []\n"), "E-Mail", "skip")
	f.Add([]byte("# c\nversion: 1\nfiles:\n  - file: people.csv # x\n    kind: person\n    columns: []\n"), "Notes", "custom.N")
	f.Fuzz(func(t *testing.T, data []byte, header, field string) {
		before, ps := ParseColumns(data)
		if HasErrors(ps) {
			return
		}
		people := proposeColumns(source.Person, "people.csv", []string{"Email Address", header}, [][]string{{"a@b.de", "x"}}, nil)
		out, _, err := ExtendColumns(data, []FileColumns{people})
		if err != nil {
			return // refused with an error, never a panic
		}
		after, ps := ParseColumns(out)
		if HasErrors(ps) {
			t.Fatalf("extended map has problems %v:\n%s\nfrom:\n%s", ps, out, data)
		}
		for _, fc := range before.Files {
			got := after.File(fc.File)
			for i, c := range fc.Columns {
				if got == nil || i >= len(got.Columns) || got.Columns[i].Field != c.Field || got.Columns[i].Header != c.Header {
					t.Fatalf("%s column %d (%q → %s) lost in the extended map:\n%s", fc.File, i, c.Header, c.Field, out)
				}
			}
		}
		if _, _, err := ApplyChoice(out, after, "people.csv", "Email Address", field); err != nil &&
			utf8.ValidString(field) && strings.TrimSpace(field) != "" {
			t.Fatalf("apply %q to an extended map: %v", field, err)
		}
	})
}
