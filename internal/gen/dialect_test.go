package gen

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"ferry/internal/source"
)

// readDialectFile reads one written CSV of a dialect back, decoding it as its key says.
func readDialectFile(t *testing.T, dir, name string, f FileFormat) [][]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if f.Encoding == "windows-1252" {
		if raw, err = charmap.Windows1252.NewDecoder().Bytes(raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if f.BOM != bytes.HasPrefix(raw, []byte("\uFEFF")) {
		t.Errorf("%s: BOM %v in the key, not in the file", name, f.BOM)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF"))))
	r.FieldsPerRecord, r.Comma = -1, []rune(f.Delimiter)[0]
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// readDialect reads every file (or sheet) of a written dialect: name → header + rows.
func readDialect(t *testing.T, dir string, key Key) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for name, f := range key.Files {
		if f.Sheet == "" {
			out[name] = readDialectFile(t, dir, name, f)
			continue
		}
		book, err := excelize.OpenFile(filepath.Join(dir, XLSXFile))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows(f.Sheet)
		book.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = rows
	}
	return out
}

var rfc3339ish = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}`)

// TestWriteHarvestDialects writes one generated workspace through every dialect and checks
// that each says the same thing as ferry's layout: the same records in the key, every row
// there, the broken rows on the lines the key names, and each dialect's surface (headers,
// ids, references, encoding, dates, decimals).
func TestWriteHarvestDialects(t *testing.T) {
	cfg := Config{People: 24, Seed: 5}
	base, err := New(cfg).WriteHarvestDialect(t.TempDir(), DialectFerry)
	if err != nil {
		t.Fatal(err)
	}
	for _, dia := range Dialects()[1:] {
		t.Run(string(dia), func(t *testing.T) {
			dir := t.TempDir()
			key, err := New(cfg).WriteHarvestDialect(dir, dia)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(base.Records, key.Records); diff != "" {
				t.Errorf("records differ from ferry's layout (-ferry +%s):\n%s", dia, diff)
			}
			if key.Dialect != string(dia) || len(key.Files) != len(source.Kinds) {
				t.Errorf("key: dialect %q, %d files", key.Dialect, len(key.Files))
			}
			files := readDialect(t, dir, key)
			for name, rows := range files {
				if got := len(rows) - 1; got != key.Files[name].Rows {
					t.Errorf("%s: %d rows, the key says %d", name, got, key.Files[name].Rows)
				}
			}
			checkBrokenLines(t, dir, dia, key)
			checkSurface(t, dia, key, files)
			if _, err := os.Stat(filepath.Join(dir, source.FilesDir)); err != nil {
				t.Errorf("attachment files: %v", err)
			}
			if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*")); len(leftovers) > 0 {
				t.Errorf("temporary files left behind: %v", leftovers)
			}
		})
	}
}

// checkBrokenLines checks each broken row of the key is on the line it names: for CSV,
// the row read back whose first physical line it is; for a sheet, the row number.
func checkBrokenLines(t *testing.T, dir string, dia Dialect, key Key) {
	t.Helper()
	noIDs := map[string]bool{}
	for k := range dialectSpecs[dia].noIDs {
		noIDs[source.HarvestFile[k]] = true
	}
	for _, b := range key.BrokenRows {
		if b.ID == "" || key.Files[b.File].Sheet != "" || noIDs[b.File] {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, b.File))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(raw), "\n")
		if b.Line > len(lines) {
			t.Errorf("%s: broken row at line %d, the file has %d lines", b.File, b.Line, len(lines))
			continue
		}
		if key.Files[b.File].Encoding == "windows-1252" {
			line, _ := charmap.Windows1252.NewDecoder().String(lines[b.Line-1])
			lines[b.Line-1] = line
		}
		if !strings.Contains(lines[b.Line-1], b.ID) && !strings.Contains(b.Reason, "email") {
			t.Errorf("%s line %d: %q does not hold broken row %s (%s)", b.File, b.Line, lines[b.Line-1], b.ID, b.Reason)
		}
	}
}

// checkSurface checks what makes each dialect what it is.
func checkSurface(t *testing.T, dia Dialect, key Key, files map[string][][]string) {
	t.Helper()
	header := func(name string) []string { return files[name][0] }
	all := func(name string) string {
		var b strings.Builder
		for _, r := range files[name][1:] {
			b.WriteString(strings.Join(r, "\x1f") + "\n")
		}
		return b.String()
	}
	switch dia {
	case DialectSheets:
		for _, name := range []string{"owners.csv", "companies.csv", "people.csv"} {
			if strings.Contains(all(name), "per_") || strings.Contains(all(name), "cmp_") || strings.Contains(all(name), "usr_") {
				t.Errorf("%s holds generator ids; the sheets dialect has none for people, companies, owners", name)
			}
		}
		for _, want := range []string{"Contact Email", "Company", "Deal ID"} {
			if !slices.Contains(header("deals.csv"), want) {
				t.Errorf("deals.csv header %q lacks %q", header("deals.csv"), want)
			}
		}
		if !slices.Contains(header("interactions.csv"), "Participant Emails") {
			t.Errorf("interactions.csv header %q lacks Participant Emails", header("interactions.csv"))
		}
		for name := range files {
			if strings.Contains(all(name), "usr_") {
				t.Errorf("%s names an owner by generator id", name)
			}
		}
	case DialectExcelEU:
		for name, f := range key.Files {
			if f.Delimiter != ";" || f.EOL != "CRLF" || (f.Encoding != "windows-1252" && !f.BOM) {
				t.Errorf("%s: %+v, want ; CRLF and Windows-1252 (or UTF-8 with a BOM)", name, f)
			}
			if m := rfc3339ish.FindString(strings.Join(stripColumn(files[name], "Phasenverlauf"), "\n")); m != "" {
				t.Errorf("%s still holds an ISO time %q", name, m)
			}
		}
		if key.Files["owners.csv"].Encoding != "windows-1252" {
			t.Errorf("owners.csv is %+v, want Windows-1252", key.Files["owners.csv"])
		}
		for _, want := range []string{"Vorname", "E-Mail", "Firma", "Erstellt am"} {
			if !slices.Contains(header("people.csv"), want) {
				t.Errorf("people.csv header %q lacks %q", header("people.csv"), want)
			}
		}
		if !regexp.MustCompile(`\x1f\d{1,3}(\.\d{3})*,\d+\x1f`).MatchString(all("deals.csv")) {
			t.Errorf("deals.csv has no comma-decimal value:\n%s", all("deals.csv"))
		}
	case DialectXLSX:
		for name, f := range key.Files {
			if !strings.HasPrefix(name, XLSXFile+"#") || f.Sheet == "" {
				t.Errorf("%s: %+v, want a sheet of %s", name, f, XLSXFile)
			}
		}
	case DialectDump:
		for name, want := range map[string]string{"people.csv": "Record ID", "companies.csv": "Account ID",
			"deals.csv": "Contact Record ID", "notes.csv": "Deal Record ID"} {
			if !slices.Contains(header(name), want) {
				t.Errorf("%s header %q lacks %q", name, header(name), want)
			}
		}
	}
}

// stripColumn returns rows joined without the named column (its values keep their own
// format), for searching the rest.
func stripColumn(rows [][]string, col string) []string {
	skip := slices.Index(rows[0], col)
	var out []string
	for _, r := range rows {
		var keep []string
		for i, v := range r {
			if i != skip {
				keep = append(keep, v)
			}
		}
		out = append(out, strings.Join(keep, ";"))
	}
	return out
}

func TestParseDialect(t *testing.T) {
	tests := []struct {
		in      string
		want    Dialect
		wantErr string
	}{
		{"", DialectFerry, ""},
		{"Sheets", DialectSheets, ""},
		{" excel-eu ", DialectExcelEU, ""},
		{"xlsx", DialectXLSX, ""},
		{"dump", DialectDump, ""},
		{"csv", "", `unknown dialect "csv" (allowed: ferry, sheets, excel-eu, xlsx, dump)`},
	}
	for _, tt := range tests {
		got, err := ParseDialect(tt.in)
		if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ParseDialect(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestEUValue(t *testing.T) {
	tests := []struct{ field, in, want string }{
		{"created_at", "2024-01-31T09:15:42Z", "31.01.2024 09:15"},
		{"created_at", "2024-01-31T23:30:00-02:00", "01.02.2024 01:30"},
		{"due_date", "2024-03-08", "08.03.2024"},
		{"value", "1234567.5", "1.234.567,5"},
		{"value", "-950", "-950"},
		{"value", "18750.00", "18.750,00"},
		{"value", "$1,200", "$1,200"},
		{"done", "true", "Ja"},
		{"ai_draft", "no", "Nein"},
		{"created_at", "31/02/2024 25:61", "31/02/2024 25:61"},
		{"title", "true", "true"},
	}
	for _, tt := range tests {
		if got := euValue(tt.field, tt.in); got != tt.want {
			t.Errorf("euValue(%q, %q) = %q, want %q", tt.field, tt.in, got, tt.want)
		}
	}
}
