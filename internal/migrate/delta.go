package migrate

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// ErrNotUpdatable says a record's kind cannot be updated by a delta: files (Pipedrive keeps a
// file's content; only its name and description can change).
var ErrNotUpdatable = errors.New("kind cannot be updated by a delta")

// OpDelete is a record deleted in Pipedrive by a delta (`ferry delta --delete`); its undo data
// names what was deleted, which rollback reports as not undoable (Pipedrive keeps it in its
// trash for 30 days).
const OpDelete = "delete"

// undoDeleted records a record a delta deleted, with its last state, for people and reports.
type undoDeleted struct {
	Entity   string         `json:"deleted"`
	ID       int64          `json:"id"`
	PreImage map[string]any `json:"pre_image"`
}

// DeltaUpdate patches the Pipedrive record of a done mapping with rec's current mapped body.
// It needs the schema, so call it after Run on the same Engine; the journal entry belongs to
// that run. The pre-image of every field it overwrites is journaled first as an update (the
// shape rollback restores); when resend is true (a crash left this update in flight and the
// pre-image is already journaled) it only sends the PATCH again, which carries full values.
func (e *Engine) DeltaUpdate(ctx context.Context, m store.Mapping, rec source.Record, resend bool) error {
	p, ok := phaseOf(m.Kind)
	if !ok || p.coll == "" && p.entity != "note" {
		return fmt.Errorf("migrate: %s %s: %w", m.Kind, m.SourceID, ErrNotUpdatable)
	}
	if e.schema == nil {
		return errors.New("migrate: delta update before the schema is set up (call Run first)")
	}
	r := &resolver{ctx: ctx, e: e, schema: e.schema}
	body, err := e.mapper.Payload(p.kind, rec, r)
	if err != nil {
		return fmt.Errorf("migrate: map %s %s: %w", p.kind, rec.ID, err)
	}
	e.stamp(p, rec, body, e.schema)
	body = pipedrive.ForUpdate(p.coll, body) // without what PATCH refuses (persons' and orgs' add_time)
	delete(body, "add_time")                 // a creation fact: a delta never rewrites it
	if !resend {
		pre, err := e.readForUpdate(ctx, p, m.DestID)
		if err != nil {
			return fmt.Errorf("migrate: read %s %d: %w", p.entity, m.DestID, err)
		}
		undo := undoRestore{Entity: p.entity, ID: m.DestID, PreImage: preImage(pre, body), Wrote: body}
		if err := e.journal(ctx, OpUpdate, p.entity, strconv.FormatInt(m.DestID, 10), m.SourceID, undo); err != nil {
			return err
		}
	}
	if p.entity == "note" {
		_, err = e.client.UpdateNote(ctx, m.DestID, body) // v1 PUT with the full content
	} else {
		_, err = e.client.Update(ctx, p.coll, m.DestID, body)
	}
	if err != nil {
		return fmt.Errorf("migrate: update %s %d: %w", p.entity, m.DestID, err)
	}
	return nil
}

// readForUpdate reads the record a delta is about to update: notes through v1, the rest v2.
func (e *Engine) readForUpdate(ctx context.Context, p phaseSpec, id int64) (pipedrive.Entity, error) {
	if p.entity == "note" {
		return e.client.GetNote(ctx, id)
	}
	return e.client.Get(ctx, p.coll, id)
}

// DeltaDelete deletes the Pipedrive record of a mapping whose source record was deleted in
// Klipy, journaling its last state first. Call it after Run on the same Engine. With resend
// (a crash left this delete in flight, already journaled) it only deletes again, and a record
// already gone counts as deleted.
func (e *Engine) DeltaDelete(ctx context.Context, m store.Mapping, resend bool) error {
	p, ok := phaseOf(m.Kind)
	if !ok || p.coll == "" || p.entity == "note" {
		return fmt.Errorf("migrate: %s %s: %w", m.Kind, m.SourceID, ErrNotUpdatable)
	}
	if resend {
		err := e.client.Delete(ctx, p.coll, m.DestID)
		if err != nil && !errors.Is(err, pipedrive.ErrNotFound) {
			return fmt.Errorf("migrate: delete %s %d: %w", p.entity, m.DestID, err)
		}
		return nil
	}
	pre, err := e.client.Get(ctx, p.coll, m.DestID)
	if err != nil {
		return fmt.Errorf("migrate: read %s %d: %w", p.entity, m.DestID, err)
	}
	undo := undoDeleted{Entity: p.entity, ID: m.DestID, PreImage: pre}
	if err := e.journal(ctx, OpDelete, p.entity, strconv.FormatInt(m.DestID, 10), m.SourceID, undo); err != nil {
		return err
	}
	if err := e.client.Delete(ctx, p.coll, m.DestID); err != nil {
		return fmt.Errorf("migrate: delete %s %d: %w", p.entity, m.DestID, err)
	}
	return nil
}

// StopsDelta reports errors that stop a delta (budget, rate limit, blocked) rather than fail
// one record.
func StopsDelta(err error) bool { return stopsRun(err) || errors.Is(err, context.Canceled) }
