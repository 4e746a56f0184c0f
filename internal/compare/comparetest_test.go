package compare

import (
	"testing"

	"ferry/internal/compare/comparetest"
)

// TestSharedCases: CompareBody (ferry verify's comparison) decides every shared case as
// the table says; migrate's sample diff and delta's update decision run the same table
// (TestSampleDiffSharedCases, TestDeltaSharedCases).
func TestSharedCases(t *testing.T) {
	for _, c := range comparetest.Cases {
		diffs := CompareBody(c.Entity, c.Want, c.Got, nil, nil)
		if same := len(diffs) == 0; same != c.Same {
			t.Errorf("%s: CompareBody says same=%v (%v), the table says %v", c.Name, same, diffs, c.Same)
		}
	}
}
