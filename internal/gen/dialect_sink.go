package gen

import (
	"bufio"
	"encoding/csv"

	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"ferry/internal/source"
)

// sinkFactory opens the place a converted file's rows go.
type sinkFactory interface {
	open(kind source.Kind, headers []string) (rowSink, error)
}

// rowSink takes a converted file's rows.
type rowSink interface {
	name() string                    // the file ("people.csv") or sheet ("harvest.xlsx#People")
	row(cells []string) (int, error) // writes a row; returns its line (CSV) or row number (sheet)
	close() (FileFormat, error)      // finishes the file
}

// csvSinks writes CSV files into dir with a dialect's surface.
type csvSinks struct {
	dir     string
	surface csvSurface
}

func (s csvSinks) open(kind source.Kind, headers []string) (rowSink, error) {
	file := source.HarvestFile[kind]
	tmp, err := os.CreateTemp(s.dir, ".utf8-"+file+"-")
	if err != nil {
		return nil, fmt.Errorf("gen: dialect: create %s: %w", file, err)
	}
	c := &csvSink{file: file, dir: s.dir, surface: s.surface, tmp: tmp, buf: bufio.NewWriterSize(tmp, 1<<20), line: 1}
	c.w = csv.NewWriter(c.buf)
	c.w.Comma, c.w.UseCRLF = s.surface.comma, s.surface.crlf
	if _, err := c.row(headers); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	c.rows = 0
	return c, nil
}

// csvSink writes one CSV in UTF-8 to a temporary file and, on close, encodes it into place.
type csvSink struct {
	file, dir string
	surface   csvSurface
	tmp       *os.File
	buf       *bufio.Writer
	w         *csv.Writer
	line      int // physical line the next row starts on
	rows      int
}

func (c *csvSink) name() string { return c.file }

func (c *csvSink) row(cells []string) (int, error) {
	line := c.line
	for _, v := range cells {
		c.line += strings.Count(v, "\n")
	}
	c.line++
	c.rows++
	if err := c.w.Write(cells); err != nil {
		return 0, fmt.Errorf("gen: dialect: write %s line %d: %w", c.file, line, err)
	}
	return line, nil
}

func (c *csvSink) close() (FileFormat, error) {
	defer os.Remove(c.tmp.Name())
	c.w.Flush()
	err := c.w.Error()
	if err == nil {
		err = c.buf.Flush()
	}
	if err == nil {
		_, err = c.tmp.Seek(0, io.SeekStart)
	}
	f := FileFormat{EOL: "LF", Rows: c.rows, Delimiter: string(c.surface.comma), Encoding: "utf-8"}
	if c.surface.crlf {
		f.EOL = "CRLF"
	}
	if err == nil {
		f, err = c.place(f)
	}
	if cerr := c.tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return f, fmt.Errorf("gen: dialect: finish %s: %w", c.file, err)
	}
	return f, nil
}

// place writes the final file from the UTF-8 temporary one: Windows-1252 when the surface
// asks for it and every character has a Windows-1252 byte, else UTF-8 (with a BOM when
// Windows-1252 was asked for, as Excel's "CSV UTF-8" writes it).
func (c *csvSink) place(f FileFormat) (FileFormat, error) {
	path := filepath.Join(c.dir, c.file)
	if c.surface.cp1252 {
		out, err := os.Create(path)
		if err != nil {
			return f, err
		}
		_, err = io.Copy(transform.NewWriter(out, charmap.Windows1252.NewEncoder()), c.tmp)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			f.Encoding = "windows-1252"
			return f, nil
		}
		if _, serr := c.tmp.Seek(0, io.SeekStart); serr != nil {
			return f, serr
		}
		f.BOM = true
	}
	out, err := os.Create(path)
	if err != nil {
		return f, err
	}
	if f.BOM {
		_, err = io.WriteString(out, "\uFEFF")
	}
	if err == nil {
		_, err = io.Copy(out, c.tmp)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return f, err
}

// xlsxSheet names the workbook sheet of each kind.
var xlsxSheet = map[source.Kind]string{
	source.Owner: "Owners", source.Company: "Companies", source.Person: "People", source.Deal: "Deals",
	source.Interaction: "Interactions", source.Note: "Notes", source.Task: "Tasks", source.Attachment: "Attachments",
}

// xlsxNumeric lists the columns (by ferry header) written as number cells, as a
// spreadsheet holds them; every other cell is text.
var xlsxNumeric = map[string]bool{"value": true, "size_bytes": true, "duration_minutes": true, "Size": true}

// xlsxMaxRows is a worksheet's row limit.
const xlsxMaxRows = 1 << 20

// xlsxBook writes one workbook, a sheet per kind, streaming each sheet.
type xlsxBook struct {
	path string
	f    *excelize.File
}

func newXLSXBook(path string) *xlsxBook { return &xlsxBook{path: path, f: excelize.NewFile()} }

func (b *xlsxBook) open(kind source.Kind, headers []string) (rowSink, error) {
	sheet := xlsxSheet[kind]
	if _, err := b.f.NewSheet(sheet); err != nil {
		return nil, fmt.Errorf("gen: dialect: add sheet %s: %w", sheet, err)
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("gen: dialect: sheet %s: %w", sheet, err)
	}
	s := &xlsxSink{book: b, sheet: sheet, sw: sw, numeric: map[int]bool{}}
	for i, h := range headers {
		s.numeric[i] = xlsxNumeric[h]
	}
	if _, err := s.write(headers, false); err != nil {
		return nil, err
	}
	return s, nil
}

func (b *xlsxBook) save() error {
	if err := b.f.DeleteSheet("Sheet1"); err != nil {
		return fmt.Errorf("gen: dialect: %w", err)
	}
	b.f.SetActiveSheet(0)
	if err := b.f.SaveAs(b.path); err != nil {
		return fmt.Errorf("gen: dialect: save %s: %w", b.path, err)
	}
	return b.f.Close()
}

// xlsxSink streams the rows of one sheet.
type xlsxSink struct {
	book    *xlsxBook
	sheet   string
	sw      *excelize.StreamWriter
	next    int // the next row number (1-based)
	rows    int
	numeric map[int]bool
}

func (s *xlsxSink) name() string { return XLSXFile + "#" + s.sheet }

func (s *xlsxSink) row(cells []string) (int, error) {
	s.rows++
	return s.write(cells, true)
}

// write writes a row, numbers as number cells when typed.
func (s *xlsxSink) write(cells []string, typed bool) (int, error) {
	s.next++
	if s.next > xlsxMaxRows {
		return 0, fmt.Errorf("gen: dialect: sheet %s: more than %d rows, a worksheet's limit (write fewer --people)", s.sheet, xlsxMaxRows)
	}
	vals := make([]any, len(cells))
	for i, v := range cells {
		vals[i] = v
		if n, err := strconv.ParseFloat(v, 64); typed && s.numeric[i] && err == nil {
			vals[i] = n
		}
	}
	ref, err := excelize.CoordinatesToCellName(1, s.next)
	if err == nil {
		err = s.sw.SetRow(ref, vals)
	}
	if err != nil {
		return 0, fmt.Errorf("gen: dialect: sheet %s row %d: %w", s.sheet, s.next, err)
	}
	return s.next, nil
}

func (s *xlsxSink) close() (FileFormat, error) {
	if err := s.sw.Flush(); err != nil {
		return FileFormat{}, fmt.Errorf("gen: dialect: sheet %s: %w", s.sheet, err)
	}
	return FileFormat{Rows: s.rows, Sheet: s.sheet}, nil
}
