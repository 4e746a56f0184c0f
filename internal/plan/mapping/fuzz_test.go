package mapping

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzParse checks that Parse never panics and that any mapping it accepts survives
// Write and Parse unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte("version: 1\ndefault_region: DE\nobjects: []\n"))
	f.Add([]byte("objects:\n  - source: person\n    fields: [{source: x, skip: y}]\n"))
	f.Add([]byte(base + `tests:
  - name: t
    object: person
    input: {first_name: Ann, custom.Score: "1,5"}
    expect: {name: Ann, custom_fields: {Score: 1.5}, n: [1, x, {a: null}]}
`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		out := render(t, m)
		again, err := Parse("again.yaml", out)
		if err != nil {
			t.Fatalf("re-parse of written mapping failed: %v\n--- written:\n%s", err, out)
		}
		if d := cmp.Diff(m, again, roundTrip...); d != "" {
			t.Fatalf("round trip changed the mapping (-first +second):\n%s", d)
		}
	})
}

// TestRoundTripProposal checks the Write → Parse round trip on a whole proposal (too big
// a seed for the fuzzer to minimise).
func TestRoundTripProposal(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "proposal-seed1-60.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("a.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("b.yaml", render(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(m, again, roundTrip...); d != "" {
		t.Errorf("round trip changed the proposal (-first +second):\n%s", d)
	}
}

// roundTrip compares mappings as the file states them: positions ignored, empty and nil
// collections equal, expected bodies compared as JSON values.
var roundTrip = []cmp.Option{
	cmpopts.IgnoreUnexported(Object{}, Field{}, Test{}),
	cmpopts.EquateEmpty(),
	cmpopts.AcyclicTransformer("json", func(m map[string]any) any {
		v, err := jsonable(m)
		if err != nil {
			return err.Error()
		}
		return v
	}),
}
