package harvest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

// fuzzSeeds are the golden fixtures' people-like files plus a few hand-made oddities.
func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"basic/people.csv", "broken/people.csv", "windows1252/people.csv",
		"utf16/people.csv", "bom_crlf/tasks.csv", "headers/people.csv", "tab/deals.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "cases", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint16(0))
		f.Add(data, uint16(40))
	}
	f.Add([]byte("id\n\"\n\"\"\n"), uint16(8))
	f.Add([]byte("id,a\np1,\"x\ny\"\"\n\"z\np2,\"\"\n"), uint16(12))
	f.Add([]byte("\xff\xfei\x00d\x00\n\x00p\x001\x00"), uint16(0))
}

// FuzzReadFile feeds arbitrary bytes as people.csv: Read never panics, the accounting
// identity holds, and every record has a unique, non-empty, trimmed id and known fields.
func FuzzReadFile(f *testing.F) {
	fuzzSeeds(f)
	root, err := filepath.EvalSymlinks(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, limit uint16) {
		var recs []source.Record
		var quar []store.QuarantineItem
		e := &env{ctx: context.Background(), dir: root, root: root, enc: EncodingAuto, max: DefaultMaxRowBytes,
			emit:       func(r source.Record) error { recs = append(recs, r); return nil },
			quarantine: func(q store.QuarantineItem) error { quar = append(quar, q); return nil }}
		if limit > 0 {
			e.max = 8 + int(limit)%2048
		}
		var fs FileStats
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("reading %d bytes took %v", len(data), d)
			}
		}()
		if err := e.readStream(source.Person, "people.csv", bytes.NewReader(data), &fs); err != nil {
			if _, ok := err.(fileError); !ok {
				t.Fatalf("unexpected error kind: %v", err)
			}
		}
		if fs.Rows != fs.Loaded+fs.Quarantined || fs.Loaded != len(recs) || fs.Quarantined != len(quar) {
			t.Fatalf("accounting: %+v, %d records, %d quarantined", fs, len(recs), len(quar))
		}
		checkFuzzRecords(t, recs, quar)
	})
}

// checkFuzzRecords asserts the invariants of emitted records and quarantine items.
func checkFuzzRecords(t *testing.T, recs []source.Record, quar []store.QuarantineItem) {
	seen := map[string]bool{}
	for _, r := range recs {
		if r.ID == "" || r.ID != strings.TrimSpace(r.ID) || seen[r.ID] {
			t.Fatalf("bad or repeated id %q", r.ID)
		}
		seen[r.ID] = true
		if r.Kind != source.Person || r.Channel != source.Harvest || !strings.HasPrefix(r.Origin, "people.csv:") {
			t.Fatalf("bad record envelope: %+v", r)
		}
		for k, v := range r.Fields {
			if v == "" || (!strings.HasPrefix(k, source.CustomPrefix) && !slices.Contains(source.Standard[source.Person], k)) {
				t.Fatalf("bad field %q=%q", k, v)
			}
		}
	}
	for _, q := range quar {
		if q.Line < 2 || q.Reason == "" || q.File != "people.csv" || len(q.Raw) > rawCap+16 {
			t.Fatalf("bad quarantine item: line %d reason %q raw %d bytes", q.Line, q.Reason, len(q.Raw))
		}
	}
}

// FuzzMatchHeaders splits arbitrary text into header cells: matching never panics, maps
// every cell to a canonical field of the kind, a custom field named by the header as
// written, or a blank column, and never lets two columns share a field.
func FuzzMatchHeaders(f *testing.F) {
	for _, kind := range source.Kinds {
		f.Add(strings.Join(TemplateHeader(kind), ","))
	}
	f.Add("ID,FirstName,last-name,E-mail,,Lead Source,lead source")
	f.Add("\ufeffid,Company Name,  Domain ,Size,\x00,é,É")
	f.Fuzz(func(t *testing.T, header string) {
		cells := strings.Split(header, ",")
		for _, kind := range source.Kinds {
			cols, err := matchHeaders(kind, cells)
			if err != nil {
				if !strings.Contains(err.Error(), "duplicate header") {
					t.Fatalf("unexpected error: %v", err)
				}
				continue
			}
			fields := map[string]bool{}
			for i, c := range cols {
				switch {
				case c.field == "":
					if cleanHeader(cells[i]) != "" {
						t.Fatalf("non-blank header %q left without a field", cells[i])
					}
				case strings.HasPrefix(c.field, source.CustomPrefix):
					if c.field != source.CustomPrefix+cleanHeader(cells[i]) {
						t.Fatalf("custom field %q for header %q", c.field, cells[i])
					}
				case !slices.Contains(source.Standard[kind], c.field):
					t.Fatalf("%s: %q mapped to unknown field %q", kind, cells[i], c.field)
				}
				if c.field != "" && fields[strings.ToLower(c.field)] {
					t.Fatalf("%s: two columns mean %s", kind, c.field)
				}
				fields[strings.ToLower(c.field)] = true
			}
		}
	})
}
