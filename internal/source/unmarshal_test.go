package source

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkLikeEncodingJSON fails when UnmarshalFields and json.Unmarshal disagree on data.
func checkLikeEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	var want map[string]string
	wantErr := json.Unmarshal(data, &want)
	got, err := UnmarshalFields(string(data))
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("UnmarshalFields(%q) error = %v; encoding/json says %v", data, err, wantErr)
	}
	if err == nil && !cmp.Equal(want, got, cmp.Comparer(func(a, b map[string]string) bool {
		return cmp.Equal(map[string]string(a), map[string]string(b)) && (a == nil) == (b == nil)
	})) {
		t.Fatalf("UnmarshalFields(%q) = %#v; encoding/json gives %#v", data, got, want)
	}
}

var unmarshalCases = []string{
	`{}`, ` { } `, `null`, `{"a":"b"}`, `{"a":"b","c":""}`, `{ "a" : "b" , "c" : "d" }`,
	`{"a":"b","a":"c"}`, `{"html":"\u003cdiv\u003eA \u0026amp; B\u003c/div\u003e"}`,
	`{"q":"say \"hi\"\\ \/ \b\f\n\r\t"}`, `{"emoji":"\ud83d\ude00"}`, `{"lone":"\ud83d"}`,
	`{"raw":"Chloë — 東京 😀"}`, "{\"bad\":\"\xff\"}", "{\"ctl\":\"a\x01\"}", `{"n":1}`, `{"n":null}`,
	`{"a":"b",}`, `{"a":"b"`, `{"a"}`, `{"a":"b"} x`, `["a"]`, `{"a":"\x"}`, `{"a":"\u12"}`,
	`{"a":"\u00e9\u2028"}`, `{"a":["b"]}`, `{"a":"b"}{}`, ``, `{"a` + "\n" + `":"b"}`,
}

func TestUnmarshalFieldsLikeEncodingJSON(t *testing.T) {
	for _, c := range unmarshalCases {
		t.Run(c, func(t *testing.T) { checkLikeEncodingJSON(t, []byte(c)) })
	}
}

// TestUnmarshalFieldsRoundTrip reads back what MarshalFields writes.
func TestUnmarshalFieldsRoundTrip(t *testing.T) {
	in := map[string]string{"body": "<p>Hi & bye</p>\n\t\"quoted\" \\ \u2028", "custom.Lead Source": "Web",
		"emoji": "😀", "empty": "", "ctl": "\x00\x1f"}
	b, err := MarshalFields(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalFields(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, got); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
	if _, ok := fastFields(string(b)); !ok {
		t.Errorf("MarshalFields output %q took the slow path", b)
	}
}

func FuzzUnmarshalFields(f *testing.F) {
	for _, c := range unmarshalCases {
		f.Add([]byte(c))
	}
	f.Fuzz(checkLikeEncodingJSON)
}

// BenchmarkUnmarshalFields compares the fast path with encoding/json on an interaction record.
func BenchmarkUnmarshalFields(b *testing.B) {
	data := (`{"channel":"email","created_at":"2026-05-09T18:11:18Z","created_by":"usr_2cg5m6bqsrd8k","direction":"OUTBOUND","id":"int_0000572fc0gtg","interaction_date":"2026-05-09T16:28:18Z","person_ids":"per_2so9j8du9bjop","summary":"\u003cdiv\u003eRe: a discount request\u003cbr\u003eThey asked for a call \u0026amp; a quote.\u003c/div\u003e","title":"email: integration with SAP","type":"EMAIL"}`)
	b.Run("fields", func(b *testing.B) {
		for b.Loop() {
			if _, err := UnmarshalFields(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			var m map[string]string
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
