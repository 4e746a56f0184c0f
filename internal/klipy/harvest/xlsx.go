package harvest

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"ferry/internal/source"
)

// Workbooks stand in for CSV files: "people.xlsx" (named like a harvest file) is that
// file, its first sheet the data; any other workbook ("harvest.xlsx", "export.xlsx") holds
// one sheet per object, found by the sheet's name (sheetAliases). A kind that has a CSV file
// is read from the CSV; a sheet for it is listed in Stats.Unrecognized, not read. Cells are
// read as Excel shows them (the cell's number format applied), row by row, streaming.

// sheetAliases maps folded sheet names to kinds, in the five languages of the headers.
var sheetAliases = func() map[string]source.Kind {
	names := map[source.Kind][]string{
		source.Owner: {"owners", "owner", "users", "user", "benutzer", "besitzer", "verantwortliche", "mitarbeiter",
			"proprietaires", "utilisateurs", "propietarios", "usuarios", "eigenaren", "gebruikers"},
		source.Company: {"companies", "company", "organizations", "organisations", "organization", "accounts",
			"account", "firmen", "unternehmen", "entreprises", "societes", "empresas", "bedrijven"},
		source.Person: {"people", "persons", "person", "contacts", "contact", "kontakte", "personen",
			"ansprechpartner", "contactos", "personas", "contactpersonen"},
		source.Deal: {"deals", "deal", "opportunities", "verkaufschancen", "geschafte", "geschaefte", "affaires",
			"oportunidades", "negocios", "verkoopkansen"},
		source.Interaction: {"interactions", "interaction", "activities", "activity", "aktivitaten", "aktivitaeten",
			"interaktionen", "activites", "actividades", "interacciones", "activiteiten"},
		source.Note: {"notes", "note", "notizen", "notas", "notities"},
		source.Task: {"tasks", "task", "todos", "to-dos", "aufgaben", "taches", "tareas", "taken"},
		source.Attachment: {"attachments", "attachment", "files", "anhange", "anhaenge", "dateien",
			"pieces jointes", "adjuntos", "archivos", "bijlagen"},
	}
	m := map[string]source.Kind{}
	for k, list := range names {
		for _, n := range list {
			m[normalizeHeader(n)] = k
		}
	}
	return m
}()

// sheetKind returns the kind a sheet's name means.
func sheetKind(sheet string) (source.Kind, bool) {
	k, ok := sheetAliases[normalizeHeader(sheet)]
	return k, ok
}

// workbookSource is one sheet to read: the workbook file and the sheet ("" for the first).
type workbookSource struct {
	book, sheet string
}

// name is how stats, quarantine and the column map name the sheet: "harvest.xlsx#People",
// or the workbook alone for a people.xlsx.
func (w workbookSource) name() string {
	if w.sheet == "" {
		return w.book
	}
	return w.book + "#" + w.sheet
}

// isWorkbook reports a file name ferry reads as a workbook.
func isWorkbook(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".xlsx" || ext == ".xlsm"
}

// workbookKind returns the kind of a workbook named like a harvest file ("People.xlsx").
func workbookKind(name string) (source.Kind, bool) {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	return harvestKind(base + ".csv")
}

// listSheets finds, in the other workbooks of the folder, the sheets of kinds that have no
// file yet (names), and returns the sheets it does not read (their kind is read elsewhere,
// or their name means no kind) as "book.xlsx#Sheet". A workbook that cannot be opened is
// returned in broken, with why.
func listSheets(dir string, books []string, have map[source.Kind]bool) (found map[source.Kind]workbookSource,
	skipped []string, broken map[string]string) {
	found, broken = map[source.Kind]workbookSource{}, map[string]string{}
	for _, book := range books {
		f, err := excelize.OpenFile(filepath.Join(dir, book))
		if err != nil {
			broken[book] = fmt.Sprintf("cannot open the workbook: %v; save it again from Excel as .xlsx", err)
			continue
		}
		for _, sheet := range f.GetSheetList() {
			src := workbookSource{book: book, sheet: sheet}
			kind, ok := sheetKind(sheet)
			if _, dup := found[kind]; !ok || have[kind] || dup {
				skipped = append(skipped, src.name())
				continue
			}
			found[kind] = src
		}
		f.Close()
	}
	return found, skipped, broken
}

// readWorkbook reads one sheet into fs, like readStream reads a CSV.
func (e *env) readWorkbook(kind source.Kind, src workbookSource, fs *FileStats) error {
	f, err := excelize.OpenFile(filepath.Join(e.dir, src.book))
	if err != nil {
		return fileErrorf("cannot open the workbook: %v; save it again from Excel as .xlsx", err)
	}
	defer f.Close()
	sheet := src.sheet
	if sheet == "" {
		if sheet = f.GetSheetName(f.GetActiveSheetIndex()); sheet == "" {
			sheet = f.GetSheetName(0)
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return fileErrorf("sheet %q: %v", sheet, err)
	}
	defer rows.Close()
	fs.Encoding = "xlsx"
	it := &sheetRows{rows: rows}
	header, err := it.header()
	if err != nil || header == nil {
		fs.Blank += it.blank
		return err
	}
	var sample []rawRow
	for len(sample) < sampleRows {
		row, ok, err := it.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		sample = append(sample, row)
	}
	rr := e.rowReader(kind, fs.File, header, sample, false)
	for _, row := range sample {
		if err := rr.handle(row, fs); err != nil {
			return err
		}
	}
	for {
		row, ok, err := it.next()
		if err != nil || !ok {
			fs.Blank += it.blank
			return err
		}
		if err := rr.handle(row, fs); err != nil {
			return err
		}
		if fs.Rows%1024 == 0 {
			if err := e.ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// sheetRows walks a sheet's rows as rawRows numbered by spreadsheet row.
type sheetRows struct {
	rows  *excelize.Rows
	num   int
	blank int
}

// next returns the next non-blank row; ok is false at the end.
func (s *sheetRows) next() (rawRow, bool, error) {
	for s.rows.Next() {
		s.num++
		cells, err := s.rows.Columns()
		if err != nil {
			return rawRow{}, false, fileErrorf("sheet row %d: %v", s.num, err)
		}
		if allEmpty(cells) {
			s.blank++
			continue
		}
		cells = slices.Clone(cells)
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "\r\n", "\n")
		}
		return rawRow{line: s.num, cells: cells,
			lines: []physLine{{num: s.num, text: strings.Join(cells, "\t")}}}, true, nil
	}
	if err := s.rows.Error(); err != nil {
		return rawRow{}, false, fileErrorf("sheet row %d: %v", s.num+1, err)
	}
	return rawRow{}, false, nil
}

// header returns the first non-blank row's cells, or nil for an empty sheet.
func (s *sheetRows) header() ([]string, error) {
	row, ok, err := s.next()
	if err != nil || !ok {
		return nil, err
	}
	return row.cells, nil
}
