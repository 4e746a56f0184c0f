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
	// checkUTF8 is set when the file is read as UTF-8 without conversion, so rows may still
	// hold invalid bytes beyond the sniffed prefix; those rows are quarantined.
	checkUTF8 bool
}

// decode picks the encoding of r (forced unless enc is EncodingAuto) and returns a reader of
// its content as UTF-8 with any byte-order mark removed. Auto detection: a UTF-8 or UTF-16
// BOM decides; otherwise the first 64 KiB are UTF-8 if valid, else Windows-1252.
func decode(r io.Reader, enc string) (decoded, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return decoded{}, fmt.Errorf("read: %w", err)
	}
	full := len(head) == sniffBytes
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
	case enc == EncodingWindows || (enc == EncodingAuto && !validPrefix(head, full)):
		return decoded{r: transformed(br, charmap.Windows1252.NewDecoder()), encoding: EncodingWindows}, nil
	}
	return decoded{r: br, encoding: EncodingUTF8, checkUTF8: true}, nil
}

// transformed wraps r in a decoding transformer with a read buffer.
func transformed(r io.Reader, t transform.Transformer) *bufio.Reader {
	return bufio.NewReaderSize(transform.NewReader(r, t), sniffBytes)
}

// validPrefix reports whether head is valid UTF-8, forgiving a rune cut at the end of a full
// sniff buffer.
func validPrefix(head []byte, full bool) bool {
	if full {
		for i := 0; i < utf8.UTFMax && len(head) > 0; i++ {
			r, size := utf8.DecodeLastRune(head)
			if r != utf8.RuneError || size != 1 {
				break
			}
			head = head[:len(head)-1]
		}
	}
	return utf8.Valid(head)
}
