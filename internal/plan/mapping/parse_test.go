package mapping

import (
	"errors"
	"strings"
	"testing"
)

// base is a small valid mapping; cases edit it by replacing one line.
const base = `version: 1
default_region: US
objects:
  - source: person
    target: person
    fields:
      - source: first_name
        target: name
        transforms: [join_name:first]
      - source: custom.Score
        custom_field: Score
        type: double
        transforms: [parse_number:us]
      - source: custom.Tier
        custom_field: Tier
        type: enum
        options: [Gold, Silver]
        values: {gold: Gold}
        transforms: [map_enum]
  - source: task
    target: activity
    activity_type: task
    fields:
      - source: title
        target: subject
`

func TestParseValid(t *testing.T) {
	m, err := Parse("mapping.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Objects[0].Fields[1].pos.line; got != 10 {
		t.Errorf("custom.Score recorded at line %d, want 10", got)
	}
}

// TestParseErrors checks that each broken mapping is refused with the right line and a
// message that says what is wrong.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		line           int
		want           string
	}{
		{"unknown key", "        target: name\n", "        target: name\n        colour: red\n", 9, `unknown key "colour" in field`},
		{"yaml syntax", "        type: double\n", "        type: [double\n", 0, "did not find expected"},
		{"wrong value type", "version: 1\n", "version: one\n", 1, "cannot unmarshal"},
		{"unknown kind", "  - source: task\n", "  - source: todo\n", 20, `unknown source kind "todo"`},
		{"wrong entity", "    target: person\n", "    target: organization\n", 4, "Klipy person records become Pipedrive person"},
		{"unknown standard target", "        target: name\n", "        target: full_name\n", 7, `unknown target "full_name" for person`},
		{"unknown transform", "[join_name:first]", "[capitalise]", 7, `unknown transform "capitalise"`},
		{"date into double", "[parse_number:us]", "[parse_date:2006-01-02]", 10, "transform parse_date cannot feed a number field"},
		{"double without parse", "[parse_number:us]", "[trim]", 10, "a number field needs one of the transforms parse_number, parse_money"},
		{"enum value without option", "{gold: Gold}", "{gold: Platinum}", 14, `maps to "Platinum", which is not an option`},
		{"enum without options", "        options: [Gold, Silver]\n", "", 14, "needs options"},
		{"unknown custom type", "        type: double\n", "        type: float\n", 10, `custom field type "float" unknown`},
		{"missing required", "        target: name\n", "        custom_field: Name\n        type: varchar\n", 4, "required person field name"},
		{"duplicate target", "        custom_field: Tier\n", "        custom_field: Score\n", 14, `duplicate target custom field "Score"`},
		{"two of target and skip", "        target: subject\n", "        target: subject\n        skip: no\n", 24, "exactly one of target, custom_field and skip"},
		{"custom on activity", "        target: subject\n", "        custom_field: Subject\n        type: varchar\n", 24, "take no custom fields"},
		{"bad region", "default_region: US", "default_region: usa", 1, "two-letter ISO region"},
		{"bad argument", "[join_name:first]", "[join_name:middle]", 7, `argument "middle" not allowed`},
		{"money locale unknown", "[parse_number:us]", "[parse_money:de]", 10, `locale "de" not allowed`},
		{"money currency not a code", "[parse_number:us]", "[parse_money:eu:euro]", 10, `currency "euro" is not a 3-letter ISO 4217 code`},
		{"repeated field", "      - source: custom.Score\n", "      - source: first_name\n", 10, "source field repeated (first at line 7)"},
		{"activity type on person", "    target: person\n", "    target: person\n    activity_type: call\n", 4, "activity_type is only allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("base has no %q", tt.old)
			}
			_, err := Parse("mapping.yaml", []byte(strings.Replace(base, tt.old, tt.new, 1)))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			for _, p := range pe.Problems {
				if strings.Contains(p.Message, tt.want) && (tt.line == 0 || p.Line == tt.line) && p.Line > 0 {
					return
				}
			}
			t.Errorf("no problem at line %d containing %q; got:\n%v", tt.line, tt.want, err)
		})
	}
}

func TestParseUnknownKeyColumn(t *testing.T) {
	_, err := Parse("m.yaml", []byte(strings.Replace(base, "        target: name\n", "        target: name\n        colour: red\n", 1)))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Problems[0].Line != 9 || pe.Problems[0].Column != 9 {
		t.Errorf("err = %v, want the unknown key at 9:9", err)
	}
}

func TestParseEmptyAndMultiDoc(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n", base + "---\nversion: 1\n"} {
		if _, err := Parse("m.yaml", []byte(in)); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestProblemFormat(t *testing.T) {
	p := Problem{Line: 12, Column: 9, Field: "person.email", Message: "bad", Warning: true}
	if got, want := p.Format("mapping.yaml"), "mapping.yaml:12:9: warning: person.email: bad"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}
