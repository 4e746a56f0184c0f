package harvest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names Options.Encoding accepts and FileStats.Encoding reports.
const (
	EncodingAuto    = "auto"
	EncodingUTF8    = "utf-8"
	EncodingUTF16   = "utf-16"
	EncodingWindows = "windows-1252"
)

// sniffBytes is how much of a file decides its encoding.
const sniffBytes = 64 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// parseEncoding resolves an Options.Encoding value (with a few common aliases) to one of
// the Encoding constants.
func parseEncoding(name string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "utf-16", "utf16":
		return EncodingUTF16, nil
	case "windows-1252", "cp1252", "latin1", "latin-1", "iso-8859-1":
		return EncodingWindows, nil
	}
	return "", fmt.Errorf("encoding %q: allowed values are auto, utf-8, utf-16, windows-1252", name)
}

// decoded is a file's content as UTF-8, with the encoding it was read in.
type decoded struct {
	r        *bufio.Reader
	encoding string
	bom      bool
	// checkUTF8 is set when the file is read as UTF-8 without conversion, so rows may hold
	// a stray invalid sequence; those rows are quarantined.
	checkUTF8 bool
	evidence  string // why the encoding was chosen, when it was detected
}

// decode picks the encoding of r (forced unless enc is EncodingAuto) and returns a reader of
// its content as UTF-8 with any byte-order mark removed. Auto detection: a UTF-8 or UTF-16
// BOM decides; otherwise the evidence of the whole file (utf8Evidence, when r can seek back;
// else its first 64 KiB): UTF-8 unless it holds invalid sequences and fewer valid multi-byte
// characters than invalid sequences, then Windows-1252. A UTF-8 file with a stray invalid
// sequence stays UTF-8: only the rows holding one are quarantined. Compressed, archived and
// other binary files are refused (a fileError naming what they are and what to do).
func decode(r io.Reader, enc string) (decoded, error) {
	ev, err := scanWhole(r, enc)
	if err != nil {
		return decoded{}, err
	}
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return decoded{}, fmt.Errorf("read: %w", err)
	}
	if err := binaryKind(head, enc); err != nil {
		return decoded{}, err
	}
	full := len(head) == sniffBytes
	if ev == nil {
		e := evidenceOf(head, full)
		ev = &e
	}
	if d, ok := bomless16(br, head, enc); ok {
		return d, nil
	}
	switch {
	case bytes.HasPrefix(head, bomUTF8) && enc != EncodingWindows:
		_, _ = br.Discard(len(bomUTF8))
		return decoded{r: br, encoding: EncodingUTF8, bom: true, checkUTF8: true}, nil
	case (bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE)) &&
		(enc == EncodingAuto || enc == EncodingUTF16):
		return decoded{r: transformed(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()),
			encoding: EncodingUTF16, bom: true}, nil
	case enc == EncodingUTF16:
		return decoded{r: transformed(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()),
			encoding: EncodingUTF16}, nil
	case enc == EncodingWindows:
		return decoded{r: transformed(br, charmap.Windows1252.NewDecoder()), encoding: EncodingWindows}, nil
	case enc == EncodingAuto && !ev.utf8():
		return decoded{r: transformed(br, charmap.Windows1252.NewDecoder()), encoding: EncodingWindows,
			evidence: ev.String()}, nil
	}
	return decoded{r: br, encoding: EncodingUTF8, checkUTF8: true, evidence: ev.String()}, nil
}

// transformed wraps r in a decoding transformer with a read buffer.
func transformed(r io.Reader, t transform.Transformer) *bufio.Reader {
	return bufio.NewReaderSize(transform.NewReader(r, t), sniffBytes)
}

// utf8Evidence counts, over a file, the valid multi-byte UTF-8 characters and the byte
// sequences that are not UTF-8.
type utf8Evidence struct {
	valid, invalid int
	whole          bool // the whole file was scanned (else its first 64 KiB)
}

// utf8 decides: UTF-8 unless invalid sequences outnumber valid multi-byte characters.
func (e utf8Evidence) utf8() bool { return e.invalid == 0 || e.valid >= e.invalid }

// String says what was found, for FileStats and quarantine reasons.
func (e utf8Evidence) String() string {
	where := "the whole file"
	if !e.whole {
		where = "the first 64 KiB"
	}
	if e.valid == 0 && e.invalid == 0 {
		return where + ": ASCII only"
	}
	return fmt.Sprintf("%s: %d valid multi-byte UTF-8 characters, %d invalid sequences", where, e.valid, e.invalid)
}

// count adds the evidence of b; it returns how many bytes at the end of b are the start of
// a character cut by the buffer (to be counted with the next buffer).
func (e *utf8Evidence) count(b []byte, final bool) int {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		if !final && !utf8.FullRune(b[i:]) {
			return len(b) - i
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			e.invalid++
		} else {
			e.valid++
		}
		i += size
	}
	return 0
}

// evidenceOf counts the evidence of a prefix (full: it was cut at the buffer size).
func evidenceOf(head []byte, full bool) utf8Evidence {
	var e utf8Evidence
	e.count(head, !full)
	return e
}

// scanWhole reads the whole of r for its UTF-8 evidence and seeks back to the start, when
// the encoding is to be detected, r can seek and starts without a byte-order mark; nil
// otherwise (decode then judges the first 64 KiB).
func scanWhole(r io.Reader, enc string) (*utf8Evidence, error) {
	rs, ok := r.(io.ReadSeeker)
	if !ok || enc != EncodingAuto {
		return nil, nil
	}
	buf := make([]byte, sniffBytes+utf8.UTFMax)
	e := &utf8Evidence{whole: true}
	carry, first := 0, true
	for {
		n, err := rs.Read(buf[carry:sniffBytes])
		if h := buf[:n]; first && (bytes.HasPrefix(h, bomUTF8) || bytes.HasPrefix(h, bomUTF16LE) || bytes.HasPrefix(h, bomUTF16BE)) {
			e = nil
			break
		}
		first = false
		end := carry + n
		final := errors.Is(err, io.EOF)
		left := e.count(buf[:end], final)
		copy(buf, buf[end-left:end])
		carry = left
		if final {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return e, nil
}

// binaryKind refuses content that is not text: compressed files, archives (an .xlsx or .zip
// saved under a .csv name), PDFs and anything with NUL bytes that is not UTF-16.
func binaryKind(head []byte, enc string) error {
	switch {
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return fileErrorf("the file is gzip-compressed, not CSV text: unpack it (gunzip) and put the .csv in the harvest folder")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return fileErrorf("the file is a ZIP archive (an Excel workbook or a zipped export), not CSV text: give a workbook the .xlsx extension, or unzip the export into the harvest folder")
	case bytes.HasPrefix(head, []byte("%PDF")):
		return fileErrorf("the file is a PDF, not CSV text: export the data as CSV or .xlsx")
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return fileErrorf("the file is an old Excel .xls workbook, not CSV text: save it as .xlsx or CSV")
	}
	if enc == EncodingUTF16 || bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) {
		return nil
	}
	if i := bytes.IndexByte(head, 0); i >= 0 && !looks16(head) {
		return fileErrorf("the file holds binary data (a NUL byte at offset %d), not CSV text: export it again as CSV (UTF-8) or .xlsx", i)
	}
	return nil
}

// looks16 reports UTF-16 text without a byte-order mark: most of its first bytes alternate
// with NULs (ASCII in UTF-16).
func looks16(head []byte) bool {
	n := min(len(head), 4096) &^ 1
	if n < 4 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	return even*10 >= half*7 || odd*10 >= half*7
}

// bomless16 decodes UTF-16 without a byte-order mark (little-endian when the NULs are the odd
// bytes), when enc allows and the content looks16.
func bomless16(br *bufio.Reader, head []byte, enc string) (decoded, bool) {
	if (enc != EncodingAuto && enc != EncodingUTF16) || bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) ||
		bytes.IndexByte(head, 0) < 0 || !looks16(head) {
		return decoded{}, false
	}
	order := unicode.LittleEndian
	if head[0] == 0 {
		order = unicode.BigEndian
	}
	return decoded{r: transformed(br, unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()), encoding: EncodingUTF16,
		evidence: "no byte-order mark; NUL bytes alternate with ASCII"}, true
}
