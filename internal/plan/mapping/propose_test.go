package mapping

import (
	"testing"
)

// TestProposeGolden pins the whole proposed mapping.yaml of a generated workspace, and
// checks that the proposal parses, lints clean and passes its own tests.
func TestProposeGolden(t *testing.T) {
	p := genProfile(t, 60, 1)
	m := Propose(p, Schema{}, Options{DefaultRegion: "US"})
	data := render(t, m)
	golden(t, "proposal-seed1-60.yaml", data)
	parsed, err := Parse("mapping.yaml", data)
	if err != nil {
		t.Fatalf("the proposal does not parse:\n%v", err)
	}
	for _, pr := range Lint(parsed, p, Schema{}) {
		if pr.Warning { // the generator's deliberate bad values show up as warnings
			t.Logf("lint: %s", pr.Format("mapping.yaml"))
			continue
		}
		t.Errorf("lint: %s", pr.Format("mapping.yaml"))
	}
	if len(parsed.Tests) < 2 {
		t.Errorf("proposal has %d tests, want at least 2", len(parsed.Tests))
	}
	for _, pr := range RunTests(parsed) {
		t.Errorf("test: %s", pr.Format("mapping.yaml"))
	}
}

// TestProposeDeterministic checks that the same profile always gives the same bytes.
func TestProposeDeterministic(t *testing.T) {
	p := genProfile(t, 80, 5)
	first := render(t, Propose(p, Schema{}, Options{}))
	for range 5 {
		if again := render(t, Propose(p, Schema{}, Options{})); string(again) != string(first) {
			t.Fatal("two proposals of one profile differ")
		}
	}
}
