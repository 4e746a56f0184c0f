package mapping

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// fileKinds maps harvest file names to the kinds their rows are.
var fileKinds = map[string]source.Kind{"people.csv": source.Person, "companies.csv": source.Company,
	"deals.csv": source.Deal, "interactions.csv": source.Interaction, "notes.csv": source.Note,
	"tasks.csv": source.Task}

// readCSVCustom is this test's own small reader of a hand-made CSV: UTF-8 (with or without
// BOM) or Windows-1252, the delimiter the header line uses most (, ; tab |). A header that
// is a canonical field name of kind (value, interaction_date) is that field; every other
// column becomes a custom.<Header> field, so the values reach the profiler exactly as
// written, whatever the harvest reader makes of the headers. Record ids are file:row.
func readCSVCustom(t *testing.T, path string, kind source.Kind) []source.Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	first, _, _ := strings.Cut(string(data), "\n")
	delim, most := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		if n := strings.Count(first, string(d)); n > most {
			delim, most = d, n
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = delim, true, -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v (%d rows)", path, err, len(rows))
	}
	var recs []source.Record
	for i, row := range rows[1:] {
		rec := source.Record{Kind: kind, ID: fmt.Sprintf("%s:%d", filepath.Base(path), i+2), Fields: map[string]string{}}
		for j, h := range rows[0] {
			if j < len(row) {
				rec.Fields[fieldName(kind, strings.TrimSpace(h))] = row[j]
			}
		}
		recs = append(recs, rec)
	}
	return recs
}

// fieldName is a header's field: the canonical field of that name, else custom.<Header>.
func fieldName(kind source.Kind, h string) string {
	for _, n := range source.Standard[kind] {
		if n == h {
			return h
		}
	}
	return source.CustomPrefix + h
}

// profileCSVDir profiles every harvest file of dir that fileKinds knows, read by readCSVCustom.
func profileCSVDir(t *testing.T, dir string) profile.Profile {
	t.Helper()
	pr := profile.NewProfiler()
	for name, kind := range fileKinds {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		for _, r := range readCSVCustom(t, path, kind) {
			pr.Add(r)
		}
	}
	return pr.Profile()
}

// proposedField returns the proposed mapping of a source field of kind.
func proposedField(t *testing.T, m Mapping, kind source.Kind, name string) Field {
	t.Helper()
	o, ok := m.Object(kind)
	if !ok {
		t.Fatalf("no %s object in the proposal", kind)
	}
	for _, f := range o.Fields {
		if f.Source == name {
			return f
		}
	}
	t.Fatalf("no %s field %s in the proposal", kind, name)
	return Field{}
}
