package harvest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"ferry/internal/source"
	"ferry/internal/store"
)

// rawCap bounds the raw text kept with a quarantined row.
const rawCap = 64 << 10

// required lists, per kind, the fields a row must not leave empty; each entry is a set of
// alternatives of which one suffices.
var required = map[source.Kind][][]string{
	source.Company:     {{"name"}},
	source.Deal:        {{"name"}},
	source.Interaction: {{"type"}},
	source.Note:        {{"body"}},
	source.Attachment:  {{"path", "file_name"}},
}

// rowReader turns the rows of one file into records or quarantine items.
type rowReader struct {
	*env
	kind      source.Kind
	file      string
	cols      []column
	checkUTF8 bool
	evidence  string // the encoding evidence, for the reason of a row with invalid UTF-8
	seen      idSet
	keys      idSet // natural keys counted, when synth
	synth     bool  // the file has no id column: ids come from natural keys
	lastDup   bool  // the last synthesized id repeated a natural key
}

// handle accounts for one row and passes it on.
func (r *rowReader) handle(row rawRow, fs *FileStats) error {
	if row.bad == nil && allEmpty(row.cells) {
		fs.Blank++
		return nil
	}
	fs.Rows++
	rec, col, reason := r.check(row)
	if reason != "" {
		fs.Quarantined++
		return r.quarantine(store.QuarantineItem{Kind: r.kind, File: r.file, Line: row.line,
			Column: col, Reason: reason, Raw: rawText(row)})
	}
	fs.Loaded++
	if r.synth {
		fs.Synthesized++
		if r.lastDup {
			fs.DuplicateKeys++
		}
	}
	r.seen.add(rec.ID, row.line)
	return r.emit(rec)
}

// check builds the record of row, or says which column is wrong and why.
func (r *rowReader) check(row rawRow) (rec source.Record, col, reason string) {
	if row.bad != nil {
		return rec, r.label(row.bad.cell), row.bad.reason
	}
	if col, reason = r.cellProblems(row.cells); reason != "" {
		return rec, col, reason
	}
	rec = source.Record{Kind: r.kind, Channel: source.Harvest,
		Origin: r.file + ":" + strconv.Itoa(row.line), Fields: make(map[string]string, len(row.cells))}
	for i, v := range row.cells {
		if v == "" || i >= len(r.cols) {
			continue // cells beyond the header are empty here (cellProblems)
		}
		if f := r.cols[i].field; f != "" && f != Skip {
			rec.Fields[f] = v
		}
	}
	deriveFields(r.kind, rec.Fields)
	if col, reason = r.assignID(row, &rec); reason != "" {
		return rec, col, reason
	}
	if col, reason = r.missingRequired(rec.Fields); reason != "" {
		return rec, col, reason
	}
	if r.kind == source.Attachment {
		if col, reason = checkAttachment(r.root, rec.Fields); reason != "" {
			if i := indexOf(r.cols, col); i >= 0 {
				col = r.label(i)
			}
		}
	}
	return rec, col, reason
}

// assignID sets rec.ID from the id column, or synthesizes it when the file has none.
func (r *rowReader) assignID(row rawRow, rec *source.Record) (col, reason string) {
	if r.synth {
		id, dup := r.synthesize(rec.Fields)
		rec.ID = id
		r.lastDup = dup
		return "", ""
	}
	idCol := indexOf(r.cols, "id")
	id := ""
	if idCol < len(row.cells) {
		id = strings.TrimSpace(row.cells[idCol])
	}
	if id == "" {
		return r.label(idCol), "no id: the id column is empty"
	}
	if first, dup := r.seen.line(id); dup {
		return r.label(idCol), fmt.Sprintf("duplicate id %q, first seen at line %d", id, first)
	}
	rec.ID = id
	return "", ""
}

// deriveFields fills what an export splits: an owner's name from first and last name.
func deriveFields(kind source.Kind, f map[string]string) {
	if kind == source.Owner && strings.TrimSpace(f["name"]) == "" {
		if n := strings.TrimSpace(strings.TrimSpace(f["first_name"]) + " " + strings.TrimSpace(f["last_name"])); n != "" {
			f["name"] = n
		}
	}
}

// cellProblems finds invalid UTF-8 and cells beyond the header. Values under a blank header
// do not set the row aside: the column map lists that column as not migrated, with samples
// (ColumnMap.Unmapped).
func (r *rowReader) cellProblems(cells []string) (col, reason string) {
	for i, v := range cells {
		switch {
		case r.checkUTF8 && !utf8.ValidString(v):
			return r.label(i), fmt.Sprintf("bytes that are not valid UTF-8 at byte %d of the cell; the file is UTF-8 (%s), "+
				"so only this row is set aside: fix the cell and extract again (or, if the file is Windows-1252, read it with --encoding windows-1252)",
				invalidAt(v), r.evidence)
		case i >= len(r.cols) && v != "":
			return r.label(i), fmt.Sprintf("row has %d cells but the header has %d; the extra value is in column %d",
				len(cells), len(r.cols), i+1)
		}
	}
	return "", ""
}

// missingRequired names the first required field left empty (whitespace counts as empty).
func (r *rowReader) missingRequired(fields map[string]string) (col, reason string) {
	for _, alts := range required[r.kind] {
		ok := false
		for _, f := range alts {
			ok = ok || strings.TrimSpace(fields[f]) != ""
		}
		if !ok {
			col = alts[0]
			if i := indexOf(r.cols, alts[0]); i >= 0 {
				col = r.label(i)
			}
			return col, fmt.Sprintf("required field %s is empty", strings.Join(alts, " or "))
		}
	}
	return "", ""
}

// label names column i for a quarantine item ("" when i < 0).
func (r *rowReader) label(i int) string {
	switch {
	case i < 0:
		return ""
	case i < len(r.cols):
		return r.cols[i].label(i)
	}
	return fmt.Sprintf("column %d", i+1)
}

// allEmpty reports whether every cell is empty.
func allEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// invalidAt returns the byte offset of the first invalid UTF-8 sequence in s.
func invalidAt(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// rawText is the row as it appeared in the file, cut at rawCap.
func rawText(row rawRow) string {
	var b strings.Builder
	for i, l := range row.lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimSuffix(l.text, "\r"))
		if b.Len() >= rawCap {
			return b.String()[:rawCap] + " [cut]"
		}
	}
	return b.String()
}
