package harvest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"ferry/internal/source"
)

// closeConfidence is how near two headers' confidences must be for ferry not to pick
// between them alone: every spelling of a field (canonical 1, alias 0.95, with a unit 0.9)
// is that near another.
const closeConfidence = 0.1

// Ambiguity is a column whose meaning ferry does not decide alone: its header and another
// column's header in the same file are both spellings of one standard field with close
// confidence ("Email" and "E-Mail Address"). It becomes an open decision (decisions.yaml
// columns:) that the user answers with the field the column means.
type Ambiguity struct {
	File   string
	Kind   source.Kind
	Header string
	Field  string   // the standard field both headers spell
	Others []string // the headers of the other columns that spell it
	// Current is the field columns.yaml gives the column now.
	Current string
}

// Options are the answers the decision offers: the field, or keeping the column as a custom
// field under its own header, or leaving it out.
func (a Ambiguity) Options() []string {
	return []string{a.Field, source.CustomPrefix + a.Header, Skip}
}

// Ambiguities lists, file by file and in column order, the columns whose header spells a
// standard field that another column's header of the same file spells too, with confidences
// within closeConfidence. Columns with the same header (a duplicated header) are not
// ambiguous with each other: the first one keeps the field.
func (m *ColumnMap) Ambiguities() []Ambiguity {
	var out []Ambiguity
	if m == nil {
		return out
	}
	for _, f := range m.Files {
		matches := make([]headerMatch, len(f.Columns))
		for i, c := range f.Columns {
			matches[i] = matchHeader(f.Kind, c.Header)
		}
		for i, c := range f.Columns {
			var others []string
			for j, d := range f.Columns {
				if j == i || matches[i].field == "" || matches[j].field != matches[i].field ||
					strings.EqualFold(d.Header, c.Header) || abs(matches[i].conf-matches[j].conf) > closeConfidence {
					continue
				}
				others = append(others, d.Header)
			}
			if len(others) > 0 {
				out = append(out, Ambiguity{File: f.File, Kind: f.Kind, Header: c.Header, Field: matches[i].field,
					Others: others, Current: c.Field})
			}
		}
	}
	return out
}

// ApplyChoice sets the field of the column headed header in file to field, in the map and
// in the columns.yaml text data (through its YAML tree: comments stay), and reports whether
// anything changed. A file or column the map does not list changes nothing.
func ApplyChoice(data []byte, m *ColumnMap, file, header, field string) ([]byte, bool, error) {
	if strings.TrimSpace(field) == "" || !utf8.ValidString(field) {
		return data, false, fmt.Errorf("field %q is not a field name", field)
	}
	fc := m.File(file)
	if fc == nil {
		return data, false, nil
	}
	i := findColumn(fc.Columns, header, 1)
	if i < 0 || fc.Columns[i].Field == field {
		return data, false, nil
	}
	out, err := setColumnField(data, file, header, field)
	if err != nil {
		return data, false, err
	}
	fc.Columns[i].Field = field
	return out, true, nil
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
