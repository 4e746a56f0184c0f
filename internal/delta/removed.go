package delta

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
)

// deleteMark is the in-flight cursor value of a delete.
const deleteMark = "delete"

// Deletion is what ferry delta --delete would delete of one kind.
type Deletion struct {
	Kind     source.Kind `json:"kind"`
	Delete   int         `json:"delete"`   // migrated records gone from the snapshot
	Migrated int         `json:"migrated"` // migrated (done) records of the kind
}

// Percent is Delete as a share of Migrated.
func (d Deletion) Percent() float64 { return 100 * float64(d.Delete) / float64(max(d.Migrated, 1)) }

// PlanDeletions counts, per kind with any, the migrated records that are gone from the
// snapshot: what Apply with Options.Delete deletes in Pipedrive. It reads only the store.
func PlanDeletions(ctx context.Context, st store.Store) ([]Deletion, error) {
	var out []Deletion
	for _, k := range migrate.Phases() {
		d := Deletion{Kind: k}
		gone, err := goneMappings(ctx, st, k)
		if err != nil {
			return nil, fmt.Errorf("delta: %s: %w", k, err)
		}
		d.Delete = len(gone)
		if d.Delete == 0 {
			continue
		}
		if err := st.EachMapping(ctx, k, store.Done, func(store.Mapping) error { d.Migrated++; return nil }); err != nil {
			return nil, fmt.Errorf("delta: %s: %w", k, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// goneMappings lists the done id-map rows of kind whose record left the snapshot.
func goneMappings(ctx context.Context, st store.Store, kind source.Kind) ([]store.Mapping, error) {
	var gone []store.Mapping
	err := st.EachMapping(ctx, kind, store.Done, func(m store.Mapping) error {
		_, err := st.GetRecord(ctx, kind, m.SourceID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			gone = append(gone, m)
			return nil
		default:
			return err
		}
	})
	return gone, err
}

// applyRemoved reports the done records of row's kind that are gone from the snapshot and,
// with opts.Delete, deletes them in Pipedrive (the id map row then says skipped, with why).
func applyRemoved(ctx context.Context, st store.Store, eng *migrate.Engine, row *Row, opts Options) error {
	gone, err := goneMappings(ctx, st, row.Kind)
	if err != nil {
		return err
	}
	for i, m := range gone {
		row.Reported++
		row.Removed = append(row.Removed, m.SourceID)
		if !opts.Delete {
			continue
		}
		if err := remove(ctx, st, eng, row, m); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(row.Kind, i+1, len(gone))
		}
	}
	return nil
}

// remove deletes one record in Pipedrive, with the in-flight marker stored first.
func remove(ctx context.Context, st store.Store, eng *migrate.Engine, row *Row, m store.Mapping) error {
	name := inFlightCursor(row.Kind, m.SourceID)
	flight, err := st.GetCursor(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := st.PutCursor(ctx, name, deleteMark); err != nil {
		return err
	}
	if err := eng.DeltaDelete(ctx, m, flight == deleteMark); err != nil {
		if migrate.StopsDelta(err) || ctx.Err() != nil {
			return err
		}
		row.Failed++
		row.Failures = append(row.Failures, m.SourceID+": "+err.Error())
		return nil
	}
	row.Deleted++
	m.State, m.Reason = store.Skipped, fmt.Sprintf("deleted in Klipy; %s %d deleted in Pipedrive by ferry delta", m.Entity, m.DestID)
	if err := st.PutMapping(ctx, m); err != nil {
		return err
	}
	return st.PutCursor(ctx, name, "")
}
