package harvest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ferry/internal/source"
	"ferry/internal/store"
)

// writeBook writes a workbook of sheets (name → rows; the first row is the header) at path.
// Numbers are written as number cells, the rest as text, as a spreadsheet holds them.
func writeBook(t *testing.T, path string, sheets map[string][][]any, order []string) {
	t.Helper()
	f := excelize.NewFile()
	for _, name := range order {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestReadWorkbook: an .xlsx workbook stands in for CSV files, a sheet per object found by
// its name in any of the five languages; a kind with a CSV is read from the CSV (the sheet is
// listed); a workbook named like a harvest file is that file; a workbook that cannot be
// opened is named and every other file still loads.
func TestReadWorkbook(t *testing.T) {
	dir := t.TempDir()
	writeBook(t, filepath.Join(dir, "Export März.xlsx"), map[string][][]any{
		"Personen":  {{"Vorname", "Nachname", "E-Mail", "Firma"}, {"Jürgen", "Weiß", "jw@kontor.de", "Kontor GmbH"}, {}, {"Zoë", "Brandt", "zb@kontor.de", "Kontor GmbH"}},
		"Companies": {{"Company Name", "Domain", "Size"}, {"Kontor GmbH", "kontor.de", 120}},
		"Deals":     {{"Deal Name"}, {"from the sheet"}},
		"Pivot":     {{"whatever"}, {"x"}},
	}, []string{"Personen", "Companies", "Deals", "Pivot"})
	writeBook(t, filepath.Join(dir, "notes.xlsx"), map[string][][]any{
		"Tabelle1": {{"ID", "Notiz"}, {"n1", "Zwei\nZeilen"}},
	}, []string{"Tabelle1"})
	if err := os.WriteFile(filepath.Join(dir, "deals.csv"), []byte("id,name\nd1,from the csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := readAll(t, dir, Options{})
	if res.Error != "" {
		t.Fatalf("error: %s", res.Error)
	}
	byKind := map[source.Kind][]source.Record{}
	for _, r := range res.Records {
		byKind[r.Kind] = append(byKind[r.Kind], r)
	}
	people := byKind[source.Person]
	if len(people) != 2 || people[0].Fields["first_name"] != "Jürgen" || people[1].Origin != "Export März.xlsx#Personen:4" ||
		!strings.HasPrefix(people[0].ID, SynthPrefix) || people[0].Fields["company_name"] != "Kontor GmbH" {
		t.Errorf("people from the Personen sheet: %+v", people)
	}
	if c := byKind[source.Company]; len(c) != 1 || c[0].Fields["employee_count"] != "120" || c[0].Fields["domain"] != "kontor.de" {
		t.Errorf("companies: %+v", c)
	}
	if d := byKind[source.Deal]; len(d) != 1 || d[0].Fields["name"] != "from the csv" {
		t.Errorf("deals must come from deals.csv: %+v", d)
	}
	if n := byKind[source.Note]; len(n) != 1 || n[0].Fields["body"] != "Zwei\nZeilen" || n[0].Origin != "notes.xlsx:2" {
		t.Errorf("notes.xlsx: %+v", n)
	}
	for _, want := range []string{"Export März.xlsx#Deals", "Export März.xlsx#Pivot"} {
		if !strings.Contains(strings.Join(res.Stats.Unrecognized, "|"), want) {
			t.Errorf("unread sheet %s not listed: %v", want, res.Stats.Unrecognized)
		}
	}
	if fc := res.Stats.Columns.File("Export März.xlsx#Personen"); fc == nil || fc.Columns[2].Field != "email" {
		t.Errorf("column map of the sheet: %+v", fc)
	}

	if err := os.WriteFile(filepath.Join(dir, "broken.xlsx"), []byte("PK\x03\x04 not really a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = readAll(t, dir, Options{})
	if !strings.Contains(res.Error, "broken.xlsx") || len(res.Records) != 5 {
		t.Errorf("a broken workbook: error %q, %d records (want it named and 5 records)", res.Error, len(res.Records))
	}
	_, err := Read(t.Context(), dir, Options{}, func(source.Record) error { return nil },
		func(store.QuarantineItem) error { return nil })
	if !errors.Is(err, ErrBadFile) {
		t.Errorf("error %v does not wrap ErrBadFile", err)
	}
}
