package harvest

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestAttachmentSymlinkOutside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeFolder(t, map[string]string{
		"attachments.csv":  "id,path\na1,files/link.txt\na2,files/inside.txt\na3,files/dirlink/secret.txt\n",
		"files/inside.txt": "ok",
	})
	if err := os.Symlink(outside, filepath.Join(dir, "files", "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, "files", "dirlink")); err != nil {
		t.Fatal(err)
	}
	res := readAll(t, dir, Options{})
	if len(res.Records) != 1 || res.Records[0].ID != "a2" {
		t.Errorf("want only a2 loaded, got %+v", res.Records)
	}
	for _, q := range res.Quarantine {
		if !strings.Contains(q.Reason, "outside the harvest folder") {
			t.Errorf("line %d: reason %q does not say the symlink leaves the folder", q.Line, q.Reason)
		}
	}
	if len(res.Quarantine) != 2 {
		t.Errorf("want 2 quarantined, got %+v", res.Quarantine)
	}
}

func TestAttachmentFolderIsSymlink(t *testing.T) {
	real := writeFolder(t, map[string]string{"attachments.csv": "id,path\na1,files/x.txt\n", "files/x.txt": "x"})
	link := filepath.Join(t.TempDir(), "harvest")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if res := readAll(t, link, Options{}); len(res.Records) != 1 {
		t.Errorf("a harvest folder reached through a symlink must still hold its files: %+v", res.Quarantine)
	}
}

// TestLateInvalidUTF8: the encoding is decided on the whole file. An ASCII file whose only
// non-ASCII byte (past the first 64 KiB) is Latin-1 is Windows-1252; a UTF-8 file of names
// with one stray invalid sequence stays UTF-8, quarantines only that row and garbles nothing.
func TestLateInvalidUTF8(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,first_name\n")
	for i := 0; b.Len() < sniffBytes+100; i++ {
		b.WriteString("p" + strings.Repeat("x", 20) + strconv.Itoa(i) + ",Ann\n")
	}
	b.WriteString("late,M\xfcller\n")
	b.WriteString("after,Bob\n")
	dir := writeFolder(t, map[string]string{"people.csv": b.String()})
	res := readAll(t, dir, Options{})
	if got := res.Stats.Files[0].Encoding; got != EncodingWindows || len(res.Quarantine) != 0 {
		t.Fatalf("encoding %s (%s), %d quarantined; want windows-1252, none", got, res.Stats.Files[0].EncodingWhy, len(res.Quarantine))
	}
	for _, r := range res.Records {
		if r.ID == "late" && r.Fields["first_name"] != "Müller" {
			t.Errorf("late row decoded as %q", r.Fields["first_name"])
		}
	}

	b.Reset()
	b.WriteString("id,first_name\n")
	names := []string{"Zoë", "Jürgen", "Søren", "Inês", "Łukasz", "Renée"}
	for i := range 60 {
		b.WriteString("p" + strconv.Itoa(i) + "," + names[i%len(names)] + "\n")
	}
	b.WriteString("stray,Bj\xf6rn\n")
	b.WriteString("after,Zoë\n")
	dir = writeFolder(t, map[string]string{"people.csv": b.String()})
	res = readAll(t, dir, Options{})
	if got := res.Stats.Files[0].Encoding; got != EncodingUTF8 {
		t.Fatalf("encoding %s (%s), want utf-8", got, res.Stats.Files[0].EncodingWhy)
	}
	if len(res.Quarantine) != 1 || res.Quarantine[0].Line != 62 || res.Quarantine[0].Column != "first_name" ||
		!strings.Contains(res.Quarantine[0].Reason, "not valid UTF-8 at byte 2") || !strings.Contains(res.Quarantine[0].Reason, "1 invalid") {
		t.Fatalf("want only the stray row quarantined at first_name, got %+v", res.Quarantine)
	}
	if len(res.Records) != 61 {
		t.Errorf("%d records, want 61", len(res.Records))
	}
	for _, r := range res.Records {
		if !utf8.ValidString(r.Fields["first_name"]) || strings.ContainsAny(r.Fields["first_name"], "ÃÅ") {
			t.Errorf("%s garbled: %q", r.ID, r.Fields["first_name"])
		}
	}

	forced := readAll(t, dir, Options{Encoding: "cp1252"})
	if len(forced.Quarantine) != 0 {
		t.Fatalf("with --encoding windows-1252 nothing is quarantined, got %+v", forced.Quarantine)
	}
}

// bufioReader reads a string.
func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

func TestRowLimit(t *testing.T) {
	long := strings.Repeat("y", 300)
	tests := []struct {
		name      string
		csv       string
		loaded    []string
		quarLines []int
		reason    string
	}{
		{"one long line", "id,notes\np1,a\np2," + long + "\np3,c\n", []string{"p1", "p3"}, []int{3}, "longer than the 256-byte limit"},
		{"long quoted field over lines closes", "id,notes\np1,\"" + strings.Repeat("line\n", 80) + "\"\np2,b\n", []string{"p2"}, []int{2},
			"row is longer than the 256-byte limit (a quoted field runs from line 2 to line 82)"},
		{"long unclosed quote meets a stray quote", "id,notes\np1,\"" + strings.Repeat("l,x\n", 80) + "p2,\"b\"\np3,c\n", []string{"p2", "p3"}, []int{2},
			"runs past the 256-byte row limit and spans lines and meets a stray quote at line 82; lines 2-81 are quarantined"},
		{"long unclosed quote to the end", "id,notes\np1,\"" + strings.Repeat("l,x\n", 80), nil, []int{2},
			"is not closed before the end of the file; lines 2-81 are quarantined"},
		{"unclosed quote recovers within the limit", "id,notes\np1,\"open\np2,b\np3,c\n", []string{"p2", "p3"}, []int{2}, "not closed before the end"},
		{"long last line without newline", "id,notes\np1," + long, nil, []int{2}, "longer than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := readAll(t, writeFolder(t, map[string]string{"people.csv": tc.csv}), Options{MaxRowBytes: 256})
			var ids []string
			for _, r := range res.Records {
				ids = append(ids, r.ID)
			}
			if diff := cmp.Diff(tc.loaded, ids); diff != "" {
				t.Errorf("loaded ids (-want +got):\n%s", diff)
			}
			var lines []int
			for _, q := range res.Quarantine {
				lines = append(lines, q.Line)
				if !strings.Contains(q.Reason, tc.reason) {
					t.Errorf("reason %q, want it to contain %q", q.Reason, tc.reason)
				}
				if len(q.Raw) > 300 {
					t.Errorf("raw kept %d bytes, more than the row limit", len(q.Raw))
				}
			}
			if diff := cmp.Diff(tc.quarLines, lines); diff != "" {
				t.Errorf("quarantined lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParserCells(t *testing.T) {
	tests := []struct {
		in   string
		want [][]string
	}{
		{"a,b,c\n", [][]string{{"a", "b", "c"}}},
		{"a,b,c\r\nd,e,f", [][]string{{"a", "b", "c"}, {"d", "e", "f"}}},
		{"a,,\n", [][]string{{"a", "", ""}}},
		{"\"a,b\",\"c\"\"d\"\n", [][]string{{"a,b", "c\"d"}}},
		{"\"x\r\ny\",z\r\n", [][]string{{"x\ny", "z"}}},
		{"a\"b,c\n", [][]string{{"a\"b", "c"}}},
		{"\"a\"b\",c\n", [][]string{{"a\"b", "c"}}},
		{"\"\",\"\"\n", [][]string{{"", ""}}},
		{"\n\na\n\n", [][]string{{"a"}}},
		{"\"a\"\r\n", [][]string{{"a"}}},
	}
	for _, tc := range tests {
		src := &lineSource{br: bufioReader(tc.in), max: 1 << 10}
		p := &csvParser{src: src, delim: ',', max: 1 << 10}
		var got [][]string
		for {
			row, err := p.next()
			if err != nil {
				break
			}
			if row.bad != nil {
				t.Errorf("%q: unexpected problem %s", tc.in, row.bad.reason)
			}
			got = append(got, slices.Clone(row.cells))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		header string
		want   byte
	}{
		{"id,name,email", ','},
		{"id;name;email", ';'},
		{"id\tname\temail", '\t'},
		{"\"a;b\",c,d", ','},
		{"\"a,b,c\";d;e", ';'},
		{"id", ','},
		{"a,b;c", ','},
		{"a;b,c;d", ';'},
		{"Record ID|Full name|Email", '|'},
		{"\"a|b\",c,d", ','},
	}
	for _, tc := range tests {
		if got := sniffDelimiter(tc.header); got != tc.want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestFileNamesIgnoreCase(t *testing.T) {
	dir := writeFolder(t, map[string]string{"People.csv": "id\np1\n", "DEALS.CSV": "id,name\nd1,X\n",
		"owners.csv": "id\no1\n", "Owners.csv": "id\no2\n", "leads.csv": "id\n"})
	res := readAll(t, dir, Options{})
	var origins []string
	for _, r := range res.Records {
		origins = append(origins, r.Origin)
	}
	if diff := cmp.Diff([]string{"owners.csv:2", "People.csv:2", "DEALS.CSV:2"}, origins); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Owners.csv", "leads.csv"}, res.Stats.Unrecognized); diff != "" {
		t.Errorf("unrecognized (-want +got):\n%s", diff)
	}
}
