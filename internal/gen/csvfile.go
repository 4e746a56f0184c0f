package gen

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ferry/internal/source"
)

// FileFormat records how a harvest file is encoded.
type FileFormat struct {
	BOM  bool   `json:"bom"`
	EOL  string `json:"eol"`  // "LF" or "CRLF"
	Rows int    `json:"rows"` // data rows, broken ones included (header not counted)
	// Set by the dialects other than ferry (WriteHarvestDialect): the delimiter, the
	// encoding ("utf-8" or "windows-1252") and, in a workbook, the sheet.
	Delimiter string `json:"delimiter,omitempty"`
	Encoding  string `json:"encoding,omitempty"`
	Sheet     string `json:"sheet,omitempty"`
}

// klipyHeaders maps canonical field names to the header Klipy's import template uses; fields
// not listed keep their snake_case name.
var klipyHeaders = map[source.Kind]map[string]string{
	source.Person: {"first_name": "First Name", "last_name": "Last Name", "email": "Email",
		"company_name": "Company", "title": "Title", "phone": "Phone",
		"linkedin_url": "LinkedIn URL", "notes": "Notes"},
	source.Company: {"name": "Company Name", "domain": "Domain", "industry": "Industry",
		"employee_count": "Size", "website": "Website"},
}

// columns returns the canonical field names (custom ones prefixed) and headers of a kind.
func columns(k source.Kind) (fields, headers []string) {
	for _, f := range source.Core(k) {
		h := f
		if kh, ok := klipyHeaders[k][f]; ok {
			h = kh
		}
		fields, headers = append(fields, f), append(headers, h)
	}
	for _, c := range customHeaders(k) {
		fields, headers = append(fields, source.CustomPrefix+c), append(headers, c)
	}
	return fields, headers
}

// csvFile writes one harvest CSV and tracks the physical line each row starts on.
type csvFile struct {
	name   string
	f      io.WriteCloser
	buf    *bufio.Writer
	w      *csv.Writer
	fields []string
	row    []string
	line   int // physical line the next row starts on
	format FileFormat
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// openCSV creates dir/name (or a sink that discards when dir is "") and writes the header.
func openCSV(dir string, k source.Kind, format FileFormat) (*csvFile, error) {
	name := source.HarvestFile[k]
	var f io.WriteCloser = nopCloser{io.Discard}
	if dir != "" {
		file, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("gen: create harvest file %s: %w", name, err)
		}
		f = file
	}
	c := &csvFile{name: name, f: f, buf: bufio.NewWriterSize(f, 1<<20), line: 2, format: format}
	c.w = csv.NewWriter(c.buf)
	c.w.UseCRLF = format.EOL == "CRLF"
	if format.BOM {
		c.buf.WriteString("\uFEFF")
	}
	var headers []string
	c.fields, headers = columns(k)
	c.row = make([]string, len(c.fields))
	if err := c.w.Write(headers); err != nil {
		return nil, fmt.Errorf("gen: write header of %s: %w", name, err)
	}
	return c, nil
}

// writeCells writes one row as given and returns the line it starts on.
func (c *csvFile) writeCells(cells []string) (int, error) {
	line := c.line
	for _, v := range cells {
		c.line += strings.Count(v, "\n")
	}
	c.line++
	c.format.Rows++
	if err := c.w.Write(cells); err != nil {
		return 0, fmt.Errorf("gen: write %s line %d: %w", c.name, line, err)
	}
	return line, nil
}

// write writes a record's fields in column order and returns the line it starts on.
func (c *csvFile) write(r source.Record) (int, error) {
	for i, f := range c.fields {
		c.row[i] = r.Fields[f]
	}
	return c.writeCells(c.row)
}

// close flushes and closes the file and returns its format summary.
func (c *csvFile) close() (FileFormat, error) {
	c.w.Flush()
	err := c.w.Error()
	if err == nil {
		err = c.buf.Flush()
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return c.format, fmt.Errorf("gen: finish harvest file %s: %w", c.name, err)
	}
	return c.format, nil
}

// encoded is a chunk of rows already in CSV form.
type encoded struct {
	data     []byte
	rows     int
	lines    int // physical lines the rows take
	channels map[source.Channel]int
	err      error
}

// encode writes records as CSV rows of the given columns, off the writer's goroutine.
func encode(fields []string, format FileFormat, recs []source.Record) encoded {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = format.EOL == "CRLF"
	e := encoded{channels: map[source.Channel]int{}}
	row := make([]string, len(fields))
	for _, r := range recs {
		for i, f := range fields {
			row[i] = r.Fields[f]
			e.lines += strings.Count(row[i], "\n")
		}
		if e.err = w.Write(row); e.err != nil {
			return e
		}
		e.rows++
		e.lines++
		e.channels[r.Channel]++
	}
	w.Flush()
	e.data, e.err = b.Bytes(), w.Error()
	return e
}

// encodeInteractions encodes the interactions of person records [from, to) straight from
// their rows, without building records: the hot path of a large harvest.
func (d *Dataset) encodeInteractions(from, to int) encoded {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	e := encoded{channels: map[source.Channel]int{}}
	row := make([]string, icCount)
	for i := from; i < to; i++ {
		a := d.anchorOf(i)
		for j := range a.interactions {
			d.interactionRow(a, j, row)
			if e.err = w.Write(row); e.err != nil {
				return e
			}
			e.lines += 1 + strings.Count(row[icSummary], "\n") + strings.Count(row[icTitle], "\n")
			e.rows++
		}
	}
	e.channels[source.API] = e.rows
	w.Flush()
	e.data, e.err = b.Bytes(), w.Error()
	return e
}

// writeChunk appends pre-encoded rows.
func (c *csvFile) writeChunk(e encoded) error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("gen: write %s: %w", c.name, err)
	}
	if _, err := c.buf.Write(e.data); err != nil {
		return fmt.Errorf("gen: write %s line %d: %w", c.name, c.line, err)
	}
	c.line += e.lines
	c.format.Rows += e.rows
	return nil
}
