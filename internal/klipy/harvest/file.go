package harvest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	fs.Encoding, fs.BOM = dec.encoding, dec.bom
	src := &lineSource{br: dec.r, max: e.max}
	p := &csvParser{src: src, delim: e.delim, max: e.max}
	defer func() { fs.Blank += p.blank }()
	cols, err := e.header(kind, p)
	if err != nil || cols == nil {
		return err
	}
	fs.Delimiter = delimiterName(p.delim)
	rr := &rowReader{env: e, kind: kind, file: name, cols: cols, checkUTF8: dec.checkUTF8,
		seen: newIDSet()}
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

// header reads the header record, sniffing the delimiter from its first line unless set,
// and resolves it to columns. An empty file gives no columns and no error.
func (e *env) header(kind source.Kind, p *csvParser) ([]column, error) {
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
	cols, err := matchHeaders(kind, row.cells)
	if err != nil {
		return nil, fileErrorf("header at line %d: %v", row.line, err)
	}
	if indexOf(cols, "id") < 0 {
		return nil, fileErrorf("header at line %d has no id column; name one of its columns id (or ID, %s ID)", row.line, kind)
	}
	return cols, nil
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
