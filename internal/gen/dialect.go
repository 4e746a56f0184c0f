package gen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"ferry/internal/source"
)

// Dialect names a surface a harvest folder is written through: the same records and the
// same answer key, laid out the way another export tool would write them. Users bring
// exports from spreadsheets and other tools, not ferry's template; the dialects let every
// test and the demo run the journey through those surfaces against a known answer.
type Dialect string

// The dialects ferry gen harvest writes.
const (
	// DialectFerry is ferry's own template layout: snake_case and Klipy template headers,
	// Klipy ids everywhere, RFC 3339 times, UTF-8 and commas.
	DialectFerry Dialect = "ferry"
	// DialectSheets is a Google Sheets download: English headers by name, no person, company
	// or owner ids (their rows are keyed by email and name), people referenced by email,
	// companies by name and owners by email. Deals, interactions, notes, tasks and
	// attachments keep an id column, as a sheet that others refer to does.
	DialectSheets Dialect = "sheets"
	// DialectExcelEU is a German Excel export: ';', Windows-1252 (UTF-8 with a BOM for a
	// file holding text Windows-1252 cannot encode, as Excel's "CSV UTF-8"), CRLF, German
	// headers, day-first dates (31.01.2024 09:15), comma decimals and Ja/Nein.
	DialectExcelEU Dialect = "excel-eu"
	// DialectXLSX is one .xlsx workbook, a sheet per object, in ferry's column layout.
	DialectXLSX Dialect = "xlsx"
	// DialectDump is another CRM's dump: ids under foreign names (Record ID, Contact Record
	// ID, Account ID, Deal Record ID), that tool's column names and ISO times in UTC.
	DialectDump Dialect = "dump"
)

// XLSXFile is the workbook DialectXLSX writes; its sheets are named by xlsxSheet.
const XLSXFile = "harvest.xlsx"

var allDialects = []Dialect{DialectFerry, DialectSheets, DialectExcelEU, DialectXLSX, DialectDump}

// Dialects lists every dialect, the default first.
func Dialects() []Dialect { return slices.Clone(allDialects) }

// ParseDialect returns the dialect named name (case and surrounding spaces ignored); ""
// is DialectFerry.
func ParseDialect(name string) (Dialect, error) {
	n := Dialect(strings.ToLower(strings.TrimSpace(name)))
	if n == "" {
		return DialectFerry, nil
	}
	if slices.Contains(allDialects, n) {
		return n, nil
	}
	names := make([]string, len(allDialects))
	for i, d := range allDialects {
		names[i] = string(d)
	}
	return "", fmt.Errorf("gen: unknown dialect %q (allowed: %s)", name, strings.Join(names, ", "))
}

// WriteHarvestDialect writes the harvest folder into dir through dialect dia and returns
// its answer key. DialectFerry is WriteHarvest. Any other dialect writes ferry's layout into
// a temporary folder inside dir, converts every file into the dialect's surface, moves the
// attachment files over and removes the temporary folder.
//
// The key is the same as WriteHarvest's, with three differences a surface forces: Dialect
// and Files say how each file is written (Files is keyed by file, or "workbook#Sheet"), the
// broken rows carry their line (or sheet row) in the written file, and DialectSheets leaves
// out the two broken rows that only an id column can express (a company row without an id
// and a person row repeating an id), which are not records either way. Duplicate clusters
// and name variants still name the generator's ids, which DialectSheets does not write for
// people and companies.
func (d *Dataset) WriteHarvestDialect(dir string, dia Dialect) (Key, error) {
	if dia == DialectFerry || dia == "" {
		return d.WriteHarvest(dir)
	}
	if _, ok := dialectSpecs[dia]; !ok {
		_, err := ParseDialect(string(dia))
		return Key{}, err
	}
	if dir == "" {
		return Key{}, fmt.Errorf("gen: write harvest: empty folder name (want a path)")
	}
	if err := os.MkdirAll(filepath.Join(dir, source.FilesDir), 0o755); err != nil {
		return Key{}, fmt.Errorf("gen: write harvest: create %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, ".ferry-layout-")
	if err != nil {
		return Key{}, fmt.Errorf("gen: write harvest: %w", err)
	}
	defer os.RemoveAll(tmp)
	key, err := d.WriteHarvest(tmp)
	if err != nil {
		return Key{}, err
	}
	if key, err = convertHarvest(tmp, dir, key, dia); err != nil {
		return Key{}, err
	}
	if err := moveGenerated(tmp, dir); err != nil {
		return Key{}, err
	}
	b, err := json.MarshalIndent(key, "", "  ")
	if err != nil {
		return Key{}, fmt.Errorf("gen: encode answer key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, KeyFile), append(b, '\n'), 0o644); err != nil {
		return Key{}, fmt.Errorf("gen: write answer key in %s: %w", dir, err)
	}
	return key, nil
}

// moveGenerated moves the attachment files and the clusters file from the ferry-layout
// folder into dir, replacing files of the same names.
func moveGenerated(tmp, dir string) error {
	entries, err := os.ReadDir(filepath.Join(tmp, source.FilesDir))
	if err != nil {
		return fmt.Errorf("gen: write harvest: %w", err)
	}
	for _, e := range entries {
		from, to := filepath.Join(tmp, source.FilesDir, e.Name()), filepath.Join(dir, source.FilesDir, e.Name())
		if err := os.Rename(from, to); err != nil {
			return fmt.Errorf("gen: write harvest: move attachment %s: %w", e.Name(), err)
		}
	}
	if err := os.Rename(filepath.Join(tmp, ClustersFile), filepath.Join(dir, ClustersFile)); err != nil {
		return fmt.Errorf("gen: write harvest: move %s: %w", ClustersFile, err)
	}
	return nil
}

// HarvestFileOf returns the file (or "workbook#Sheet") that holds the records of kind in
// the harvest this key describes, as Files and BrokenRows name it.
func (k Key) HarvestFileOf(kind source.Kind) string {
	if k.Dialect == string(DialectXLSX) {
		return XLSXFile + "#" + xlsxSheet[kind]
	}
	return source.HarvestFile[kind]
}
