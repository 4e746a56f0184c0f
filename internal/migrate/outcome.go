package migrate

import (
	"errors"
	"strings"

	"ferry/internal/store"
)

// ErrCannotMove is wrapped (with ErrSkip) by a record ferry leaves behind because Pipedrive
// cannot take it (an attachment too large or of a blocked type). Reconciliation counts it as
// skipped, but it is a loss: it is not a decision anyone made, so it makes a run incomplete.
var ErrCannotMove = errors.New("cannot move")

// cannotMovePrefix starts the id-map reason of a record skipped with ErrCannotMove.
var cannotMovePrefix = ErrSkip.Error() + ": " + ErrCannotMove.Error() + ": "

// Accounted reports whether an id-map row accounts for its source record as done — created,
// merged, or skipped by an explicit decision of mapping.yaml — and names the action. Every
// other row (quarantined, failed, held, pending, in flight, none at all, or a record that
// cannot move) is a loss that LossReason explains.
func Accounted(m store.Mapping) (string, bool) {
	switch m.State {
	case store.Done:
		return "created", true
	case store.Merged:
		if m.Reason != "" {
			return "merged: " + m.Reason, true
		}
		return "merged", true
	case store.Skipped:
		if strings.HasPrefix(m.Reason, quarantinePrefix) || strings.HasPrefix(m.Reason, cannotMovePrefix) {
			return "", false
		}
		return "skipped: " + m.Reason, true
	}
	return "", false
}

// LossReason says why a row that Accounted rejects did not arrive, starting with its state.
func LossReason(m store.Mapping) string {
	switch {
	case m.State == "":
		return "not sent yet: no run has reached it (run ferry run)"
	case m.State == store.Pending || m.State == store.InFlight:
		r := "not finished (" + string(m.State) + "): run ferry run to resume"
		if m.Reason != "" {
			r += "; " + m.Reason
		}
		return r
	case m.State == store.Skipped && strings.HasPrefix(m.Reason, quarantinePrefix):
		return m.Reason
	case m.State == store.Skipped:
		return "not moved: " + strings.TrimPrefix(m.Reason, ErrSkip.Error()+": ")
	}
	return string(m.State) + ": " + m.Reason
}

// MappingQuarantine reports whether a quarantine item was written by the engine for a record
// it could not map (the record is in the snapshot), rather than by extraction for a row that
// never became a record.
func MappingQuarantine(q store.QuarantineItem) bool {
	return strings.HasPrefix(q.Reason, mappingReasonPrefix)
}
