package migrate

import (
	"context"
	"encoding/json"
	"fmt"

	"ferry/internal/store"
)

// Journal operations written by the engine.
const (
	OpCreate       = "create"        // a record created; undo deletes it
	OpUpdate       = "update"        // a record updated (merge); undo restores the pre-image
	OpSchemaCreate = "schema_create" // a pipeline, stage, field, option or label created
)

// undoDelete undoes a create: delete entity id. WrittenAt is the record's update_time as
// Pipedrive answered the create ("" when the record was found by a lookup): rollback leaves
// a record alone that users changed after it.
type undoDelete struct {
	Entity    string `json:"delete"`
	ID        int64  `json:"id"`
	WrittenAt string `json:"written_at,omitempty"`
}

// undoDeleteNamed undoes a created pipeline or stage: delete entity id. Name (and the
// pipeline of a stage) are for people and the report; rollback needs only the id.
type undoDeleteNamed struct {
	Entity     string `json:"delete"`
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	PipelineID int64  `json:"pipeline_id,omitempty"`
}

// undoDeleteField undoes a custom field create; Name is the field's name, for the report.
type undoDeleteField struct {
	Entity string `json:"delete_field"`
	Code   string `json:"field_code"`
	Name   string `json:"name"`
}

// undoDeleteOption undoes an enum/set option added to a custom field (v2 options endpoint).
type undoDeleteOption struct {
	Entity   string `json:"delete_option"`
	Code     string `json:"field_code"`
	OptionID int64  `json:"option_id"`
}

// undoDeleteLabel undoes a label option added to a built-in label field (v1 PUT of the
// options list without it).
type undoDeleteLabel struct {
	Entity   string `json:"delete_label"`
	FieldID  int64  `json:"field_id"`
	OptionID int64  `json:"option_id"`
	Label    string `json:"label"`
}

// undoRestore undoes an update: patch the pre-image back. Wrote is what the update sent:
// rollback leaves a record alone whose written values users changed since.
type undoRestore struct {
	Entity   string         `json:"restore"`
	ID       int64          `json:"id"`
	PreImage map[string]any `json:"pre_image"`
	Wrote    map[string]any `json:"wrote,omitempty"`
}

// journal appends one entry with its undo data.
func (e *Engine) journal(ctx context.Context, op, entity, destID, sourceID string, undo any) error {
	data, err := json.Marshal(undo)
	if err != nil {
		return fmt.Errorf("journal %s %s %s: encode undo: %w", op, entity, destID, err)
	}
	_, err = e.store.AppendJournal(ctx, store.JournalEntry{RunID: e.runID, Op: op, Entity: entity,
		DestID: destID, SourceID: sourceID, Undo: data})
	if err != nil {
		return fmt.Errorf("journal %s %s %s: %w", op, entity, destID, err)
	}
	return nil
}

// journalSchema journals a schema creation; entity is "field", "stage", … with detail.
func (e *Engine) journalSchema(ctx context.Context, what, detail, destID string, undo any) error {
	return e.journal(ctx, OpSchemaCreate, what+":"+detail, destID, "", undo)
}

// unmarshalUndo decodes the undo data of a journal entry into v.
func unmarshalUndo(j store.JournalEntry, v any) error {
	if err := json.Unmarshal(j.Undo, v); err != nil {
		return fmt.Errorf("journal entry %d: undo data: %w", j.Seq, err)
	}
	return nil
}
