package migrate

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"ferry/internal/compare"
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

// DeltaTarget is one record a delta found changed in Klipy (its content hash differs from
// the one it was migrated with): its done mapping and fresh snapshot record. PrepareDelta
// fills in the body an update would send and the record Pipedrive holds.
type DeltaTarget struct {
	Mapping store.Mapping
	Record  source.Record
	body    pipedrive.Entity // the PATCH/PUT body; nil when err is set
	err     error            // why no body could be built (the update fails with it)
	got     pipedrive.Entity // Pipedrive's record, read back; nil when not found
}

// PrepareDelta builds the update body of each target of kind and reads the records back as
// run --sample's field diff does (list endpoints by id, 100 at a time; notes by their
// parent). Call it after Run on the same Engine. Errors are the client's (budget included):
// targets whose body cannot be built, or that Pipedrive's rules refuse (pipedrive.
// CreateRefusal: the update would be refused), are not read and left for DeltaUpdate to fail
// without sending them.
func (e *Engine) PrepareDelta(ctx context.Context, kind source.Kind, targets []*DeltaTarget) error {
	p, ok := phaseOf(kind)
	if !ok || p.coll == "" && p.entity != "note" {
		for _, t := range targets {
			t.err = fmt.Errorf("migrate: %s %s: %w", kind, t.Mapping.SourceID, ErrNotUpdatable)
		}
		return nil
	}
	if e.schema == nil {
		return errors.New("migrate: delta update before the schema is set up (call Run first)")
	}
	r := &resolver{ctx: ctx, e: e, schema: e.schema}
	var reads []target
	for _, t := range targets {
		t.body, t.err = e.updateBody(p, t.Record, r)
		if t.err == nil {
			if why := refusal(p.entity, t.body, e.schema.fieldInfo(p.fields)); why != "" {
				t.body, t.err = nil, fmt.Errorf("migrate: update %s %d: %w", p.entity, t.Mapping.DestID, refusedErr(why))
			}
		}
		if t.err == nil {
			reads = append(reads, target{kind: kind, id: t.Record.ID, dest: t.Mapping.DestID, want: t.body})
		}
	}
	got, err := e.readBack(ctx, p, reads)
	if err != nil {
		return fmt.Errorf("migrate: delta %s: read back: %w", kind, err)
	}
	for _, t := range targets {
		t.got = got[t.Mapping.DestID]
	}
	return nil
}

// updateBody is the body a delta sends for rec: the mapping's, stamped, without what PATCH
// refuses (persons' and orgs' add_time) and without add_time at all (a creation fact a delta
// never rewrites).
func (e *Engine) updateBody(p phaseSpec, rec source.Record, r *resolver) (pipedrive.Entity, error) {
	body, err := e.mapper.Payload(p.kind, rec, r)
	if err != nil {
		return nil, fmt.Errorf("migrate: map %s %s: %w", p.kind, rec.ID, err)
	}
	e.stamp(p, rec, body, e.schema)
	body = pipedrive.ForUpdate(p.coll, body)
	delete(body, "add_time")
	return body, nil
}

// deltaChanges is what a delta would change in Pipedrive's record got by sending body: the
// comparison ferry verify and run --sample make (compare.CompareBody), so a change in Klipy
// that Pipedrive already holds (an e-mail's case, a phone's formatting, the same instant
// written another way) is no change.
func deltaChanges(entity string, body, got pipedrive.Entity) []compare.Diff {
	return compare.CompareBody(entity, body, got, nil, nil)
}

// DeltaUpdate patches the Pipedrive record of a target PrepareDelta filled in, unless
// Pipedrive already holds what it would send (deltaChanges finds nothing): then it sends
// nothing and reports false (true when resend: the update in flight had landed). The pre-image of every field it overwrites, from the read-back,
// is journaled first as an update (the shape rollback restores); when resend is true (a crash
// left this update in flight and the pre-image is already journaled) it only sends the PATCH
// again, which carries full values. A record no longer in Pipedrive fails the update.
func (e *Engine) DeltaUpdate(ctx context.Context, t *DeltaTarget, resend bool) (bool, error) {
	m := t.Mapping
	if t.err != nil {
		return false, t.err
	}
	p, _ := phaseOf(m.Kind)
	if t.got == nil {
		return false, fmt.Errorf("migrate: update %s %d: %w: not found by the read-back", p.entity, m.DestID, pipedrive.ErrNotFound)
	}
	if len(deltaChanges(p.entity, t.body, t.got)) == 0 {
		return resend, nil // in flight before: the update was applied then
	}
	if !resend {
		undo := undoRestore{Entity: p.entity, ID: m.DestID, PreImage: preImage(t.got, t.body), Wrote: t.body}
		if err := e.journal(ctx, OpUpdate, p.entity, strconv.FormatInt(m.DestID, 10), m.SourceID, undo); err != nil {
			return false, err
		}
	}
	var err error
	if p.entity == "note" {
		_, err = e.client.UpdateNote(ctx, m.DestID, t.body) // v1 PUT with the full content
	} else {
		_, err = e.client.Update(ctx, p.coll, m.DestID, t.body)
	}
	if err != nil {
		return false, fmt.Errorf("migrate: update %s %d: %w", p.entity, m.DestID, err)
	}
	return true, nil
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
