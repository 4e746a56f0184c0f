package harvest

import (
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func TestDecode(t *testing.T) {
	utf16be, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String("id,name\np1,Zoë\n")
	if err != nil {
		t.Fatal(err)
	}
	utf16le, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String("id,name\np1,Zoë\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in, enc string
		wantEnc       string
		wantBOM       bool
		want          string
	}{
		{"plain utf-8", "id,name\np1,Zoë\n", "auto", EncodingUTF8, false, "id,name\np1,Zoë\n"},
		{"utf-8 bom", "\xef\xbb\xbfid\n", "auto", EncodingUTF8, true, "id\n"},
		{"utf-8 bom forced utf-8", "\xef\xbb\xbfid\n", EncodingUTF8, EncodingUTF8, true, "id\n"},
		{"windows-1252 sniffed", "id,name\np1,M\xfcller \x80\n", "auto", EncodingWindows, false, "id,name\np1,Müller €\n"},
		{"windows-1252 forced on valid utf-8", "id\nZo\xc3\xab\n", EncodingWindows, EncodingWindows, false, "id\nZoÃ«\n"},
		{"utf-16be bom", utf16be, "auto", EncodingUTF16, true, "id,name\np1,Zoë\n"},
		{"utf-16le without bom forced", utf16le, EncodingUTF16, EncodingUTF16, false, "id,name\np1,Zoë\n"},
		{"empty", "", "auto", EncodingUTF8, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := decode(strings.NewReader(tc.in), tc.enc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(d.r)
			if err != nil {
				t.Fatal(err)
			}
			if d.encoding != tc.wantEnc || d.bom != tc.wantBOM || string(got) != tc.want {
				t.Errorf("got %s bom=%v %q, want %s bom=%v %q", d.encoding, d.bom, got, tc.wantEnc, tc.wantBOM, tc.want)
			}
		})
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]string{"": EncodingAuto, "AUTO": EncodingAuto, "UTF8": EncodingUTF8,
		"utf-16": EncodingUTF16, "cp1252": EncodingWindows, "Latin1": EncodingWindows} {
		if got, err := parseEncoding(in); err != nil || got != want {
			t.Errorf("parseEncoding(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := parseEncoding("ebcdic"); err == nil || !strings.Contains(err.Error(), "allowed values") {
		t.Errorf("ebcdic: %v", err)
	}
}

func TestForcedDelimiter(t *testing.T) {
	dir := writeFolder(t, map[string]string{"people.csv": "id;first_name,last_name\np1;Ann,Lee\n"})
	res := readAll(t, dir, Options{Delimiter: ';'})
	if len(res.Records) != 1 || res.Records[0].Fields["custom.first_name,last_name"] != "Ann,Lee" {
		t.Errorf("forced ';' not used: %+v", res.Records)
	}
}
