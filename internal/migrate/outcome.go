package migrate

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
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

// heldParent matches a held reason, naming the parent record.
// The parent is named by its label and id ("person Ines Duarte <ines@x> (p3) is skipped"),
// so only its kind is matched.
var heldParent = regexp.MustCompile(`^(held: )?parent not migrated: (\w+) `)

// heldDuplicate matches the reason of a duplicate whose survivor is not migrated.
var heldDuplicate = regexp.MustCompile(`^held: duplicate of .+, which is not migrated`)

// cannotMove matches the reason of a record that cannot move, up to what makes it so.
var cannotMove = regexp.MustCompile(`^not moved: cannot move: (too large|unsupported type \S+?)[ ;(]`)

// ReasonClass is the reason a loss is grouped, predicted and accepted by: reasons that
// differ only by the record they name fall in one class. A record held for a missing parent
// is "held: parent <kind> not migrated" whatever the parent's id and state; a record that
// cannot move is "not moved: cannot move: too large" or "… unsupported type <type>"; other
// reasons are their own class. ferry plan's prediction (package estimate) words its reasons
// so that they fall in the same classes as the run's.
func ReasonClass(reason string) string {
	if m := heldParent.FindStringSubmatch(reason); m != nil {
		return fmt.Sprintf("held: parent %s not migrated", m[2])
	}
	if heldDuplicate.MatchString(reason) {
		return "held: duplicate of a record that is not migrated"
	}
	if m := cannotMove.FindStringSubmatch(reason + " "); m != nil {
		return "not moved: cannot move: " + m[1]
	}
	return reason
}

// ExtractLossClass is the class of a row extraction quarantined, from its item's reason.
func ExtractLossClass(reason string) string { return "quarantined at extract: " + reason }

// QuarantineReason and HeldReason word a predicted loss as LossReason words the run's.
func QuarantineReason(err error) string { return quarantinePrefix + err.Error() }

// HeldReason words a record held for a missing parent.
func HeldReason(err error) string { return "held: " + err.Error() }

// CannotMoveReason words a record skipped with ErrCannotMove.
func CannotMoveReason(err error) string {
	return "not moved: " + strings.TrimPrefix(err.Error(), ErrSkip.Error()+": ")
}

// Refusal returns why Pipedrive would refuse the create body of a record of kind ("" when
// nothing known refuses it): the rule the engine applies before sending. fields gives the
// name and type of a custom field by the code the body uses (nil: values are not checked).
func Refusal(kind source.Kind, body pipedrive.Entity, fields pipedrive.FieldInfo) string {
	p, ok := phaseOf(kind)
	if !ok {
		return ""
	}
	return refusal(p.entity, body, fields)
}

// RefusedError wraps a refusal as the engine does (ErrUnmappable and ErrRefused).
func RefusedError(why string) error { return refusedErr(why) }
