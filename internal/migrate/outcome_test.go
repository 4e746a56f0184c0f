package migrate

import (
	"fmt"
	"testing"

	"ferry/internal/store"
)

// TestReasonClass: reasons that differ only by the record they name fall in one class, and
// the prediction's wording (QuarantineReason, HeldReason, CannotMoveReason) falls in the same
// class as the run's (LossReason of the id-map row the engine stores).
func TestReasonClass(t *testing.T) {
	for _, tc := range []struct{ reason, want string }{
		{"held: parent not migrated: company c9 is skipped: quarantined: record cannot be mapped: x", "held: parent company not migrated"},
		{"held: parent not migrated: person p3 is not migrated", "held: parent person not migrated"},
		{"held: duplicate of per_1, which is not migrated (held)", "held: duplicate of a record that is not migrated"},
		{"not moved: cannot move: too large (157286400 bytes, limit 104857600); the file stays at files/a.mp4", "not moved: cannot move: too large"},
		{"not moved: cannot move: unsupported type application/x-msdownload; the file stays at files/a.exe", "not moved: cannot move: unsupported type application/x-msdownload"},
		{"quarantined: record cannot be mapped: mapping.yaml:9:3: owner \"Jane Roe\" has no Pipedrive user", "quarantined: record cannot be mapped: mapping.yaml:9:3: owner \"Jane Roe\" has no Pipedrive user"},
	} {
		if got := ReasonClass(tc.reason); got != tc.want {
			t.Errorf("ReasonClass(%q) = %q, want %q", tc.reason, got, tc.want)
		}
	}
	pairs := []struct {
		predicted string
		stored    store.Mapping
	}{
		{HeldReason(fmt.Errorf("%w: person p3 is not migrated", ErrHeld)),
			store.Mapping{State: store.Held, Reason: fmt.Errorf("%w: person p3 is skipped: quarantined: bad", ErrHeld).Error()}},
		{QuarantineReason(fmt.Errorf("%w: name is empty", ErrUnmappable)),
			store.Mapping{State: store.Skipped, Reason: quarantinePrefix + fmt.Errorf("%w: name is empty", ErrUnmappable).Error()}},
		{CannotMoveReason(fmt.Errorf("%w: %w: too large (9 bytes)", ErrSkip, ErrCannotMove)),
			store.Mapping{State: store.Skipped, Reason: fmt.Errorf("%w: %w: too large (9 bytes, limit 8); the file stays at f", ErrSkip, ErrCannotMove).Error()}},
	}
	for _, p := range pairs {
		if _, ok := Accounted(p.stored); ok {
			t.Errorf("Accounted(%+v) = true, want a loss", p.stored)
		}
		if a, b := ReasonClass(p.predicted), ReasonClass(LossReason(p.stored)); a != b {
			t.Errorf("predicted class %q, run's class %q", a, b)
		}
	}
	if _, ok := Accounted(store.Mapping{State: store.Skipped, Reason: fmt.Errorf("%w: object skipped in mapping.yaml", ErrSkip).Error()}); !ok {
		t.Error("a record mapping.yaml skips is not accounted for as a decision")
	}
}
