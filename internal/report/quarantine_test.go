package report

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
	"ferry/internal/store"
)

func TestQuarantineClass(t *testing.T) {
	tests := []struct{ in, want string }{
		{"row has 26 cells but the header has 24; the extra value is in column 25", "row has N cells but the header has N"},
		{`duplicate id "per_1", first seen at line 2`, `duplicate id "…", first seen at line N`},
		{`attachment path "../secret.txt" leaves the harvest folder; keep attachments under files/`, `attachment path "…" leaves the harvest folder`},
		{"no id: the id column is empty", "no id: the id column is empty"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := QuarantineClass(tc.in); got != tc.want {
			t.Errorf("QuarantineClass(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWriteQuarantined: every row extraction quarantined is listed (the engine's mapping
// rows are not), grouped by object, file and reason class; an accepted row is listed with
// the reason that accepts it and not counted as lost; without rows a stale file is removed.
func TestWriteQuarantined(t *testing.T) {
	dir := t.TempDir()
	items := []store.QuarantineItem{
		{Kind: source.Person, File: "people.csv", Line: 4, Column: "column 7", Reason: "row has 8 cells but the header has 6; x", Raw: "=1+1,a"},
		{Kind: source.Person, File: "people.csv", Line: 9, Column: "column 7", Reason: "row has 7 cells but the header has 6; x", Raw: "p9,b"},
		{Kind: source.Company, File: "companies.csv", Line: 3, Column: "id", Reason: `duplicate id "c1", first seen at line 2`, Raw: "c1,Acme"},
		{Kind: source.Person, File: "people.csv", Line: 5, Reason: "mapping: person.email: not a valid email", Raw: "klipy id p5"},
	}
	accept := func(class string) (string, bool) { return "duplicate id", strings.Contains(class, "duplicate id") }
	q, err := WriteQuarantined(dir, items, accept)
	if err != nil {
		t.Fatal(err)
	}
	want := Quarantined{Rows: 3, Accepted: 1, File: filepath.Join(dir, QuarantineFile), Groups: []QuarantineGroup{
		{Kind: source.Person, File: "people.csv", Reason: "row has N cells but the header has N", Count: 2}}}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("WriteQuarantined (-want +got):\n%s", diff)
	}
	fi, err := os.Stat(q.File)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, mode %v; want 0600", q.File, err, fi.Mode().Perm())
	}
	data, _ := os.ReadFile(q.File)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(bom)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{quarantineHeader,
		{"person", "people.csv", "4", "column 7", "row has 8 cells but the header has 6; x", "'=1+1,a", ""},
		{"person", "people.csv", "9", "column 7", "row has 7 cells but the header has 6; x", "p9,b", ""},
		{"company", "companies.csv", "3", "id", `duplicate id "c1", first seen at line 2`, "c1,Acme", "duplicate id"},
	}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("%s (-want +got):\n%s", QuarantineFile, diff)
	}
	q, err = WriteQuarantined(dir, items[3:], nil)
	if err != nil || q.Rows != 0 || q.File != "" {
		t.Fatalf("WriteQuarantined of mapping rows only = %+v, %v; want nothing", q, err)
	}
	if _, err := os.Stat(filepath.Join(dir, QuarantineFile)); !os.IsNotExist(err) {
		t.Errorf("the stale %s is still there: %v", QuarantineFile, err)
	}
}
