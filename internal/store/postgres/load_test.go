package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// shuffled returns benchRecords in a random (seeded) order, as ids arrive from a source.
func shuffled(p string, n int) []source.Record {
	recs := benchRecords(p, n)
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	return recs
}

func putAll(recs []source.Record) func(func(source.Record) error) error {
	return func(put func(source.Record) error) error {
		for _, r := range recs {
			if err := put(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestLoadRecordsReadsBackLikePut loads shuffled records and compares every record and hash
// with what PutRecords stores for the same input.
func TestLoadRecordsReadsBackLikePut(t *testing.T) {
	recs := shuffled("p", 3000)
	loaded, put := openFresh(t), openFresh(t)
	n, err := loaded.LoadRecords(t.Context(), putAll(recs))
	if err != nil || n != len(recs) {
		t.Fatalf("LoadRecords = %d, %v; want %d, nil", n, err, len(recs))
	}
	if _, err := put.PutRecords(t.Context(), recs); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(dump(t, put), dump(t, loaded)); diff != "" {
		t.Errorf("loaded snapshot differs from the put one (-put +loaded):\n%s", diff)
	}
	res, err := loaded.PutRecords(t.Context(), recs[:10])
	if err != nil || res.Unchanged != 10 {
		t.Errorf("re-put of loaded records = %+v, %v; want 10 unchanged (same hash)", res, err)
	}
}

// dump reads every record of the store with its hash, in key order.
func dump(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	err := s.EachRecord(t.Context(), "", func(r source.Record) error {
		var hash string
		if err := s.r.QueryRow(`SELECT hash FROM records WHERE kind = $1 AND id = $2`, r.Kind, r.ID).Scan(&hash); err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s/%s %s %s %v %s", r.Kind, r.ID, r.Channel, r.Origin, r.Fields, hash))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLoadRecordsAllOrNothing checks that a bad record anywhere leaves the store as it was and
// that the error names what was wrong.
func TestLoadRecordsAllOrNothing(t *testing.T) {
	stop := errors.New("source broke")
	good := benchRecords("g", 5)
	for _, tc := range []struct {
		name string
		recs []source.Record
		fail error
		want string
	}{
		{"no id", append(benchRecords("a", 3), source.Record{Kind: source.Person}), nil, "kind and id are required"},
		{"bad utf-8", append(benchRecords("a", 3), source.Record{Kind: source.Person, ID: "x",
			Fields: map[string]string{"name": "\xff"}}), nil, `field "name" is not valid UTF-8`},
		{"repeated id", append(benchRecords("a", 3), benchRecords("a", 1)...), nil, "already holds, or repeated"},
		{"id the store holds", benchRecords("g", 2), nil, "already holds, or repeated"},
		{"source error", benchRecords("a", 3), stop, "source broke"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openFresh(t)
			if _, err := s.PutRecords(t.Context(), good); err != nil {
				t.Fatal(err)
			}
			before := dump(t, s)
			_, err := s.LoadRecords(t.Context(), func(put func(source.Record) error) error {
				if err := putAll(tc.recs)(put); err != nil {
					return err
				}
				return tc.fail
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadRecords error = %v; want one containing %q", err, tc.want)
			}
			if tc.fail != nil && !errors.Is(err, tc.fail) {
				t.Errorf("error %v does not wrap the source's error", err)
			}
			if diff := cmp.Diff(before, dump(t, s)); diff != "" {
				t.Errorf("a failed load changed the store (-before +after):\n%s", diff)
			}
			if n, err := s.LoadRecords(t.Context(), putAll(benchRecords("later", 2))); err != nil || n != 2 {
				t.Errorf("a load after the failed one = %d, %v; want 2, nil (scratch table left behind?)", n, err)
			}
		})
	}
}

// TestLoadRecordsCancelled checks that a cancelled context stops the load and writes nothing.
func TestLoadRecordsCancelled(t *testing.T) {
	s := openFresh(t)
	ctx, cancel := context.WithCancel(t.Context())
	_, err := s.LoadRecords(ctx, func(put func(source.Record) error) error {
		for i, r := range benchRecords("c", 100) {
			if i == 50 {
				cancel()
			}
			if err := put(r); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("LoadRecords after cancel = %v; want context.Canceled", err)
	}
	if n, err := s.CountRecords(t.Context(), ""); err != nil || n != 0 {
		t.Errorf("records after a cancelled load = %d, %v; want 0", n, err)
	}
}

// TestBulkPutRecordsLikePut puts records over existing ones, with repeats in the stream, and
// compares the result with PutRecords of the same records in the same order.
func TestBulkPutRecordsLikePut(t *testing.T) {
	first := shuffled("p", 500)
	second := append(shuffled("p", 300), benchRecords("q", 50)...)
	for i := range 20 { // changed content for some, and a repeat of each: the last one wins
		r := second[i]
		r.Fields = map[string]string{"email": fmt.Sprintf("new%d@example.com", i)}
		second = append(second, r)
	}
	bulk, put := openFresh(t), openFresh(t)
	for _, recs := range [][]source.Record{first, second} {
		n, err := bulk.BulkPutRecords(t.Context(), putAll(recs))
		if err != nil || n != len(recs) {
			t.Fatalf("BulkPutRecords = %d, %v; want %d, nil", n, err, len(recs))
		}
		for _, r := range recs { // one at a time, so that repeats apply in order
			if _, err := put.PutRecords(t.Context(), []source.Record{r}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if diff := cmp.Diff(dump(t, put), dump(t, bulk)); diff != "" {
		t.Errorf("bulk put differs from PutRecords (-put +bulk):\n%s", diff)
	}
	var kept int
	if err := bulk.r.QueryRow(`SELECT count(*) FROM records a WHERE updated_at < (SELECT max(updated_at) FROM records)`).Scan(&kept); err != nil || kept == 0 {
		t.Errorf("records whose content did not change = %d, %v; want their updated_at kept from the first put", kept, err)
	}
	if _, err := bulk.BulkPutRecords(t.Context(), putAll([]source.Record{{Kind: source.Person}})); err == nil {
		t.Error("BulkPutRecords took a record without an id")
	}
}

// benchRecords makes n person records with ids prefixed by p, as the SQLite store's tests do.
func benchRecords(p string, n int) []source.Record {
	recs := make([]source.Record, n)
	for i := range recs {
		recs[i] = source.Record{Kind: source.Person, ID: fmt.Sprintf("%s-%07d", p, i), Channel: source.Harvest,
			Origin: fmt.Sprintf("people.csv:%d", i+2), Fields: map[string]string{
				"first_name": "Ada", "last_name": fmt.Sprintf("Lovelace %d", i), "email": fmt.Sprintf("ada%d@example.com", i),
				"custom.Lead Source": "Conference",
			}}
	}
	return recs
}
