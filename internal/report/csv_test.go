package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNeutralize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"Acme", "Acme"},
		{"12", "12"},
		{`=HYPERLINK("http://evil")`, `'=HYPERLINK("http://evil")`},
		{"+1 555 0100", "'+1 555 0100"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"'quoted", "''quoted"},
		{"'", "''"},
		{"a=b", "a=b"},
		{" =1", " =1"},
		{"é=1", "é=1"},
	}
	for _, tt := range tests {
		got := Neutralize(tt.in)
		if got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := Unneutralize(got); back != tt.in {
			t.Errorf("Unneutralize(%q) = %q, want %q", got, back, tt.in)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	tab := Table{Name: "x", Header: []string{"name", "note"}, Rows: [][]string{
		{`=HYPERLINK("http://evil")`, "line one\nline two"},
		{"Zoë, Ltd", "-1"},
	}}
	var b bytes.Buffer
	if err := WriteCSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffname,note\r\n\"'=HYPERLINK(\"\"http://evil\"\")\",\"line one\r\nline two\"\r\n\"Zoë, Ltd\",'-1\r\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
	rows := readCSV(t, b.String())
	if got := Unneutralize(rows[1][0]); got != tab.Rows[0][0] {
		t.Errorf("cell read back and unneutralised = %q, want %q", got, tab.Rows[0][0])
	}
}

// readCSV parses CSV written by WriteCSV (BOM first).
func readCSV(t testing.TB, s string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(s, bom)
	if !ok {
		t.Fatalf("CSV does not start with a UTF-8 BOM: %q", s[:min(len(s), 8)])
	}
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read CSV back: %v", err)
	}
	return rows
}

// FuzzNeutralize checks that no written cell starts with a character a spreadsheet would
// execute, that the cell survives the CSV round trip, and that Unneutralize restores it.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"", "=1+1", "+", "-", "@", "\t", "\r", "'", "''=x", "plain", "a,b\n\"c\"", "\xff=", "=\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Neutralize(s)
		if n != "" && strings.ContainsRune(dangerous, rune(n[0])) {
			t.Fatalf("Neutralize(%q) = %q starts with a dangerous character", s, n)
		}
		if Unneutralize(n) != s {
			t.Fatalf("Unneutralize(Neutralize(%q)) = %q", s, Unneutralize(n))
		}
		if s != "" && s[0] != '\'' && !strings.ContainsRune(dangerous, rune(s[0])) && n != s {
			t.Fatalf("safe value %q changed to %q", s, n)
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, Table{Name: "f", Header: []string{"h", "i"}, Rows: [][]string{{s, s}}}); err != nil {
			t.Fatal(err)
		}
		rows := readCSV(t, b.String())
		want := []string{Cell(s), Cell(s)}
		if len(rows) != 2 || !cmp.Equal(rows[1], want) {
			t.Fatalf("cells %q read back as %q", want, rows)
		}
		if c := rows[1][0]; c != "" && strings.ContainsRune(dangerous, rune(c[0])) {
			t.Fatalf("cell read back %q starts with a dangerous character", c)
		}
	})
}
