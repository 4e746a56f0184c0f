package gen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

func TestWriteHarvestDeterministic(t *testing.T) {
	write := func(seed int64) string {
		dir := t.TempDir()
		d := New(Config{People: 3*chunkSize + 17, Seed: seed}) // several parallel chunks
		if _, err := d.WriteHarvest(dir); err != nil {
			t.Fatal(err)
		}
		return hashTree(t, dir)
	}
	a, b, c := write(7), write(7), write(8)
	if a != b {
		t.Errorf("same seed gave different folders: %s vs %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 gave the same folder %s", a)
	}
}

func TestKeyEqualsWrittenKey(t *testing.T) {
	fx := sharedHarvest(t)
	raw, err := os.ReadFile(filepath.Join(fx.dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	var onDisk Key
	if err := json.Unmarshal(raw, &onDisk); err != nil {
		t.Fatal(err)
	}
	fresh := New(Config{People: fixturePeople, Seed: 42}).Key()
	// Round-trip the in-memory key through JSON so nil and empty compare alike.
	var want Key
	b, _ := json.Marshal(fresh)
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, onDisk); diff != "" {
		t.Errorf("Key() differs from answer-key.json (-Key +file):\n%s", diff)
	}
}

// TestFilesMatchKey re-reads every CSV and checks counts, row totals and that each row is a
// record Each also yields.
func TestFilesMatchKey(t *testing.T) {
	fx := sharedHarvest(t)
	for _, kind := range source.Kinds {
		name := source.HarvestFile[kind]
		t.Run(name, func(t *testing.T) {
			tab := readCSV(t, filepath.Join(fx.dir, name))
			_, headers := columns(kind)
			if diff := cmp.Diff(headers, tab.header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if got, want := len(tab.rows), fx.key.Files[name].Rows; got != want {
				t.Errorf("%d data rows, key says %d", got, want)
			}
			fromFile := tab.records(kind)
			n := 0
			err := fx.d.Each(kind, func(r source.Record) error {
				n++
				if diff := cmp.Diff(r.Fields, fromFile[r.ID]); diff != "" {
					t.Errorf("record %s: Each vs file (-Each +file):\n%s", r.ID, diff)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(fromFile) != n {
				t.Errorf("file has %d well-formed ids, Each yields %d", len(fromFile), n)
			}
			want := fx.key.Records[kind]
			if kind == source.Deal {
				want -= fx.key.Distinct.LiveDeals
			}
			if n != want {
				t.Errorf("Each yields %d, key counts %d", n, want)
			}
		})
	}
}

func TestFileFormats(t *testing.T) {
	fx := sharedHarvest(t)
	for name, f := range fx.key.Files {
		raw, err := os.ReadFile(filepath.Join(fx.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.HasPrefix(raw, []byte("\uFEFF")); got != f.BOM {
			t.Errorf("%s: BOM %v, key says %v", name, got, f.BOM)
		}
		crlf := bytes.Count(raw, []byte("\r\n"))
		lfs := bytes.Count(raw, []byte("\n"))
		if f.EOL == "CRLF" && crlf != lfs {
			t.Errorf("%s: %d of %d line ends are CRLF, key says all", name, crlf, lfs)
		}
		if f.EOL == "LF" && crlf != 0 {
			t.Errorf("%s: %d CRLF line ends, key says LF", name, crlf)
		}
	}
	if f := fx.key.Files["tasks.csv"]; !f.BOM || f.EOL != "CRLF" {
		t.Errorf("tasks.csv format %+v, want BOM and CRLF", f)
	}
}

// TestBrokenRowsAreWhereKeySays looks at each broken row's line and checks its defect.
func TestBrokenRowsAreWhereKeySays(t *testing.T) {
	fx := sharedHarvest(t)
	reasons := map[string]bool{}
	for _, b := range fx.key.BrokenRows {
		tab := readCSV(t, filepath.Join(fx.dir, b.File))
		row := tab.byLine(b.Line)
		if row == nil {
			t.Errorf("%+v: no row starts on that line", b)
			continue
		}
		col := func(h string) string { return row[indexOf(tab.header, h)] }
		var ok bool
		switch {
		case b.Reason == "row without id":
			ok = row[0] == "" && b.Stage == StageHarvest
		case strings.HasPrefix(b.Reason, "row has"):
			ok = len(row) > len(tab.header) && b.Stage == StageHarvest
		case strings.HasPrefix(b.Reason, "id repeats"):
			ok = row[0] == b.ID && countID(tab, b.ID) == 2 && b.Stage == StageHarvest
		case strings.HasPrefix(b.Reason, "invalid email"):
			ok = strings.Contains(col("Email"), "@@") && b.Stage == StageMapping
		case strings.HasPrefix(b.Reason, "unparseable date"):
			ok = col("created_at") == "31/02/2024 25:61" && b.Stage == StageMapping
		case strings.HasPrefix(b.Reason, "path escapes"):
			ok = strings.HasPrefix(col("path"), "../") && b.Stage == StageHarvest
		case strings.HasPrefix(b.Reason, "file missing"):
			_, err := os.Stat(filepath.Join(fx.dir, col("path")))
			ok = os.IsNotExist(err) && b.Stage == StageHarvest
		}
		if !ok {
			t.Errorf("%+v: row %q does not show that defect", b, row)
		}
		reasons[strings.Fields(b.Reason)[0]+" "+strings.Fields(b.Reason)[1]] = true
	}
	if len(reasons) != 7 {
		t.Errorf("want 7 kinds of broken rows, got %v", reasons)
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func countID(tab csvTable, id string) int {
	n := 0
	for _, r := range tab.rows {
		if r[0] == id {
			n++
		}
	}
	return n
}

func TestAttachmentFiles(t *testing.T) {
	fx := sharedHarvest(t)
	tab := readCSV(t, filepath.Join(fx.dir, "attachments.csv"))
	problems := map[string]string{}
	for _, p := range fx.key.Attachments.NotUploadable {
		problems[p.ID] = p.Reason
	}
	good := 0
	for id, f := range tab.records(source.Attachment) {
		reason := problems[id]
		if reason == AttachEscapes || reason == AttachMissing {
			continue
		}
		path := filepath.Join(fx.dir, filepath.FromSlash(f["path"]))
		st, err := os.Stat(path)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if got := st.Size(); f["size_bytes"] != itoa(got) {
			t.Errorf("%s: file has %d bytes, csv says %s", id, got, f["size_bytes"])
		}
		if reason == AttachTooLarge {
			if st.Size() <= UploadLimitBytes {
				t.Errorf("%s: too-large file is only %d bytes", id, st.Size())
			}
			continue
		}
		raw, _ := os.ReadFile(path)
		sum := sha256.Sum256(raw)
		if hex.EncodeToString(sum[:]) != f["sha256"] {
			t.Errorf("%s: sha256 of file differs from csv", id)
		}
		if reason == "" {
			good++
		}
	}
	if good != fx.key.Attachments.Uploadable {
		t.Errorf("%d uploadable files on disk, key says %d", good, fx.key.Attachments.Uploadable)
	}
	if len(problems) != 4 {
		t.Errorf("want 4 problem attachments, got %v", problems)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestWriteHarvestErrors(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"", filepath.Join(blocker, "harvest")} {
		if _, err := New(Config{People: 5}).WriteHarvest(dir); err == nil {
			t.Errorf("WriteHarvest(%q) succeeded, want an error", dir)
		} else if dir != "" && !strings.Contains(err.Error(), dir) {
			t.Errorf("error %q does not name the folder %s", err, dir)
		}
	}
}
