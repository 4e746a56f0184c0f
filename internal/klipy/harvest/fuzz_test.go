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

// FuzzProposeColumns splits arbitrary text into header cells and one sample row: the
// proposal never panics, maps every non-blank cell to a field of the kind or a custom field,
// never lets two columns share a field, keeps confidences in [0, 1], and proposing again with
// its own answer as the confirmed map changes nothing.
func FuzzProposeColumns(f *testing.F) {
	for _, kind := range source.Kinds {
		f.Add(strings.Join(TemplateHeader(kind), ","), "")
	}
	f.Add("ID,FirstName,last-name,E-mail,,Lead Source,lead source", "1,Ada,L,ada@x.io,,web,web")
	f.Add("\ufeffid,Company Name,  Domain ,Size,\x00,é,É", "F-1,Acme,acme.com,11-50,,,")
	f.Add("Kontakt-E-Mail,Datum (ms),Wert (EUR),Land,Notizen", "a@b.de,1707121800000,\"1.234,56\",DE,x")
	f.Add("Email,Email,Work Email,Website,Portal", "a@b.io,c@d.io,e@f.io,https://a.io,www.b.io")
	f.Fuzz(func(t *testing.T, header, row string) {
		cells := strings.Split(header, ",")
		sample := [][]string{strings.Split(row, ",")}
		for _, kind := range source.Kinds {
			fc := proposeColumns(kind, "f.csv", cells, sample, nil)
			fields := map[string]bool{}
			for i, c := range fc.Columns {
				switch {
				case c.Field == "":
					if cleanHeader(cells[i]) != "" {
						t.Fatalf("non-blank header %q left without a field", cells[i])
					}
				case strings.HasPrefix(c.Field, source.CustomPrefix):
				case !slices.Contains(source.Standard[kind], c.Field):
					t.Fatalf("%s: %q mapped to unknown field %q", kind, cells[i], c.Field)
				}
				if c.Field != "" && fields[strings.ToLower(c.Field)] {
					t.Fatalf("%s: two columns mean %s", kind, c.Field)
				}
				fields[strings.ToLower(c.Field)] = true
				if c.Confidence < 0 || c.Confidence > 1 || len(c.Samples) > maxSamples {
					t.Fatalf("%s: %q confidence %v, %d samples", kind, cells[i], c.Confidence, len(c.Samples))
				}
			}
			again := proposeColumns(kind, "f.csv", cells, sample, &fc)
			for i := range fc.Columns {
				if again.Columns[i].Field != fc.Columns[i].Field {
					t.Fatalf("%s: confirmed %q as %q, re-read as %q", kind, cells[i], fc.Columns[i].Field, again.Columns[i].Field)
				}
			}
		}
	})
}
