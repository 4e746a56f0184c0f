package source

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkMarshalLikeEncodingJSON fails when MarshalFields and json.Marshal write different bytes.
func checkMarshalLikeEncodingJSON(t *testing.T, f map[string]string) {
	t.Helper()
	want, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := MarshalFields(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Fatalf("MarshalFields(%q) differs from json.Marshal (-json +fields):\n%s", f, diff)
	}
}

func TestMarshalFieldsLikeEncodingJSON(t *testing.T) {
	for _, f := range []map[string]string{nil, {}, {"a": "b"}, {"b": "1", "a": "2", "é": "3", "A": "4"},
		{"html": "<p>Tom & \"Jerry\"</p>", "ctl": "\x00\x01\b\f\n\r\t\x1f\x7f", "sep": "a\u2028b\u2029c"},
		{"bad": "x\xffy\xc3", "\xfekey": "v", "emoji": "😀 — Chloë", "slash": `a\b/c`}} {
		checkMarshalLikeEncodingJSON(t, f)
	}
}

func FuzzMarshalFields(f *testing.F) {
	f.Add("k", "v", "k2", "<&>\u2028\x00\xff")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		checkMarshalLikeEncodingJSON(t, map[string]string{k1: v1, k2: v2})
	})
}

// BenchmarkMarshalFields compares MarshalFields with json.Marshal on a person record.
func BenchmarkMarshalFields(b *testing.B) {
	f := map[string]string{"first_name": "Chloë", "last_name": "O'Brien", "email": "chloe@example.com",
		"phone": "+44 20 7946 0958", "title": "Head of Engineering", "company_id": "cmp_09wx2buldj221",
		"tags": "vip;engineering", "created_at": "2024-05-01T10:00:00Z", "custom.Background": "<p>Met at the fair & more</p>"}
	b.Run("fields", func(b *testing.B) {
		for b.Loop() {
			MarshalFields(f)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(f)
		}
	})
}
