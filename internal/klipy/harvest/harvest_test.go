package harvest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
	"ferry/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// result is everything Read reports for a folder, as the golden files hold it.
type result struct {
	Stats      Stats                  `json:"stats"`
	Error      string                 `json:"error,omitempty"`
	Records    []source.Record        `json:"records"`
	Quarantine []store.QuarantineItem `json:"quarantine"`
}

// quarantined is a quarantine item without the fields the store assigns.
type quarantined struct {
	Kind   source.Kind `json:"kind"`
	File   string      `json:"file"`
	Line   int         `json:"line"`
	Column string      `json:"column,omitempty"`
	Reason string      `json:"reason"`
	Raw    string      `json:"raw"`
}

// goldenResult is what a golden file holds.
type goldenResult struct {
	Stats      Stats           `json:"stats"`
	Error      string          `json:"error,omitempty"`
	Records    []source.Record `json:"records"`
	Quarantine []quarantined   `json:"quarantine"`
}

// golden drops the store-assigned fields of quarantine items.
func golden(r result) goldenResult {
	g := goldenResult{Stats: r.Stats, Error: r.Error, Records: r.Records, Quarantine: []quarantined{}}
	for _, q := range r.Quarantine {
		g.Quarantine = append(g.Quarantine, quarantined{Kind: q.Kind, File: q.File, Line: q.Line,
			Column: q.Column, Reason: q.Reason, Raw: q.Raw})
	}
	return g
}

// readAll reads dir and collects everything.
func readAll(t testing.TB, dir string, opts Options) result {
	t.Helper()
	var res result
	st, err := Read(context.Background(), dir, opts,
		func(r source.Record) error { res.Records = append(res.Records, r); return nil },
		func(q store.QuarantineItem) error { res.Quarantine = append(res.Quarantine, q); return nil })
	res.Stats = st
	if err != nil {
		res.Error = err.Error()
	}
	checkAccounting(t, res)
	return res
}

// checkAccounting asserts rows = loaded + quarantined per file and that the callbacks saw
// exactly those counts, every record with an id.
func checkAccounting(t testing.TB, res result) {
	t.Helper()
	rows, loaded, quarantined := res.Stats.Totals()
	for _, f := range res.Stats.Files {
		if f.Rows != f.Loaded+f.Quarantined {
			t.Errorf("%s: rows %d != loaded %d + quarantined %d", f.File, f.Rows, f.Loaded, f.Quarantined)
		}
	}
	if rows != loaded+quarantined || loaded != len(res.Records) || quarantined != len(res.Quarantine) {
		t.Errorf("totals rows=%d loaded=%d quarantined=%d, callbacks saw %d records and %d quarantined",
			rows, loaded, quarantined, len(res.Records), len(res.Quarantine))
	}
	for _, r := range res.Records {
		if r.ID == "" {
			t.Errorf("record without id: %+v", r)
		}
	}
}

func TestReadGolden(t *testing.T) {
	cases := []struct {
		name string
		opts Options
	}{
		{name: "basic"},
		{name: "bom_crlf"},
		{name: "windows1252"},
		{name: "tab"},
		{name: "broken"},
		{name: "headers"},
		{name: "dup_header"},
		{name: "utf16"},
		{name: "attachments"},
		// hand-written cases of issue 11: '|' with CRLF and a quoted line break; French,
		// Spanish and Dutch headers without id columns (synthesized ids, a duplicate natural
		// key); one stray invalid byte in UTF-8; a quote never closed before a multi-line
		// field; a ZIP saved as notes.csv beside good files
		{name: "pipe"},
		{name: "foreign"},
		{name: "stray_utf8"},
		{name: "broken_multiline"},
		{name: "unreadable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := readAll(t, filepath.Join("testdata", "cases", tc.name), tc.opts)
			data, err := json.MarshalIndent(golden(got), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, '\n')
			path := filepath.Join("testdata", "golden", tc.name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(data)); diff != "" {
				t.Errorf("%s mismatch (-golden +got); run go test -update if intended:\n%s", path, diff)
			}
		})
	}
}

// writeFolder makes a harvest folder of the given files in a temp dir.
func writeFolder(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadFolderErrors(t *testing.T) {
	noop := func(source.Record) error { return nil }
	noq := func(store.QuarantineItem) error { return nil }
	if _, err := Read(context.Background(), filepath.Join(t.TempDir(), "nope"), Options{}, noop, noq); err == nil {
		t.Error("missing folder: want an error")
	}
	dir := writeFolder(t, map[string]string{"people.csv": "id\np1\n"})
	if _, err := Read(context.Background(), dir, Options{Encoding: "ebcdic"}, noop, noq); err == nil {
		t.Error("bad encoding option: want an error")
	}
	if _, err := Read(context.Background(), dir, Options{Delimiter: ':'}, noop, noq); err == nil {
		t.Error("bad delimiter option: want an error")
	}
	stop := errors.New("stop")
	_, err := Read(context.Background(), dir, Options{}, func(source.Record) error { return stop }, noq)
	if !errors.Is(err, stop) {
		t.Errorf("emit error: got %v, want it returned", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := writeFolder(t, map[string]string{"people.csv": "id\n" + string(bytes.Repeat([]byte("x\n"), 3000))})
	if _, err := Read(ctx, big, Options{}, noop, noq); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v", err)
	}
}

// TestReadDupHeaderAndNoID: a second column meaning email becomes a custom-field candidate
// and a file without an id column gets synthesized ids; nothing is refused.
func TestReadDupHeaderAndNoID(t *testing.T) {
	dir := filepath.Join("testdata", "cases", "dup_header")
	res := readAll(t, dir, Options{})
	if res.Error != "" {
		t.Fatalf("want no error, got %s", res.Error)
	}
	if len(res.Records) != 3 {
		t.Fatalf("want owner, person and deal loaded, got %+v", res.Records)
	}
	again := readAll(t, dir, Options{})
	for i, r := range res.Records {
		if again.Records[i].ID != r.ID {
			t.Errorf("id of %s changed between reads: %s, %s", r.Origin, r.ID, again.Records[i].ID)
		}
	}
	if deal := res.Records[2]; !strings.HasPrefix(deal.ID, SynthPrefix) || deal.Fields["name"] != "Deal" {
		t.Errorf("deal without id column: %+v", deal)
	}
	if p := res.Records[1]; p.Fields["custom.E-mail"] != "b@x.com" || p.Fields["email"] != "a@x.com" {
		t.Errorf("person with two email columns: %+v", p.Fields)
	}
}
