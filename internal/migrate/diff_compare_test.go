package migrate

import (
	"testing"

	"ferry/internal/compare/comparetest"
	"ferry/internal/source"
)

// TestSampleDiffSharedCases: the sample's field diff (compareRecord, behind ferry run
// --sample) decides every case of the shared table as ferry verify's comparison does
// (compare.TestSharedCases).
func TestSampleDiffSharedCases(t *testing.T) {
	for _, c := range comparetest.Cases {
		var diffs []FieldDiff
		n := compareRecord(phaseSpec{kind: source.Person, entity: c.Entity}, target{kind: source.Person, id: "x", dest: 1, want: c.Want}, c.Got, &diffs)
		if same := len(diffs) == 0; same != c.Same || n == 0 {
			t.Errorf("%s: the sample diff says same=%v (%v, %d fields), the table says %v", c.Name, same, diffs, n, c.Same)
		}
	}
}
