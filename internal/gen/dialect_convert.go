package gen

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ferry/internal/source"
)

// converter rewrites the ferry-layout files of one harvest into a dialect.
type converter struct {
	spec     dialectSpec
	from, to string
	key      Key
	// lookups for byRef: generator id → email or name.
	personEmail, companyName, ownerEmail map[string]string
}

// convertHarvest converts every harvest file in from (ferry's layout, as WriteHarvest
// wrote it with key) into to, and returns the key with the dialect's files and broken rows.
func convertHarvest(from, to string, key Key, dia Dialect) (Key, error) {
	spec := dialectSpecs[dia]
	c := &converter{spec: spec, from: from, to: to, key: key}
	if spec.byRef {
		if err := c.loadLookups(); err != nil {
			return Key{}, err
		}
	}
	var sinks sinkFactory = csvSinks{dir: to, surface: spec.csv}
	var book *xlsxBook
	if spec.xlsx {
		book = newXLSXBook(filepath.Join(to, XLSXFile))
		sinks = book
	}
	out := key
	out.Dialect = string(dia)
	out.Files = map[string]FileFormat{}
	out.BrokenRows = nil
	for _, k := range source.Kinds {
		if err := c.convertFile(k, sinks, &out); err != nil {
			return Key{}, err
		}
	}
	if book != nil {
		if err := book.save(); err != nil {
			return Key{}, err
		}
	}
	return out, nil
}

// loadLookups reads the ids, emails and names that references are rewritten to.
func (c *converter) loadLookups() error {
	c.personEmail, c.companyName, c.ownerEmail = map[string]string{}, map[string]string{}, map[string]string{}
	for _, l := range []struct {
		kind  source.Kind
		field string
		dst   map[string]string
	}{{source.Person, "email", c.personEmail}, {source.Company, "name", c.companyName}, {source.Owner, "email", c.ownerEmail}} {
		err := c.eachRow(l.kind, func(fields, row []string, _ int) error {
			id, v := cell(fields, row, "id"), cell(fields, row, l.field)
			if _, seen := l.dst[id]; id != "" && !seen {
				l.dst[id] = v
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// cell returns row's value of field, "" when absent.
func cell(fields, row []string, field string) string {
	for i, f := range fields {
		if f == field && i < len(row) {
			return row[i]
		}
	}
	return ""
}

// eachRow reads the ferry-layout file of kind and calls fn with the canonical fields, each
// row and the physical line it starts on.
func (c *converter) eachRow(kind source.Kind, fn func(fields, row []string, line int) error) error {
	name := source.HarvestFile[kind]
	f, err := os.Open(filepath.Join(c.from, name))
	if err != nil {
		return fmt.Errorf("gen: dialect: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(skipBOM(f))
	r.FieldsPerRecord = -1
	fields, _ := columns(kind)
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("gen: dialect: read header of %s: %w", name, err)
	}
	for {
		row, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("gen: dialect: read %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if err := fn(fields, row, line); err != nil {
			return err
		}
	}
}

// skipBOM drops a leading UTF-8 byte order mark.
func skipBOM(r io.Reader) io.Reader {
	var bom [3]byte
	n, _ := io.ReadFull(r, bom[:])
	if n == 3 && string(bom[:]) == "\uFEFF" {
		return r
	}
	return io.MultiReader(strings.NewReader(string(bom[:n])), r)
}

// outColumn is one column of a converted file: its header and how its value is made from
// the ferry-layout row.
type outColumn struct {
	header string
	value  func(row []string) string
}

// layout returns the columns a dialect writes for kind, from ferry's canonical fields.
func (c *converter) layout(kind source.Kind) []outColumn {
	fields, headers := columns(kind)
	var cols []outColumn
	for i, f := range fields {
		i, f := i, f
		at := func(row []string) string {
			if i < len(row) {
				return row[i]
			}
			return ""
		}
		header, value := headers[i], at
		switch {
		case f == "id" && c.spec.noIDs[kind]:
			continue
		case c.spec.byRef && f == "company_id" && (kind == source.Person || kind == source.Attachment):
			continue // people carry company_name already; attachments name no company by name
		case c.spec.byRef && f == "person_id":
			f, value = "person_email", func(row []string) string { return c.personEmail[at(row)] }
		case c.spec.byRef && f == "person_ids":
			f, value = "person_emails", func(row []string) string { return c.emails(at(row)) }
		case c.spec.byRef && f == "company_id":
			f, value = "company_name", func(row []string) string { return c.companyName[at(row)] }
		case c.spec.byRef && f == "company_ids":
			f, value = "company_name", func(row []string) string {
				first, _, _ := strings.Cut(at(row), source.ListSep)
				return c.companyName[first]
			}
		case c.spec.byRef && (f == "owner" || f == "created_by" || f == "author"):
			value = func(row []string) string {
				if email, ok := c.ownerEmail[at(row)]; ok && email != "" {
					return email
				}
				return at(row)
			}
		}
		if h, ok := c.spec.headers[kind][f]; ok {
			header = h
		}
		if c.spec.value != nil {
			field, raw := f, value
			value = func(row []string) string { return c.spec.value(field, raw(row)) }
		}
		cols = append(cols, outColumn{header: header, value: value})
	}
	return cols
}

// emails turns a list of person ids into their emails, leaving out people without one.
func (c *converter) emails(ids string) string {
	var out []string
	for _, id := range strings.Split(ids, source.ListSep) {
		if e := c.personEmail[strings.TrimSpace(id)]; e != "" {
			out = append(out, e)
		}
	}
	return strings.Join(out, source.ListSep)
}

// convertFile converts one file and records its format and broken rows in out.
func (c *converter) convertFile(kind source.Kind, sinks sinkFactory, out *Key) error {
	name := source.HarvestFile[kind]
	broken := map[int]BrokenRow{}
	for _, b := range c.key.BrokenRows {
		if b.File == name {
			broken[b.Line] = b
		}
	}
	cols := c.layout(kind)
	headers := make([]string, len(cols))
	for i, col := range cols {
		headers[i] = col.header
	}
	sink, err := sinks.open(kind, headers)
	if err != nil {
		return err
	}
	nfields := len(c.mustFields(kind))
	err = c.eachRow(kind, func(_, row []string, line int) error {
		b, isBroken := broken[line]
		if isBroken && c.spec.dropsBroken(kind, b) {
			return nil
		}
		cells := make([]string, len(cols), len(cols)+len(row))
		for i, col := range cols {
			cells[i] = col.value(row)
		}
		if len(row) > nfields {
			cells = append(cells, row[nfields:]...) // a ragged row stays ragged
		}
		at, err := sink.row(cells)
		if err != nil {
			return err
		}
		if isBroken {
			b.File, b.Line = sink.name(), at
			out.BrokenRows = append(out.BrokenRows, b)
		}
		return nil
	})
	if err != nil {
		return err
	}
	format, err := sink.close()
	out.Files[sink.name()] = format
	return err
}

func (c *converter) mustFields(kind source.Kind) []string {
	fields, _ := columns(kind)
	return fields
}
