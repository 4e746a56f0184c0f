package migrate

import (
	"errors"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// ErrHeld is wrapped by a Resolver when a record references a parent that is not (yet) in
// Pipedrive: the record is held, not created without its link.
var ErrHeld = errors.New("parent not migrated")

// ErrSkip is wrapped by a Mapper when the mapping leaves the record out on purpose (a rule):
// the record is skipped with the reason.
var ErrSkip = errors.New("skipped by the mapping")

// ErrUnmappable is wrapped by a Mapper when a record cannot be turned into a request body:
// the record is quarantined with the reason.
var ErrUnmappable = errors.New("record cannot be mapped")

// FieldSpec is a custom field the mapping needs in Pipedrive. Schema setup finds it by name
// and type or creates it, and adds missing options of enum and set fields.
type FieldSpec struct {
	Entity  pipedrive.FieldEntity
	Name    string
	Type    string
	Options []string
}

// Mapper turns source records into Pipedrive request bodies. It is the seam between the
// engine and the mapping file (package plan/mapping); BasicMapper is a small built-in one.
type Mapper interface {
	// Fields lists the custom fields the mapping writes.
	Fields() []FieldSpec
	// Payload returns the create body of rec (v2 shape for persons, organizations, deals and
	// activities; v1 for notes). Errors wrap ErrHeld (a parent is missing) or ErrUnmappable.
	Payload(kind source.Kind, rec source.Record, refs Resolver) (pipedrive.Entity, error)
}

// Placement is where a deal goes: pipeline, stage and status.
type Placement struct {
	PipelineID int64
	StageID    int64
	Status     string // open, won or lost
}

// Resolver answers what a Mapper needs from Pipedrive and the id map. The engine implements
// it from the schema it set up and the store.
type Resolver interface {
	// FieldCode returns the field_code of the custom field named name on entity.
	FieldCode(entity pipedrive.FieldEntity, name string) (string, bool)
	// OptionID returns the id of option label of the enum/set field named field.
	OptionID(entity pipedrive.FieldEntity, field, label string) (int64, bool)
	// LinkID returns the Pipedrive id of a migrated source record; an error wrapping ErrHeld
	// when it is not migrated (failed, held, still pending or absent).
	LinkID(kind source.Kind, sourceID string) (int64, error)
	// LinkBy returns the Pipedrive id of the migrated record of kind that value names by the
	// key by (ByName, ByEmail, ByDomain; see RefKey): the one record, or merged cluster, that
	// carries it in the snapshot. Errors as LinkID once found, or an error naming the value
	// when no record or several carry it.
	LinkBy(kind source.Kind, by, value string) (int64, error)
	// OwnerID returns the Pipedrive user id for a Klipy owner reference.
	OwnerID(ref string) (int64, bool)
	// LabelIDs returns the label option ids of entity for the given Klipy tags (unknown tags
	// are left out).
	LabelIDs(entity pipedrive.FieldEntity, tags []string) []int64
	// Stage places a deal from its Klipy pipeline, stage and stage history (oldest first,
	// items "Stage" or "Stage@time"); closed says the deal's status is won or lost. The stage
	// is the deal's stage when it is an open one, else the last open stage of its history,
	// else for a closed deal the pipeline's last stage and for an open one its first. A
	// closing stage (Klipy's "Closed Won") gives its status. An empty stage is allowed; a
	// stage name the stage map does not have is not (false).
	Stage(pipeline, stage string, history []string, closed bool) (Placement, bool)
	// ActivityType returns the Pipedrive activity type key of a Klipy interaction type and
	// channel, whether the channel is named in the note, and whether the decisions have one.
	ActivityType(typ, channel string) (key string, channelInNote, ok bool)
	// Now is the run's clock (activities due before it are done).
	Now() time.Time
}
