package review

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunProgressApply folds ferry run --json lines (as migrate.ProgressPrinter writes them)
// into what the Run page shows.
func TestRunProgressApply(t *testing.T) {
	lines := []string{
		`plan confirmed at 2026-01-01 10:00:00Z: 12 records, lock valid`,
		`{"event":"estimate","records":12,"tokens":140,"schema_tokens":40,"daily_budget":30000,"days":1}`,
		`{"event":"progress","kind":"company","processed":2,"total":4,"per_second":1.5,"eta_seconds":2}`,
		`{"event":"phase","reconciliation":{"run_id":1,"kind":"company","entity":"organization","source":4,"created":3,"merged":1,"open":0}}`,
		`{"event":"progress","kind":"person","processed":1,"total":8,"per_second":1,"eta_seconds":7}`,
		`{"event":"paused","until":"2026-01-02T00:00:00Z","at":"2026-01-01T10:00:05Z"}`,
		`{"event":"done","run_id":1,"tokens":133}`,
		`{"event":"something new"}`,
		``,
	}
	var p runProgress
	for _, l := range lines {
		p.apply([]byte(l))
	}
	if diff := cmp.Diff([]kindProgress{{"company", 4, 4}, {"person", 1, 8}}, p.Kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	if p.Processed != 5 || p.Total != 12 {
		t.Errorf("processed %d of %d, want 5 of 12", p.Processed, p.Total)
	}
	if p.Tokens != 140 || p.Daily != 30000 || p.Spent != 133 {
		t.Errorf("tokens %d, daily %d, spent %d; want 140, 30000, 133", p.Tokens, p.Daily, p.Spent)
	}
	if len(p.Phases) != 1 || p.Phases[0].Created != 3 || p.Phases[0].Merged != 1 {
		t.Errorf("phases %+v, want the company reconciliation", p.Phases)
	}
	if !strings.Contains(p.Budget, "2026-01-02T00:00:00Z") || p.ETA != "7s for person" {
		t.Errorf("budget %q, ETA %q", p.Budget, p.ETA)
	}
	if diff := cmp.Diff([]string{lines[0], lines[7]}, p.Log); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}
