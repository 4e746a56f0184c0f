package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// bom is the UTF-8 byte order mark that makes Excel read a CSV file as UTF-8.
const bom = "\ufeff"

// dangerous lists the first characters that make a spreadsheet read a cell as a formula
// (or, for tab and carriage return, let a formula hide behind them).
const dangerous = "=+-@\t\r"

// Neutralize makes a CSV cell safe to open in a spreadsheet: a value that starts with =, +,
// -, @, tab or carriage return gets a leading single quote, so spreadsheets show it as text
// and never execute it. A value that already starts with a single quote gets one more, so
// the quote is an escape and the change is reversible: Unneutralize(Neutralize(s)) == s for
// every s. No neutralised cell starts with a dangerous character. Every other value is
// unchanged, so ordinary text (and most numbers) reads as before. Negative numbers such as
// -12 are neutralised too: a report cell is text, and "-1+1" would run.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune(dangerous, rune(s[0])) || s[0] == '\'' {
		return "'" + s
	}
	return s
}

// Unneutralize undoes Neutralize: it removes the one leading quote Neutralize added.
func Unneutralize(s string) string {
	if len(s) >= 2 && s[0] == '\'' && (s[1] == '\'' || strings.ContainsRune(dangerous, rune(s[1]))) {
		return s[1:]
	}
	return s
}

// Cell is what WriteCSV writes for the value s: line breaks made uniform (CRLF and a lone CR
// become LF, which the CSV writer emits as CRLF inside the quoted cell, as RFC 4180 wants),
// then Neutralize. Reading the file back with encoding/csv gives exactly Cell(s).
func Cell(s string) string {
	if strings.ContainsRune(s, '\r') {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return Neutralize(s)
}

// WriteCSV writes t as RFC 4180 CSV (CRLF line ends, UTF-8 with a BOM), header first, every
// cell passed through Cell.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("write %s.csv: %w", t.Name, err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rows := append([][]string{t.Header}, t.Rows...)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = Cell(c)
		}
		if err := cw.Write(safe); err != nil {
			return fmt.Errorf("write %s.csv: %w", t.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s.csv: %w", t.Name, err)
	}
	return nil
}
