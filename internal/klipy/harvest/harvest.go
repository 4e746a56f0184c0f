// Package harvest reads the Klipy harvest folder — the CSV files a person exports or fills in
// by hand for what no Klipy API gives (DESIGN.md §3) — into source records, and writes the
// blank templates of that folder.
//
// Read streams every file of source.HarvestFile found in the folder: it sniffs the encoding
// (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252) and the delimiter (',', ';',
// tab, '|'), settles which column means which field of source.Standard through the column map
// (Options.Columns as the user confirmed it, else proposed from the header in any common
// spelling and language and from the first rows' contents; see ColumnMap), and hands each
// row either to emit (as a source.Record) or to quarantine (with file, line, column and
// reason). A file without an id column gets ids synthesized from each row's natural key
// (NaturalKey), the same on every read. Memory is bounded by the row limit plus one map entry per id (duplicate ids
// are detected per file). Values are passed on verbatim; judging dates or emails is the
// planner's job. Other files in the folder (an answer key, notes) are never opened.
//
// Policies worth knowing:
//   - Encoding is decided per file on the whole file (see decode): one stray invalid
//     sequence in a UTF-8 file quarantines its row (naming the column) and never re-decodes
//     the rest; Options.Encoding forces one. UTF-16 is read with a BOM, or without one when
//     NULs alternate with ASCII. Gzip, ZIP, PDF, .xls and other binary content is refused
//     for that file alone (FileStats.Error says what it is and what to do).
//   - Quotes are lazy only where that is unambiguous. A quoted field left open is contained:
//     within the row limit its row is quarantined and the lines after its first are read
//     again as rows; past the limit the swallowed lines are quarantined as that one row,
//     named by their line range (see csvParser.quoted).
//   - Line breaks inside quoted fields are read as "\n", whether the file has CRLF or LF.
//   - Blank lines and rows whose every cell is empty are skipped and counted as Blank; extra
//     cells beyond the header are fine when empty (trailing delimiters), quarantined if not.
package harvest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"ferry/internal/source"
	"ferry/internal/store"
)

// DefaultMaxRowBytes bounds one row (all its physical lines). Spreadsheet cells hold at most
// 32,767 characters, so a longer row is almost always a quote that was never closed.
const DefaultMaxRowBytes = 1 << 20

// ErrBadFile is wrapped by Read's error when a file could not be read at all (an I/O error,
// an unreadable header); the other files are still read.
var ErrBadFile = errors.New("harvest file unreadable")

// Options tune Read. The zero value detects everything.
type Options struct {
	// Encoding forces the encoding of every file: "auto" (or ""), "utf-8", "utf-16",
	// "windows-1252" (aliases cp1252, latin1, iso-8859-1).
	Encoding string
	// Delimiter forces the delimiter (',', ';', '\t' or '|'); 0 sniffs it from each header.
	Delimiter rune
	// MaxRowBytes bounds one row; 0 means DefaultMaxRowBytes. Longer rows are quarantined.
	MaxRowBytes int
	// Columns is the confirmed column map (columns.yaml); its entries decide the fields of
	// the columns they name, every other column is proposed (see ProposeColumns). nil
	// proposes everything.
	Columns *ColumnMap
}

// FileStats accounts for one harvest file. Rows = Loaded + Quarantined always holds; blank
// lines (and rows whose every cell is empty) are not rows.
type FileStats struct {
	Kind     source.Kind `json:"kind"`
	File     string      `json:"file"`
	Encoding string      `json:"encoding,omitempty"`
	// EncodingWhy says what decided a detected encoding ("the whole file: 1,204 valid
	// multi-byte UTF-8 characters, 1 invalid sequences").
	EncodingWhy string `json:"encoding_why,omitempty"`
	BOM         bool   `json:"bom,omitempty"`
	Delimiter   string `json:"delimiter,omitempty"` // ",", ";" or "tab"
	Rows        int    `json:"rows"`
	Loaded      int    `json:"loaded"`
	Quarantined int    `json:"quarantined"`
	Blank       int    `json:"blank"`
	// Synthesized counts the rows whose id was made from their natural key (the file has no
	// id column; see NaturalKey); DuplicateKeys those of them whose key an earlier row had
	// (kept as separate records with "-2", "-3"… appended, for the planner's dedupe).
	Synthesized   int    `json:"synthesized_ids,omitempty"`
	DuplicateKeys int    `json:"duplicate_keys,omitempty"`
	Error         string `json:"error,omitempty"` // why the file (or its rest) could not be read
}

// Stats is what Read found in a harvest folder.
type Stats struct {
	Files        []FileStats `json:"files"`                  // present files, in source.Kinds order
	Absent       []string    `json:"absent"`                 // harvest files not in the folder
	Unrecognized []string    `json:"unrecognized,omitempty"` // other *.csv files and workbook sheets, not read
	// Columns is the column map every file was read with: the confirmed entries of
	// Options.Columns plus a proposal for every file and column they lack.
	Columns ColumnMap `json:"-"`
}

// Totals sums the counts of every file.
func (s Stats) Totals() (rows, loaded, quarantined int) {
	for _, f := range s.Files {
		rows, loaded, quarantined = rows+f.Rows, loaded+f.Loaded, quarantined+f.Quarantined
	}
	return rows, loaded, quarantined
}

// Read reads the harvest folder dir, calling emit for each good row and quarantine for each
// bad one, file by file in source.Kinds order and row by row in file order.
//
// Error contract: an unreadable dir, invalid opts, a cancelled ctx or an error returned by
// emit or quarantine stops Read at once and is returned (wrapped). A file that cannot be read
// at all is noted in its FileStats.Error; Read goes on with the others and then returns an
// error wrapping ErrBadFile that names each such file. The Stats are valid in every case.
func Read(ctx context.Context, dir string, opts Options, emit func(source.Record) error,
	quarantine func(store.QuarantineItem) error) (Stats, error) {
	st := Stats{Files: []FileStats{}, Absent: []string{}}
	enc, err := parseEncoding(opts.Encoding)
	if err != nil {
		return st, err
	}
	if err := checkDelimiter(opts.Delimiter); err != nil {
		return st, err
	}
	root, err := resolveRoot(dir)
	if err != nil {
		return st, err
	}
	folder, err := listFolder(dir)
	if err != nil {
		return st, err
	}
	st.Unrecognized = folder.unknown
	env := env{ctx: ctx, dir: dir, root: root, enc: enc, delim: byte(opts.Delimiter),
		max: opts.MaxRowBytes, emit: emit, quarantine: quarantine, columns: opts.Columns, out: &st.Columns}
	if env.max <= 0 {
		env.max = DefaultMaxRowBytes
	}
	err = env.readFiles(folder, &st)
	return st, err
}

// readFiles reads the harvest files and sheets found in source.Kinds order into st.
func (e *env) readFiles(folder folder, st *Stats) error {
	var bad []error
	books := make([]string, 0, len(folder.broken))
	for book := range folder.broken {
		books = append(books, book)
	}
	sort.Strings(books)
	for _, book := range books {
		bad = append(bad, fmt.Errorf("%s: %s", book, folder.broken[book]))
		st.Files = append(st.Files, FileStats{File: book, Error: folder.broken[book]}) // no kind: any could be in it
	}
	for _, kind := range source.Kinds {
		var fs FileStats
		var err error
		if name, ok := folder.csv[kind]; ok {
			fs, err = e.readFile(kind, name)
		} else if wb, ok := folder.sheets[kind]; ok {
			fs = FileStats{Kind: kind, File: wb.name()}
			err = e.readWorkbook(kind, wb, &fs)
			var fe fileError
			if errors.As(err, &fe) {
				fs.Error, err = fe.msg, nil
			}
		} else {
			st.Absent = append(st.Absent, source.HarvestFile[kind])
			continue
		}
		if err != nil {
			return err
		}
		if fs.Error != "" {
			bad = append(bad, fmt.Errorf("%s: %s", fs.File, fs.Error))
		}
		st.Files = append(st.Files, fs)
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %w", ErrBadFile, errors.Join(bad...))
	}
	return nil
}

// checkDelimiter validates Options.Delimiter.
func checkDelimiter(d rune) error {
	switch d {
	case 0, ',', ';', '\t', '|':
		return nil
	}
	return fmt.Errorf("delimiter %q: allowed values are ',', ';', tab and '|' (or none to sniff)", d)
}

// resolveRoot returns the harvest folder with symlinks resolved, for the attachment checks.
func resolveRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("harvest folder %s: %w", dir, err)
	}
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("harvest folder %s: %w", dir, err)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("harvest folder %s: not a directory", dir)
	}
	return root, nil
}

// folder is what listFolder found.
type folder struct {
	csv     map[source.Kind]string         // harvest CSV files
	sheets  map[source.Kind]workbookSource // workbooks or workbook sheets standing in for them
	unknown []string                       // other *.csv files and sheets, not read
	broken  map[string]string              // workbooks that cannot be opened, with why
}

// listFolder finds the harvest files in dir, matching their names regardless of case
// ("People.csv" from Windows counts; an exact match wins), then workbooks standing in for the
// kinds without a CSV (see xlsx.go), and lists the other *.csv files and sheets, which are
// never read.
func listFolder(dir string) (folder, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return folder{}, fmt.Errorf("harvest folder %s: %w", dir, err)
	}
	fo := folder{csv: map[source.Kind]string{}, sheets: map[source.Kind]workbookSource{}}
	var books []string
	for _, e := range entries {
		name := e.Name()
		kind, ok := harvestKind(name)
		switch {
		case e.IsDir():
		case ok && (fo.csv[kind] == "" || name == source.HarvestFile[kind]):
			if prev := fo.csv[kind]; prev != "" {
				fo.unknown = append(fo.unknown, prev)
			}
			fo.csv[kind] = name
		case strings.EqualFold(filepath.Ext(name), ".csv"):
			fo.unknown = append(fo.unknown, name)
		case isWorkbook(name) && !strings.HasPrefix(name, "~$"):
			books = append(books, name)
		}
	}
	sort.Strings(books)
	have := map[source.Kind]bool{}
	for k := range fo.csv {
		have[k] = true
	}
	var others []string
	for _, b := range books {
		if kind, ok := workbookKind(b); ok && !have[kind] {
			fo.sheets[kind], have[kind] = workbookSource{book: b}, true
			continue
		} else if ok {
			fo.unknown = append(fo.unknown, b)
			continue
		}
		others = append(others, b)
	}
	found, skipped, broken := listSheets(dir, others, have)
	for k, src := range found {
		fo.sheets[k] = src
	}
	fo.unknown, fo.broken = append(fo.unknown, skipped...), broken
	sort.Strings(fo.unknown)
	return fo, nil
}

// harvestKind returns the kind whose harvest file is name, ignoring case.
func harvestKind(name string) (source.Kind, bool) {
	for kind, file := range source.HarvestFile {
		if strings.EqualFold(name, file) {
			return kind, true
		}
	}
	return "", false
}
