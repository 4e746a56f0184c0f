package rollback

import (
	"testing"

	"ferry/internal/pipedrive"
)

// TestProblemUpdatedRecordFerryCreated: a record ferry created and a later delta updated is
// rightly gone after a rollback; a pre-existing record ferry merged into must still exist.
func TestProblemUpdatedRecordFerryCreated(t *testing.T) {
	created := Step{Category: CatPerson, undo: undoData{ID: 114}}
	updated := Step{Category: CatPerson, Restore: true, undo: undoData{ID: 114}}
	mergedInto := Step{Category: CatPerson, Restore: true, undo: undoData{ID: 7}}
	l := &liveState{records: map[Category]map[int64]pipedrive.Entity{CatPerson: {}}}
	tests := []struct {
		name  string
		step  Step
		steps []Step
		want  string
	}{
		{"created then updated, now gone", updated, []Step{created, updated}, ""},
		{"created, now gone", created, []Step{created, updated}, ""},
		{"merged into a pre-existing record, now gone", mergedInto, []Step{created, mergedInto}, "merged-into record no longer exists"},
	}
	for _, tt := range tests {
		if got := l.problem(tt.step, tt.steps); got != tt.want {
			t.Errorf("%s: problem = %q, want %q", tt.name, got, tt.want)
		}
	}
}
