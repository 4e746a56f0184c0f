package harvest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// TestColumnsFileRoundTrip: a proposed map written as columns.yaml reads back to the same
// fields and hints, with no problems, and its comments carry confidence, why and samples.
func TestColumnsFileRoundTrip(t *testing.T) {
	fc := proposeColumns(source.Interaction, "interactions.csv",
		[]string{"ID", "Typ", "Datum (ms)", "Kontakt-E-Mail", "Notiz: intern", "Erfasst von", ""},
		[][]string{{"I-1", "EMAIL", "1707121800000", "a@b.de", "x \"y\"\nz", "Jürgen Weiß", ""}}, nil)
	m := &ColumnMap{Files: []FileColumns{fc}}
	data := FormatColumns(m)
	got, ps := ParseColumns(data)
	if len(ps) > 0 {
		t.Fatalf("problems in a written map: %v\n%s", ps, data)
	}
	if len(got.Files) != 1 || len(got.Files[0].Columns) != len(fc.Columns) {
		t.Fatalf("read back %+v", got)
	}
	for i, c := range got.Files[0].Columns {
		want := fc.Columns[i]
		if c.Header != want.Header || c.Field != want.Field || c.Hint != want.Hint {
			t.Errorf("column %d: read %q/%q/%q, wrote %q/%q/%q", i, c.Header, c.Field, c.Hint, want.Header, want.Field, want.Hint)
		}
	}
	for _, want := range []string{"0.90 header \"Datum\" is a spelling of interaction_date", "hint: epoch_ms",
		`e.g. "a@b.de"`, "field: \"custom.Notiz: intern\""} {
		if !strings.Contains(string(data), want) {
			t.Errorf("columns.yaml lacks %q:\n%s", want, data)
		}
	}
	if h := got.Hints()[source.Interaction]["interaction_date"]; h != HintEpochMillis {
		t.Errorf("hint read back: %q", h)
	}
}

// TestLintColumns: each class of mistake a user can make in columns.yaml is named with its line.
func TestLintColumns(t *testing.T) {
	const head = "version: 1\nfiles:\n  - file: people.csv\n    kind: person\n    columns:\n"
	tests := []struct {
		name, body string
		want       []string // "line: text"
	}{
		{"ok", "      - header: Mail\n        field: email\n      - header: X\n        field: skip\n      - header: Y\n        field: custom.Y\n", nil},
		{"unknown field", "      - header: Mail\n        field: e-mail\n", []string{"7: unknown field \"e-mail\" for person", "7: did you mean email?"}},
		{"two on one field", "      - header: Mail\n        field: email\n      - header: Mail 2\n        field: email\n",
			[]string{"8: columns at lines 6 and 8 both mean email"}},
		{"no field", "      - header: Mail\n", []string{"6: column \"Mail\" has no field"}},
		{"empty custom", "      - header: Mail\n        field: custom.\n", []string{"7: column \"Mail\": custom field without a name"}},
		{"unknown key", "      - header: Mail\n        feild: email\n", []string{"7: unknown key \"feild\""}},
		{"hint", "      - header: Mail\n        field: email\n        hint: furlongs\n", []string{"8: column \"Mail\": hint \"furlongs\""}},
	}
	for _, tc := range tests {
		ps := LintColumns([]byte(head + tc.body))
		var got []string
		for _, p := range ps {
			got = append(got, p.Format("columns.yaml"))
		}
		if len(ps) == 0 && len(tc.want) > 0 || len(ps) > 0 && len(tc.want) == 0 {
			t.Errorf("%s: problems %q, want %q", tc.name, got, tc.want)
			continue
		}
		all := strings.Join(got, "\n")
		for _, w := range tc.want {
			line, text, _ := strings.Cut(w, ": ")
			if !strings.Contains(all, "columns.yaml:"+line+":") || !strings.Contains(all, text) {
				t.Errorf("%s: problems %q, want line %s with %q", tc.name, got, line, text)
			}
		}
	}
	bad := []struct{ doc, want string }{
		{"version: 1\nfiles:\n  - file: people.csv\n    kind: people\n", "columns.yaml:4:11: error: file people.csv: kind \"people\""},
		{"version: 1\nfiles:\n  - file: people.csv\n    kind: deal\n", "file people.csv holds person records, not deal"},
		{"version: 2\n", "columns.yaml:1:10: error: version \"2\""},
		{"version: 1\nfiles: [\n", "columns.yaml:"},
		{"version: 1\nfiles:\n  - file: a.csv\n    kind: person\n  - file: A.csv\n    kind: person\n", "listed twice (first at line 3)"},
	}
	for _, tc := range bad {
		ps := LintColumns([]byte(tc.doc))
		if !HasErrors(ps) || !strings.Contains(ps[0].Format("columns.yaml"), tc.want) {
			t.Errorf("%q: problems %v, want %q", tc.doc, ps, tc.want)
		}
	}
}

// TestColumnMapMerge: merging a later proposal adds new files and columns and keeps what the
// map already says.
func TestColumnMapMerge(t *testing.T) {
	m := &ColumnMap{Files: []FileColumns{{File: "people.csv", Kind: source.Person,
		Columns: []Column{{Header: "Mail", Field: "email"}, {Header: "Notes", Field: Skip}}}}}
	p := proposeColumns(source.Person, "people.csv", []string{"Mail", "Notes", "Vorname"}, nil, m.File("people.csv"))
	if !m.merge(&p) || m.merge(&p) {
		t.Error("merge should add Vorname once")
	}
	var got []string
	for _, c := range m.Files[0].Columns {
		got = append(got, c.Header+"="+c.Field)
	}
	if diff := cmp.Diff([]string{"Mail=email", "Notes=skip", "Vorname=first_name"}, got); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
	d := proposeColumns(source.Deal, "deals.csv", []string{"ID"}, nil, nil)
	if !m.merge(&d) || len(m.Files) != 2 {
		t.Error("merge should add deals.csv")
	}
	if u := m.Unmapped(); len(u) != 1 || !strings.Contains(u[0], "not migrated") {
		t.Errorf("unmapped: %q", u)
	}
}

// FuzzParseColumns: any text is either read or refused with problems that name a line; a
// map that reads without errors formats and reads back to the same fields.
func FuzzParseColumns(f *testing.F) {
	f.Add([]byte("version: 1\nfiles:\n  - file: people.csv\n    kind: person\n    columns:\n      - header: Mail\n        field: email\n"))
	f.Add([]byte("files: [{file: x, kind: deal, columns: [{header: a, field: name, hint: epoch_ms}]}]"))
	f.Add([]byte("version: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, ps := ParseColumns(data)
		for _, p := range ps {
			if p.Line < 1 {
				t.Fatalf("problem without a line: %+v", p)
			}
		}
		if HasErrors(ps) {
			return
		}
		again, ps2 := ParseColumns(FormatColumns(m))
		if HasErrors(ps2) {
			t.Fatalf("a clean map formats to a file with problems: %v\n%s", ps2, FormatColumns(m))
		}
		for i, fc := range m.Files {
			for j, c := range fc.Columns {
				if j >= len(again.Files[i].Columns) || again.Files[i].Columns[j].Field != c.Field || again.Files[i].Columns[j].Header != c.Header {
					t.Fatalf("file %d column %d changed on a round trip", i, j)
				}
			}
		}
	})
}
