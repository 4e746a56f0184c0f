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

// TestDeltaSharedCases: ferry delta's decision whether a changed record needs an update
// (deltaChanges, behind DeltaUpdate) decides every case of the shared table as ferry verify
// and the sample diff do: a case the table calls the same is no change to send.
func TestDeltaSharedCases(t *testing.T) {
	for _, c := range comparetest.Cases {
		diffs := deltaChanges(c.Entity, c.Want, c.Got)
		if same := len(diffs) == 0; same != c.Same {
			t.Errorf("%s: delta says same=%v (%v), the table says %v", c.Name, same, diffs, c.Same)
		}
	}
}
