package delta

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/migrate"
	"ferry/internal/store"
)

// deleteMark is the in-flight cursor value of a delete.
const deleteMark = "delete"

// applyRemoved reports the done records of row's kind that are gone from the snapshot and,
// with opts.Delete, deletes them in Pipedrive (the id map row then says skipped, with why).
func applyRemoved(ctx context.Context, st store.Store, eng *migrate.Engine, row *Row, opts Options) error {
	var gone []store.Mapping
	err := st.EachMapping(ctx, row.Kind, store.Done, func(m store.Mapping) error {
		_, err := st.GetRecord(ctx, row.Kind, m.SourceID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			gone = append(gone, m)
			return nil
		default:
			return err
		}
	})
	if err != nil {
		return err
	}
	for _, m := range gone {
		row.Reported++
		row.Removed = append(row.Removed, m.SourceID)
		if !opts.Delete {
			continue
		}
		if err := remove(ctx, st, eng, row, m); err != nil {
			return err
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
