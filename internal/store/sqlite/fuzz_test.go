package sqlite

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/source"
	"ferry/internal/store"
)

// FuzzRecordRoundTrip puts one record made of arbitrary text (ids and field values come from
// outside: CSV cells, API payloads) and checks that it reads back exactly, or was refused with a
// validation error and nothing written.
func FuzzRecordRoundTrip(f *testing.F) {
	f.Add("p1", "email", "a@x.com", "people.csv:2")
	f.Add("c\x00d", "custom.Größe", "line\r\nbreak \"quoted\" \u2028", "")
	f.Add("p\xff", "name", "Caf\xe9", "x")
	f.Add("", "k", "v", "")
	s := newTemp(f)
	f.Fuzz(func(t *testing.T, id, key, value, origin string) {
		rec := source.Record{Kind: source.Person, ID: id, Channel: source.Harvest, Origin: origin,
			Fields: map[string]string{key: value, "fixed": "1"}}
		_, err := s.PutRecords(t.Context(), []source.Record{rec})
		valid := id != "" && utf8.ValidString(id) && utf8.ValidString(key) && utf8.ValidString(value)
		if !valid {
			if err == nil {
				t.Fatalf("record %q {%q: %q} was accepted", id, key, value)
			}
			return
		}
		if err != nil {
			t.Fatalf("put %q: %v", id, err)
		}
		got, err := s.GetRecord(t.Context(), source.Person, id)
		if errors.Is(err, store.ErrNotFound) || err != nil {
			t.Fatalf("get %q: %v", id, err)
		}
		if d := cmp.Diff(rec, got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("record read back differs (-put +got):\n%s", d)
		}
	})
}
