package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// attempt is how one record is sent and found again.
type attempt struct {
	fp    string                                          // request fingerprint
	warns []string                                        // reported once the record is created
	send  func(context.Context) (pipedrive.Entity, error) // the create
	// lookup finds what a create sent at or after since made (0 when nothing).
	lookup func(ctx context.Context, since time.Time) (int64, error)
}

// processRecord brings one record to a final state. It returns only errors that must stop
// the run; the record's own failure is stored in the id map.
func (e *Engine) processRecord(ctx context.Context, p phaseSpec, rec source.Record, r *resolver) error {
	m, err := e.store.GetMapping(ctx, p.kind, rec.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		m = store.Mapping{Kind: p.kind, SourceID: rec.ID, Entity: p.entity, State: store.Pending}
	case err != nil:
		return err
	case m.State == store.Done || m.State == store.Merged:
		return nil
	}
	var a attempt
	if p.entity == "file" {
		a, err = e.fileAttempt(p, rec, r)
	} else {
		a, err = e.entityAttempt(ctx, p, m, rec, r)
	}
	if m.State == store.InFlight && recordLevel(err) {
		return e.strandedInFlight(ctx, p, m, rec, err)
	}
	return e.settleAttempt(ctx, p, m, rec, a, err)
}

// recordLevel reports the errors that settle a record (held, skipped, unmappable).
func recordLevel(err error) bool {
	return errors.Is(err, ErrHeld) || errors.Is(err, ErrSkip) || errors.Is(err, ErrUnmappable)
}

// strandedInFlight handles an in-flight record that can no longer be sent as it was (its
// mapping or parent changed): what was sent may exist, so it is looked up first. A child
// record cannot be looked up without its body; it stays in flight with the reason, and the
// reconciliation stops the run to have a person look at it.
func (e *Engine) strandedInFlight(ctx context.Context, p phaseSpec, m store.Mapping, rec source.Record, cause error) error {
	if p.child() {
		m.Reason = "was in flight; now " + cause.Error()
		return e.store.PutMapping(ctx, m)
	}
	id, err := e.lookup(ctx, p, rec.ID, nil, m.UpdatedAt)
	if err != nil {
		return err
	}
	if id != 0 {
		return e.markDone(ctx, p, m, id)
	}
	return e.settleAttempt(ctx, p, m, rec, attempt{}, cause)
}

// settleAttempt stores what building the attempt decided, or sends it.
func (e *Engine) settleAttempt(ctx context.Context, p phaseSpec, m store.Mapping, rec source.Record, a attempt, err error) error {
	switch {
	case errors.Is(err, errMerged):
		return nil
	case errors.Is(err, ErrHeld):
		return e.settle(ctx, m, store.Held, err.Error())
	case errors.Is(err, ErrSkip):
		return e.settle(ctx, m, store.Skipped, err.Error())
	case err != nil && ctx.Err() != nil:
		return context.Cause(ctx)
	case errors.Is(err, ErrUnmappable):
		return e.quarantine(ctx, m, rec, err)
	case err != nil:
		return err
	}
	if stillRefused(a.fp, m.Fingerprint, m.Reason, m.State == store.Failed) {
		return nil // refused with this very body before: not sent again until its input changes
	}
	if m.State == store.InFlight {
		id, err := a.lookup(ctx, m.UpdatedAt)
		if err != nil {
			return err
		}
		if id != 0 {
			return e.markDone(ctx, p, m, id)
		}
	}
	return e.create(ctx, p, m, a)
}

// errMerged says entityAttempt merged the record into an existing one (nothing to create).
var errMerged = errors.New("merged into an existing record")

// entityAttempt maps a record to a create body; a survivor planned into an existing record is
// merged right away (errMerged, or the merge's stop error).
func (e *Engine) entityAttempt(ctx context.Context, p phaseSpec, m store.Mapping, rec source.Record, r *resolver) (attempt, error) {
	body, warns, err := e.payload(p.kind, rec, r)
	if err != nil {
		if !errors.Is(err, ErrHeld) && !errors.Is(err, ErrSkip) && !errors.Is(err, ErrUnmappable) {
			err = fmt.Errorf("%w: %w", ErrUnmappable, err)
		}
		return attempt{}, err
	}
	if why := refusal(p.entity, body, r.schema.fieldInfo(p.fields)); why != "" {
		return attempt{}, refusedErr(why)
	}
	e.stamp(p, rec, body, r.schema)
	if into, ok := e.merges[p.kind].intoOf(rec.ID); ok {
		if err := e.mergeInto(ctx, p, m, body, into); err != nil {
			return attempt{}, err
		}
		return attempt{}, errMerged
	}
	fp, err := fingerprint(body)
	if err != nil {
		return attempt{}, err
	}
	return attempt{fp: fp, warns: warns,
		send: func(ctx context.Context) (pipedrive.Entity, error) { return e.send(ctx, p, body) },
		lookup: func(ctx context.Context, since time.Time) (int64, error) {
			return e.lookup(ctx, p, rec.ID, body, since)
		},
	}, nil
}

// stamp adds the Klipy ID and, for deals whose body lacks it, the original creation time
// (RFC 3339 in a varchar field, the day in a date field).
func (e *Engine) stamp(p phaseSpec, rec source.Record, body pipedrive.Entity, s *Schema) {
	if p.child() {
		text, _ := body[p.marker].(string)
		body[p.marker] = text + markerHTML(rec.ID)
		return
	}
	body.SetCustom(s.KlipyIDCode(p.fields), rec.ID)
	f, ok := s.fields[pipedrive.DealFields][fold(KlipyCreatedField)]
	if p.kind != source.Deal || !ok || rec.Fields["created_at"] == "" {
		return
	}
	if _, set := body.CustomFields()[f.Code]; set {
		return
	}
	t, err := time.Parse(time.RFC3339, rec.Fields["created_at"])
	switch {
	case err != nil:
		return // the mapper accepted a time it could not read: leave the field to it
	case f.Type == "varchar":
		body.SetCustom(f.Code, pipedrive.V2Time(t))
	case f.Type == "date":
		body.SetCustom(f.Code, pipedrive.Date(t.UTC()))
	}
}

// create sends the create with in_flight stored first; an unknown outcome is looked up
// before it is sent again.
func (e *Engine) create(ctx context.Context, p phaseSpec, m store.Mapping, a attempt) error {
	for range maxUnknownRetries {
		m.State, m.Fingerprint, m.Reason, m.RunID = store.InFlight, a.fp, "", e.runID
		m.UpdatedAt = e.clock.Now().UTC() // the in-flight mark: a lookup reads what changed since
		if err := e.store.PutMapping(ctx, m); err != nil {
			return err
		}
		got, err := a.send(ctx)
		switch {
		case err == nil:
			e.warn(ctx, p.kind, m.SourceID, a.warns)
			return e.markWritten(ctx, p, m, got.ID(), got.String("update_time"))
		case ctx.Err() != nil:
			return context.Cause(ctx) // stays in_flight: the next run looks it up
		case errors.Is(err, pipedrive.ErrOutcomeUnknown):
			id, lerr := a.lookup(ctx, m.UpdatedAt)
			if lerr != nil {
				return lerr
			}
			if id != 0 {
				e.warn(ctx, p.kind, m.SourceID, a.warns)
				return e.markDone(ctx, p, m, id)
			}
		case stopsRun(err):
			// Refused before it was applied: nothing to look up next time.
			_ = e.settle(context.WithoutCancel(ctx), m, store.Pending, "")
			return err
		default:
			if ae, ok := clientRefused(err); ok {
				return e.settle(ctx, m, store.Failed, fmt.Sprintf("%s%d %s (%s); not sent again until the record changes",
					refusedPrefix, ae.Status, ae.Message, ae.Endpoint))
			}
			return e.settle(ctx, m, store.Failed, err.Error())
		}
	}
	return e.settle(ctx, m, store.Failed, fmt.Sprintf("outcome unknown %d times and not found by its Klipy ID", maxUnknownRetries))
}

// stopsRun reports errors that say the API is unavailable for now rather than that the
// record is bad: the daily budget, rate limits retries did not get past, an edge block.
func stopsRun(err error) bool {
	return errors.Is(err, pipedrive.ErrBudgetExhausted) || errors.Is(err, pipedrive.ErrRateLimited) ||
		errors.Is(err, pipedrive.ErrBlocked) || errors.Is(err, pipedrive.ErrUnauthorized)
}

// markDone journals the create and records the Pipedrive id.
func (e *Engine) markDone(ctx context.Context, p phaseSpec, m store.Mapping, id int64) error {
	return e.markWritten(ctx, p, m, id, "")
}

// markWritten is markDone with the record's update_time as the create answered it.
func (e *Engine) markWritten(ctx context.Context, p phaseSpec, m store.Mapping, id int64, written string) error {
	if id <= 0 {
		return fmt.Errorf("%s %s: Pipedrive answered without an id", p.entity, m.SourceID)
	}
	if err := e.journal(ctx, OpCreate, p.entity, strconv.FormatInt(id, 10), m.SourceID, undoDelete{Entity: p.entity, ID: id, WrittenAt: written}); err != nil {
		return err
	}
	m.State, m.DestID, m.Reason, m.RunID = store.Done, id, "", e.runID
	return e.store.PutMapping(ctx, m)
}

// settle stores a state with its reason.
func (e *Engine) settle(ctx context.Context, m store.Mapping, st store.State, reason string) error {
	m.State, m.Reason, m.RunID = st, reason, e.runID
	return e.store.PutMapping(ctx, m)
}

// lookup finds the Pipedrive record of a source record whose create was sent at or after
// since: persons, organizations and deals by the Klipy ID field among the records the list
// endpoint says changed since then (minus lookupSkew for clocks), newest first; child
// records by the marker among the parent's children. Both are list reads, consistent right
// after a create, unlike search, whose index lags behind writes. It returns 0 when there is
// none; several hits (a duplicate made outside this engine's guarantees) resolve to the
// lowest id.
func (e *Engine) lookup(ctx context.Context, p phaseSpec, sourceID string, body pipedrive.Entity, since time.Time) (int64, error) {
	if p.child() {
		return e.lookupChild(ctx, p, sourceID, body)
	}
	code := e.klipyCode(p)
	if since.IsZero() {
		since = e.clock.Now()
	}
	q := url.Values{"updated_since": {pipedrive.V2Time(since.Add(-lookupSkew))}, "sort_by": {"id"}, "sort_direction": {"desc"}}
	var best int64
	err := e.client.List(ctx, p.coll, pipedrive.ListOptions{Filter: q}, func(page []pipedrive.Entity) error {
		best = min0(best, lowestID(page, func(x pipedrive.Entity) bool {
			v, _ := x.CustomFields()[code].(string)
			return v == sourceID
		}))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("look up %s %s by Klipy ID among those changed since %s: %w", p.entity, sourceID, since.UTC().Format(time.RFC3339), err)
	}
	return best, nil
}

// lookupSkew widens a lookup's window for the difference between this machine's clock and
// Pipedrive's (update times are the server's).
const lookupSkew = 2 * time.Minute

// min0 is the smaller of two ids where 0 means none.
func min0(a, b int64) int64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

// lowestID returns the lowest id among the entities that match, 0 when none does.
func lowestID(es []pipedrive.Entity, match func(pipedrive.Entity) bool) int64 {
	var best int64
	for _, h := range es {
		if id := h.ID(); id > 0 && match(h) && (best == 0 || id < best) {
			best = id
		}
	}
	return best
}

// fingerprint is a hex SHA-256 of the request body (JSON, keys sorted).
func fingerprint(body pipedrive.Entity) (string, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16]), nil
}

// klipyCode returns the field_code of the Klipy ID field of the phase's entity.
func (e *Engine) klipyCode(p phaseSpec) string { return e.schema.KlipyIDCode(p.fields) }
