package report

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMDText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a|b", `a\|b`},
		{"line\nbreak\r\nhere", "line break here"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"`code`", "\\`code\\`"},
		{`back\slash`, `back\\slash`},
		{`=HYPERLINK("http://evil")`, `=HYPERLINK("http://evil")`},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMDTable(t *testing.T) {
	rows := func(n int) [][]string {
		var out [][]string
		for i := range n {
			out = append(out, []string{fmt.Sprint(i), "x|y"})
		}
		return out
	}
	tests := []struct {
		name      string
		rows      [][]string
		wantLines int
		wantTail  string
	}{
		{"empty", nil, 1, "Nothing here."},
		{"one row", rows(1), 3, "| 0 | x\\|y |"},
		{"exactly the limit", rows(mdRows), mdRows + 2, fmt.Sprintf("| %d | x\\|y |", mdRows-1)},
		{"over the limit", rows(mdRows + 7), mdRows + 4, "…and 7 more rows in `t.csv`."},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		mdTable(&b, Table{Name: "t", Header: []string{"n", "v"}, Rows: tt.rows}, "Nothing here.")
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != tt.wantLines || lines[len(lines)-1] != tt.wantTail {
			t.Errorf("%s: %d lines ending %q, want %d ending %q", tt.name, len(lines), lines[len(lines)-1], tt.wantLines, tt.wantTail)
		}
	}
}

func TestFillFieldCodes(t *testing.T) {
	r := &Report{
		SchemaCreated: []SchemaItem{
			{What: "field", Detail: "person", DestID: "aaa", Name: "Lead  source"},
			{What: "field", Detail: "deal", DestID: "bbb", Name: "Score"},
			{What: "field", Detail: "person", DestID: "ccc"}, // no name journaled
			{What: "field", Detail: "person", DestID: "ddd", Name: "Gone", Undone: true},
		},
		Fields: FieldMapping{Rows: []FieldRow{
			{Entity: "person", PipedriveField: "Lead Source", Custom: true},
			{Entity: "person", PipedriveField: "Score", Custom: true},
			{Entity: "person", PipedriveField: "Kept", Custom: true, FieldCode: "existing"},
			{Entity: "person", PipedriveField: "Gone", Custom: true},
			{Entity: "person", PipedriveField: "name"},
		}},
	}
	if err := fillFieldCodes(context.Background(), nil, r, planFiles{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Fields.Rows {
		got = append(got, f.FieldCode)
	}
	if diff := cmp.Diff([]string{"aaa", "", "existing", "", ""}, got); diff != "" {
		t.Errorf("field codes (-want +got):\n%s", diff)
	}
}
