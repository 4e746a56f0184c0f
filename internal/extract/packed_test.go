package extract

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// checkPacked checks that packed fields decode to the same map, encode to the JSON
// source.MarshalFields writes and hash as source.Record.Hash does.
func checkPacked(t *testing.T, r source.Record) {
	t.Helper()
	packed, hash := packFields(r.Kind, r.ID, r.Fields)
	if want := r.Hash(); hash != want {
		t.Errorf("hash of %+v = %s, want %s", r, hash, want)
	}
	got, err := unpackFields(packed)
	if err != nil {
		t.Fatal(err)
	}
	want := r.Fields
	if want == nil {
		want = map[string]string{}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unpacked fields (-want +got):\n%s", diff)
	}
	js, err := packedJSON(packed)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := source.MarshalFields(want)
	if js != string(wantJSON) {
		t.Errorf("JSON %s, want %s", js, wantJSON)
	}
}

func TestPackedFields(t *testing.T) {
	for _, r := range []source.Record{
		{Kind: source.Person, ID: "p"},
		{Kind: source.Person, ID: "p", Fields: map[string]string{"email": "a@b.c", "z": "<b>&</b>", "a": "\u2028\x00\xff"}},
		{Kind: source.Note, ID: "n", Fields: map[string]string{"body": string(make([]byte, 300))}},
	} {
		checkPacked(t, r)
	}
	if _, err := unpackFields("\x05ab"); err == nil {
		t.Error("truncated packed fields decoded without an error")
	}
}

func FuzzPackedFields(f *testing.F) {
	f.Add("k", "v", "k2", "<v2>")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		checkPacked(t, source.Record{Kind: source.Deal, ID: "d", Fields: map[string]string{k1: v1, k2: v2}})
	})
}
