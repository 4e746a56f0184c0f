package gen

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"ferry/internal/source"
)

// csvTable is a harvest file read back: the header and each row with its first line.
type csvTable struct {
	header []string
	rows   [][]string
	lines  []int
	raw    []byte
}

func readCSV(t *testing.T, path string) csvTable {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	tab := csvTable{raw: raw}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		if tab.header == nil {
			tab.header = rec
			continue
		}
		tab.rows, tab.lines = append(tab.rows, rec), append(tab.lines, line)
	}
	return tab
}

// byLine returns the row starting on line, or nil.
func (tab csvTable) byLine(line int) []string {
	for i, l := range tab.lines {
		if l == line {
			return tab.rows[i]
		}
	}
	return nil
}

// records turns the well-formed rows into field maps keyed by canonical names.
func (tab csvTable) records(kind source.Kind) map[string]map[string]string {
	fields, _ := columns(kind)
	out := map[string]map[string]string{}
	for _, row := range tab.rows {
		if len(row) != len(fields) || row[0] == "" {
			continue
		}
		if _, dup := out[row[0]]; dup {
			continue // the first row of an id wins; later ones are the broken duplicates
		}
		m := map[string]string{}
		for i, f := range fields {
			if row[i] != "" {
				m[f] = row[i]
			}
		}
		out[row[0]] = m
	}
	return out
}

// hashTree hashes every file's relative path and content under dir. Of files past the upload
// limit (the sparse too-large attachment) it hashes the size and the first megabyte only.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", rel, st.Size())
		limit := st.Size()
		if limit > UploadLimitBytes {
			limit = 1 << 20
		}
		_, err = io.Copy(h, io.LimitReader(f, limit))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// harvestFixture writes one small harvest shared by the read-only tests.
type harvestFixture struct {
	dir string
	key Key
	d   *Dataset
}

var (
	fixtureOnce sync.Once
	fixture     harvestFixture
	fixtureErr  error
)

// fixturePeople is the size of the shared harvest; GEN_TEST_PEOPLE overrides it for a
// deeper (slower) check.
var fixturePeople = func() int {
	if n, err := strconv.Atoi(os.Getenv("GEN_TEST_PEOPLE")); err == nil && n > 0 {
		return n
	}
	return 400
}()

func sharedHarvest(t *testing.T) harvestFixture {
	t.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gen-harvest-")
		if err != nil {
			fixtureErr = err
			return
		}
		d := New(Config{People: fixturePeople, Seed: 42})
		k, err := d.WriteHarvest(dir)
		fixture, fixtureErr = harvestFixture{dir: dir, key: k, d: d}, err
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixture
}

func readClusterLines(t *testing.T, path string) []ClusterLine {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []ClusterLine
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var c ClusterLine
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("%s: %v in %q", path, err, l)
		}
		out = append(out, c)
	}
	return out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}
