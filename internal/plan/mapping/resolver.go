package mapping

import (
	"errors"
	"strings"
	"time"
)

// Keys a record may be linked by (Resolver.LinkBy).
const (
	ByName   = "name"
	ByEmail  = "email"
	ByDomain = "domain"
)

// Resolver turns the names a mapping speaks in into Pipedrive ids. The migration engine's
// resolver reads the schema setup (field codes, option ids), the id map (links) and the
// decisions (owners, labels, stages, activity types); NameResolver gives readable
// placeholders for tests. Each method returns an error when the name cannot be resolved;
// Apply reports it as a problem of that field and leaves the value out.
type Resolver interface {
	// FieldCode returns the field_code of a custom field (code is the mapping's field_code
	// for an existing field, "" for one schema setup creates).
	FieldCode(entity, name, code string) (string, error)
	// OptionID returns the option id of label in an enum or set field (custom by name, or
	// a standard field such as industry by its code).
	OptionID(entity, field, label string) (any, error)
	// LinkID returns the Pipedrive id of a migrated source record; entity is the Pipedrive
	// entity of the linked record (organization = Klipy company, person, deal, activity =
	// Klipy interaction), sourceID its Klipy id.
	LinkID(entity, sourceID string) (any, error)
	// LinkBy returns the Pipedrive id of the migrated record of entity that value names by
	// the key by (ByName: a company's name, legal suffixes, case and accents aside;
	// ByEmail: a person's email in any common spelling; ByDomain: a company's registrable
	// domain from any URL form). An error of a reference that names no record, or several,
	// is reported as a warning and the record moves without the link.
	LinkBy(entity, by, value string) (any, error)
	// OwnerID returns the Pipedrive user id for a Klipy owner (id, email or name).
	OwnerID(owner string) (any, error)
	// LabelID returns the Pipedrive label id a tag merges into.
	LabelID(entity, tag string) (any, error)
	// DealStage places a deal of a Klipy pipeline: the Pipedrive stage id and, for a
	// closing stage (Klipy's "Closed Won"), the status it means ("" otherwise). stage may be
	// empty; history lists the deal's earlier stages, oldest first ("Stage" or "Stage@time");
	// closed says the deal is won or lost. The stage is the deal's stage when it is open,
	// else the last open stage of the history, else the pipeline's last stage for a closed
	// deal and its first for an open one.
	DealStage(pipeline, stage string, history []string, closed bool) (any, string, error)
	// ActivityType returns the activity type key_string for a Klipy interaction type and
	// channel, and whether the channel is named in the activity's note.
	ActivityType(klipyType, channel string) (string, bool, error)
	// Interaction returns the fields of the Klipy interaction with that id, when the
	// snapshot has it (an AI draft's source conversation given as an id).
	Interaction(id string) (map[string]string, bool)
	// Now is the run's clock: an activity of an object with done: past that is due before it
	// is done.
	Now() time.Time
}

// NameResolver resolves every name to a readable placeholder: field codes are the field
// names, option ids "Field=Label", links "organization:cmp_1", owners "owner:x", labels
// "label:x", stages "stage:Pipeline/Stage"; activity types follow DESIGN.md §4.
type NameResolver struct{}

// ErrMissingParent is wrapped by a Resolver's LinkID when the linked record exists in Klipy
// but was not migrated (quarantined, failed, held): Apply leaves the link out with an
// "unlinked" warning, and the engine holds the record instead when the object's
// on_missing_parent is hold.
var ErrMissingParent = errors.New("parent not migrated")

// FieldCode returns the field's name.
func (NameResolver) FieldCode(_, name, _ string) (string, error) { return name, nil }

// OptionID returns "field=label".
func (NameResolver) OptionID(_, field, label string) (any, error) { return field + "=" + label, nil }

// LinkID returns "entity:sourceID".
func (NameResolver) LinkID(entity, id string) (any, error) { return entity + ":" + id, nil }

// LinkBy returns "entity:BY=VALUE".
func (NameResolver) LinkBy(entity, by, value string) (any, error) {
	return entity + ":" + by + "=" + value, nil
}

// OwnerID returns "owner:OWNER".
func (NameResolver) OwnerID(owner string) (any, error) { return "owner:" + owner, nil }

// LabelID returns "label:TAG" with the tag folded, so spellings of one tag share a label.
func (NameResolver) LabelID(_, tag string) (any, error) { return "label:" + fold(tag), nil }

// DealStage returns "stage:PIPELINE/STAGE" for an open stage; a closing stage (its name
// says won or lost) gives the last open stage of the history, else "stage:PIPELINE/(last)"
// for a closed deal and "stage:PIPELINE/(first)" for an open one, as the engine does.
func (NameResolver) DealStage(pipeline, stage string, history []string, closed bool) (any, string, error) {
	status := closingStatus(stage)
	if strings.TrimSpace(stage) != "" && status == "" {
		return "stage:" + pipeline + "/" + stage, "", nil
	}
	for i := len(history) - 1; i >= 0; i-- {
		if name, _, _ := strings.Cut(history[i], "@"); closingStatus(name) == "" && strings.TrimSpace(name) != "" {
			return "stage:" + pipeline + "/" + strings.TrimSpace(name), status, nil
		}
	}
	if closed || status != "" {
		return "stage:" + pipeline + "/(last)", status, nil
	}
	return "stage:" + pipeline + "/(first)", status, nil
}

// closingStatus says whether a stage name means won or lost (Klipy's "Closed Won").
func closingStatus(stage string) string {
	n := fold(stage)
	switch {
	case strings.Contains(n, "won") || n == "closedwin" || n == "win":
		return "won"
	case strings.Contains(n, "lost") || strings.Contains(n, "closedlose"):
		return "lost"
	}
	return ""
}

// ActivityType maps Klipy types as DESIGN.md §4 does: EMAIL→email, MEETING and
// BOOKING_*→meeting, VOICE_NOTE→call, everything else (DIRECT_MESSAGE, MEMO, ...)→task.
// The channel of a direct message is named in the note.
func (NameResolver) ActivityType(t, channel string) (string, bool, error) {
	switch t = strings.ToUpper(t); {
	case t == "EMAIL":
		return "email", false, nil
	case t == "MEETING" || strings.HasPrefix(t, "BOOKING"):
		return "meeting", false, nil
	case t == "VOICE_NOTE":
		return "call", false, nil
	}
	return "task", channel != "", nil
}

// NameResolverNow is NameResolver's clock, so that mapping tests give the same body on any
// day: activities due before 2025-01-01 are done.
var NameResolverNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Interaction finds no interaction: a source conversation stays as written.
func (NameResolver) Interaction(string) (map[string]string, bool) { return nil, false }

// Now returns NameResolverNow.
func (NameResolver) Now() time.Time { return NameResolverNow }
