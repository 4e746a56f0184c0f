package harvest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"ferry/internal/source"
	"ferry/internal/store"
)

// env is what every file of one Read shares.
type env struct {
	ctx        context.Context
	dir, root  string // the folder as given, and with symlinks resolved
	enc        string
	delim      byte // 0: sniff
	max        int
	emit       func(source.Record) error
	quarantine func(store.QuarantineItem) error
	columns    *ColumnMap // the confirmed column map (Options.Columns), may be nil
	out        *ColumnMap // the column map of every file read (Stats.Columns)
}

// readFile reads one harvest file. A returned error stops Read; problems of the file
// itself (including a failure to open it) land in FileStats.Error.
func (e *env) readFile(kind source.Kind, name string) (FileStats, error) {
	fs := FileStats{Kind: kind, File: name}
	f, err := os.Open(filepath.Join(e.dir, name))
	if err != nil {
		fs.Error = err.Error()
		return fs, nil
	}
	defer f.Close()
	err = e.readStream(kind, name, f, &fs)
	var fe fileError
	if errors.As(err, &fe) {
		fs.Error = fe.msg
		return fs, nil
	}
	return fs, err
}

// fileError is a problem of a whole file: it ends that file, not the Read.
type fileError struct{ msg string }

func (e fileError) Error() string { return e.msg }

// fileErrorf builds a fileError.
func fileErrorf(format string, args ...any) error {
	return fileError{msg: fmt.Sprintf(format, args...)}
}

// readStream reads one harvest file's content from r into fs, calling e.emit and
// e.quarantine. It returns a fileError for a problem of the file, any other error to stop.
func (e *env) readStream(kind source.Kind, name string, r io.Reader, fs *FileStats) error {
	dec, err := decode(r, e.enc)
	if err != nil {
		return fileErrorf("%v", err)
	}
	fs.Encoding, fs.BOM, fs.EncodingWhy = dec.encoding, dec.bom, dec.evidence
	src := &lineSource{br: dec.r, max: e.max}
	p := &csvParser{src: src, delim: e.delim, max: e.max}
	defer func() { fs.Blank += p.blank }()
	header, err := e.header(p)
	if err != nil || header == nil {
		return err
	}
	fs.Delimiter = delimiterName(p.delim)
	rows, err := sampleAhead(p)
	if err != nil {
		return fileErrorf("read after line %d: %v", src.next, err)
	}
	rr := e.rowReader(kind, name, header, rows, dec.checkUTF8)
	rr.evidence = dec.evidence
	for _, row := range rows {
		if err := rr.handle(row, fs); err != nil {
			return err
		}
	}
	for {
		row, err := p.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fileErrorf("read after line %d: %v", src.next, err)
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

// sampleAhead reads up to sampleRows rows (copies, since the parser reuses its cells) for
// the column proposal; they are handled before the rest of the file.
func sampleAhead(p *csvParser) ([]rawRow, error) {
	var rows []rawRow
	for len(rows) < sampleRows {
		row, err := p.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		row.cells = slices.Clone(row.cells)
		rows = append(rows, row)
	}
	return rows, nil
}

// rowReader settles the columns of a file (the confirmed column map's, else a proposal from
// header and sample rows), records them in the Read's column map and returns the reader of
// its rows.
func (e *env) rowReader(kind source.Kind, name string, header []string, sample []rawRow, checkUTF8 bool) *rowReader {
	cells := make([][]string, 0, len(sample))
	for _, r := range sample {
		if r.bad == nil {
			cells = append(cells, r.cells)
		}
	}
	fc := proposeColumns(kind, name, header, cells, e.columns.File(name))
	if e.out != nil {
		e.out.Files = append(e.out.Files, fc)
	}
	cols := make([]column, len(fc.Columns))
	for i, c := range fc.Columns {
		cols[i] = column{header: c.Header, field: c.Field}
	}
	return &rowReader{env: e, kind: kind, file: name, cols: cols, checkUTF8: checkUTF8,
		seen: newIDSet(), keys: newIDSet(), synth: indexOf(cols, "id") < 0}
}

// header reads the header record, sniffing the delimiter from its first line unless set.
// An empty file gives no header and no error.
func (e *env) header(p *csvParser) ([]string, error) {
	first, err := p.src.read()
	for err == nil && (first.text == "" || first.text == "\r") {
		p.blank++
		first, err = p.src.read()
	}
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, fileErrorf("read header: %v", err)
	}
	if p.delim == 0 {
		p.delim = sniffDelimiter(first.text)
	}
	p.src.unread(first)
	row, err := p.next()
	if err != nil {
		return nil, fileErrorf("read header: %v", err)
	}
	if row.bad != nil {
		return nil, fileErrorf("header at line %d: %s", row.line, row.bad.reason)
	}
	p.setWidth(row.cells)
	return slices.Clone(row.cells), nil
}

// indexOf returns the index of the column holding field, or -1.
func indexOf(cols []column, field string) int {
	for i, c := range cols {
		if c.field == field {
			return i
		}
	}
	return -1
}

// delimiterName spells a delimiter for FileStats.
func delimiterName(d byte) string {
	if d == '\t' {
		return "tab"
	}
	return string(d)
}

// isNotExist reports whether err says a path does not exist.
func isNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
