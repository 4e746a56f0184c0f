package harvest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// physLine is one physical line of a decoded file, without its "\n".
type physLine struct {
	text    string
	num     int  // 1-based
	tooLong bool // longer than the row limit; text holds only a prefix
}

// lineSource yields physical lines: first any pushed back, then from the reader. Memory is
// bounded by the row limit: a longer line is cut and flagged, its rest discarded.
type lineSource struct {
	br    *bufio.Reader
	max   int
	next  int        // number of the next line read from br
	queue []physLine // pushed-back lines, the next one last
	buf   []byte
	eof   bool
}

// read returns the next line, or io.EOF.
func (s *lineSource) read() (physLine, error) {
	if n := len(s.queue); n > 0 {
		l := s.queue[n-1]
		s.queue = s.queue[:n-1]
		return l, nil
	}
	if s.eof {
		return physLine{}, io.EOF
	}
	s.buf = s.buf[:0]
	tooLong := false
	for {
		chunk, err := s.br.ReadSlice('\n')
		switch {
		case tooLong:
		case len(s.buf)+len(chunk) > s.max:
			s.buf = append(s.buf, chunk[:s.max-len(s.buf)]...)
			tooLong = true
		default:
			s.buf = append(s.buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			s.eof = true
			if len(s.buf) == 0 {
				return physLine{}, io.EOF
			}
		} else if err != nil {
			return physLine{}, err
		}
		break
	}
	text := strings.TrimSuffix(string(s.buf), "\n")
	s.next++
	return physLine{text: text, num: s.next, tooLong: tooLong}, nil
}

// unread pushes lines back so that the next reads return them first, in order. The queue
// is a stack (next line last), so giving back k lines costs O(k) however long it is.
func (s *lineSource) unread(lines ...physLine) {
	for i := len(lines) - 1; i >= 0; i-- {
		s.queue = append(s.queue, lines[i])
	}
}

// rawRow is one CSV record before header mapping.
type rawRow struct {
	line  int        // physical line where it starts
	lines []physLine // the physical lines it spans
	cells []string
	bad   *problem // set when the row could not be parsed
}

// problem says why a row is quarantined; cell is the 0-based cell index or -1.
type problem struct {
	cell   int
	reason string
}

// csvParser splits physical lines into records: RFC 4180 with CRLF or LF, quoted fields
// with doubled quotes and embedded newlines, and lazy quotes where they are unambiguous
// (a quote inside an unquoted field, or inside a one-line quoted field, is a literal).
//
// Broken quoting is contained rather than allowed to swallow the file: a quoted field that
// runs past the row limit or the end of the file, or that (once it has spanned a line
// break) meets a quote not followed by a delimiter or line end, makes its row broken; that
// row is reported at its first line and the lines after it are parsed again as rows.
type csvParser struct {
	src   *lineSource
	delim byte
	max   int
	// width is the header's cell count and named the count up to its last non-blank header
	// (0 while the header is read): a row of either count is well-formed.
	width, named int
	// suspect is the line of the last broken row while the rows after it are read again;
	// until a well-formed row, a row that is not is a fragment of the broken field.
	suspect int
	blank   int // blank lines skipped
	buf     []byte
	cells   []string // reused: a row's cells are valid until the next call of next
}

// next returns the next non-blank record, or io.EOF. The row's cells slice is reused by
// the following call (the strings in it are not).
func (p *csvParser) next() (rawRow, error) {
	for {
		first, err := p.src.read()
		if err != nil {
			return rawRow{}, err
		}
		if first.text == "" || first.text == "\r" {
			p.blank++
			continue
		}
		row := rawRow{line: first.num, lines: []physLine{first}, cells: p.cells[:0]}
		if first.tooLong {
			row.bad = &problem{cell: -1, reason: fmt.Sprintf("row is longer than the %d-byte limit", p.max)}
			return row, nil
		}
		if err := p.parse(&row); err != nil {
			return rawRow{}, err
		}
		p.cells = row.cells
		p.checkFragment(&row)
		return row, nil
	}
}

// parse splits row.lines[0] (and continuation lines it pulls) into row.cells.
func (p *csvParser) parse(row *rawRow) error {
	s, i := row.lines[0].text, 0
	for {
		if i < len(s) && s[i] == '"' {
			var err error
			var ok bool
			s, i, ok, err = p.quoted(row, s, i+1)
			if err != nil || !ok {
				return err
			}
			if i >= len(s) || (s[i] == '\r' && i+1 == len(s)) {
				return nil
			}
			i++ // the delimiter
			continue
		}
		k := strings.IndexByte(s[i:], p.delim)
		if k < 0 {
			row.cells = append(row.cells, strings.TrimSuffix(s[i:], "\r"))
			return nil
		}
		row.cells = append(row.cells, s[i:i+k])
		i += k + 1
	}
}

// quoteState tracks one quoted field while it is read.
type quoteState struct {
	openLine, openCell int
	cur                physLine // the line being scanned
	size               int      // bytes of the row so far
	multiline          bool     // the field has crossed a line break
	over               bool     // the row passed the limit: scanning on without keeping
}

// quoted reads a quoted field whose content starts at s[i], pulling continuation lines as
// needed. It returns the line and position just after the closing quote, or ok=false when
// the row is broken (row.bad set).
//
// Within the row limit a broken row gives its continuation lines back to be parsed again.
// Past the limit the field is scanned on without being kept: if it closes cleanly it was a
// legitimate but too large field and the whole row is quarantined as too large; if it is
// never closed (or meets a stray quote) the lines it swallowed are quarantined as that one
// row, named by their range — loud, never silently merged, and memory stays bounded.
func (p *csvParser) quoted(row *rawRow, s string, i int) (string, int, bool, error) {
	q := quoteState{openLine: row.lines[len(row.lines)-1].num, openCell: len(row.cells), cur: row.lines[len(row.lines)-1]}
	for _, l := range row.lines {
		q.size += len(l.text) + 1
	}
	p.buf = p.buf[:0]
	for {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			if !q.over {
				p.buf = append(append(p.buf, strings.TrimSuffix(s[i:], "\r")...), '\n')
			}
			next, err := p.src.read()
			if errors.Is(err, io.EOF) {
				p.unclosed(row, &q, "is not closed before the end of the file", q.cur.num)
				return s, i, false, nil
			}
			if err != nil {
				return s, i, false, err
			}
			p.advance(row, &q, next)
			s, i = next.text, 0
			continue
		}
		j += i
		if !q.over {
			p.buf = append(p.buf, s[i:j]...)
		}
		switch {
		case j+1 < len(s) && s[j+1] == '"':
			if !q.over {
				p.buf = append(p.buf, '"')
			}
			i = j + 2
		case j+1 == len(s) || s[j+1] == p.delim || (s[j+1] == '\r' && j+2 == len(s)):
			if l, ok := p.swallowed(row, &q, s[:j]); ok {
				p.unclosed(row, &q, fmt.Sprintf("takes in line %d, which reads as a row of its own", l), q.cur.num)
				return s, i, false, nil
			}
			row.cells = append(row.cells, string(p.buf))
			if q.over {
				row.bad = &problem{cell: q.openCell, reason: fmt.Sprintf("row is longer than the %d-byte limit (a quoted field runs from line %d to line %d)",
					p.max, q.openLine, q.cur.num)}
			}
			return s, j + 1, true, nil
		case q.multiline:
			if q.over {
				p.src.unread(q.cur) // the stray quote likely starts the next good row
			}
			p.unclosed(row, &q, fmt.Sprintf("spans lines and meets a stray quote at line %d", q.cur.num), q.cur.num-1)
			return s, i, false, nil
		default:
			if !q.over {
				p.buf = append(p.buf, '"') // lazy: a literal quote inside a one-line field
			}
			i = j + 1
		}
	}
}

// advance takes the next physical line into a quoted field, switching to scanning once the
// row passes the limit.
func (p *csvParser) advance(row *rawRow, q *quoteState, next physLine) {
	q.multiline, q.cur = true, next
	if q.over {
		return
	}
	if q.size += len(next.text) + 1; next.tooLong || q.size > p.max {
		q.over = true
		return
	}
	row.lines = append(row.lines, next)
}

// unclosed marks row as broken by a quoted field that never closed properly; last is the
// last line the row swallowed. Within the limit the continuation lines are given back to be
// parsed again; past it they stay quarantined as part of this row.
func (p *csvParser) unclosed(row *rawRow, q *quoteState, what string, last int) {
	if q.over || row.bad != nil {
		row.bad = &problem{cell: q.openCell, reason: fmt.Sprintf("broken quoting: quoted field opened at line %d runs past the %d-byte row limit and %s; "+
			"lines %d-%d are quarantined as this one row (a closing quote is missing)", q.openLine, p.max, what, row.line, last)}
		return
	}
	reason := fmt.Sprintf("broken quoting: quoted field opened at line %d %s", q.openLine, what)
	if q.multiline {
		reason += ": a closing quote is probably missing; the lines after it are read again as rows"
	}
	row.bad = &problem{cell: q.openCell, reason: reason}
	p.src.unread(row.lines[1:]...)
	row.lines = row.lines[:1]
	p.suspect = row.line
}

// swallowed reports the first line a multi-line quoted field took in that reads as a
// well-formed row of its own ("p3,Cy,Kim,cy@x.com,\"" after a quote left open): then the
// field most likely lost its closing quote and swallowed that row. Of the line holding the
// closing quote only the part before it (closing) counts. A legitimate field with such a
// line is quarantined too (loudly), never merged silently.
func (p *csvParser) swallowed(row *rawRow, q *quoteState, closing string) (int, bool) {
	if !q.multiline || q.over || p.width == 0 {
		return 0, false
	}
	last := len(row.lines) - 1
	for _, l := range row.lines[1:last] {
		if p.recordLike(l.text) {
			return l.num, true
		}
	}
	if p.recordLike(closing) {
		return row.lines[last].num, true
	}
	return 0, false
}

// recordLike reports whether one line alone splits into a well-formed row (a quoted field
// left open at its end counts as one cell).
func (p *csvParser) recordLike(line string) bool {
	line = strings.TrimSuffix(line, "\r")
	n, quoted := 1, false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"' && (i == 0 || line[i-1] == p.delim) && !quoted:
			quoted = true
		case c == '"' && quoted && (i+1 == len(line) || line[i+1] == p.delim):
			quoted = false
		case c == p.delim && !quoted:
			n++
		}
	}
	return n >= 2 && (n == p.width || n == p.named)
}

// wellFormed reports a row of the header's width (extra empty cells allowed).
func (p *csvParser) wellFormed(cells []string) bool {
	n := len(cells)
	for n > p.width && cells[n-1] == "" {
		n--
	}
	return n == p.width || n == p.named
}

// checkFragment quarantines, after a broken row, the rows read again from its lines that are
// not well-formed: pieces of the broken field, never records. A well-formed row ends it.
func (p *csvParser) checkFragment(row *rawRow) {
	if p.suspect == 0 || row.bad != nil || p.width == 0 {
		return
	}
	if p.wellFormed(row.cells) {
		p.suspect = 0
		return
	}
	row.bad = &problem{cell: -1, reason: fmt.Sprintf("fragment of the broken row at line %d (a quoted field there was never closed): "+
		"%d cells where the header has %d; not read as a record", p.suspect, len(row.cells), p.width)}
}

// setWidth records the header's shape for the well-formed checks.
func (p *csvParser) setWidth(header []string) {
	p.width, p.named = len(header), 0
	for i, h := range header {
		if cleanHeader(h) != "" {
			p.named = i + 1
		}
	}
}

// sniffDelimiter picks the delimiter of a header line: whichever of ',', ';', tab and '|'
// occurs most often outside quotes; ',' on a tie or when none occurs.
func sniffDelimiter(header string) byte {
	counts := map[byte]int{}
	inQuotes := false
	for i := 0; i < len(header); i++ {
		switch c := header[i]; {
		case c == '"':
			inQuotes = !inQuotes
		case !inQuotes && (c == ',' || c == ';' || c == '\t' || c == '|'):
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t', '|'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}
