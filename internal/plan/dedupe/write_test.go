package dedupe

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
)

// TestWriteJSONLikeMarshalIndent checks WriteJSON byte for byte against json.MarshalIndent on a
// generated workspace (every section filled) and on an empty result.
func TestWriteJSONLikeMarshalIndent(t *testing.T) {
	full := run(t, genSource{gen.New(gen.Config{People: 300, Seed: 5})}, Options{DefaultRegion: "US"})
	if len(full.PersonClusters) == 0 || len(full.CompanyClusters) == 0 || len(full.NameVariants) == 0 {
		t.Fatalf("the dataset leaves sections empty: %+v", full.Stats)
	}
	empty := &Result{}
	empty.nonNil()
	for name, res := range map[string]*Result{"generated": full, "empty": empty, "nil slices": {}} {
		want, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := res.WriteJSON(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(string(append(want, '\n')), got.String()); diff != "" {
			t.Errorf("%s: WriteJSON differs from MarshalIndent (-want +got):\n%s", name, diff)
		}
	}
}

// TestReadJSONRoundTrip reads back what WriteJSON wrote, equal to json.Unmarshal's reading.
func TestReadJSONRoundTrip(t *testing.T) {
	res := run(t, genSource{gen.New(gen.Config{People: 300, Seed: 5})}, Options{DefaultRegion: "US"})
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var want Result
	if err := json.Unmarshal(b.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("ReadJSON differs from json.Unmarshal (-unmarshal +read):\n%s", diff)
	}
}

// TestReadJSONErrors checks that bad input names the member and element.
func TestReadJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`[]`, `want "{"`},
		{`{"person_clusters": {}}`, "person_clusters: want an array"},
		{`{"person_clusters": [{"kind": "person"}, {"members": 3}]}`, "person_clusters: element 1"},
		{`{"stats": {"people": "x"}}`, "stats"},
		{`{"person_clusters": [`, "person_clusters"},
	} {
		_, err := ReadJSON(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadJSON(%s) = %v; want an error containing %q", tc.in, err, tc.want)
		}
	}
	res, err := ReadJSON(strings.NewReader(`{"future_member": [1, 2], "company_clusters": null}`))
	if err != nil || res.CompanyClusters != nil {
		t.Errorf("unknown member and null array: %+v, %v; want them skipped and nil", res, err)
	}
}

func FuzzReadJSON(f *testing.F) {
	f.Add(`{"person_clusters": [{"kind": "person", "members": ["a", "b"]}], "stats": {}}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ReadJSON(strings.NewReader(in))
		var want Result
		wantErr := json.Unmarshal([]byte(in), &want)
		if err == nil && wantErr == nil {
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("ReadJSON(%q) differs from json.Unmarshal:\n%s", in, diff)
			}
		}
	})
}
