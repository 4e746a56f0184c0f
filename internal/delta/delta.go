// Package delta applies what changed in Klipy since the last migration (ferry delta): new
// records are created by the engine; records whose content hash differs from the hash they
// had when migrated are read back and compared with what an update would send, by the one
// comparison ferry verify and run --sample make (migrate.PrepareDelta, package compare), and
// updated in Pipedrive (pre-image journaled) only when Pipedrive does not already hold it;
// records deleted in Klipy are reported, and deleted in Pipedrive only when asked.
//
// Baseline: the store keeps, per record, the content hash it had when it was last migrated
// (cursor "delta.hash.<kind>/<id>"). Records migrated before any delta have none; Baseline
// records the current snapshot hash for them, and the caller must call it only while the
// snapshot is still the one the confirmed run migrated (the confirmation lock is valid), before
// the fresh extract. Records a delta creates or updates get the hash they were sent with.
package delta

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
)

// baselineCursor is set once Baseline has run; later deltas need no valid lock.
const baselineCursor = "delta.baseline"

func hashCursor(k source.Kind, id string) string     { return "delta.hash." + string(k) + "/" + id }
func inFlightCursor(k source.Kind, id string) string { return "delta.inflight." + string(k) + "/" + id }

// HasBaseline reports whether a delta already recorded the migrated hashes.
func HasBaseline(ctx context.Context, st store.Store) (bool, error) {
	_, err := st.GetCursor(ctx, baselineCursor)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("delta: baseline: %w", err)
	}
	return true, nil
}

// Baseline records the current snapshot hash as the migrated hash of every done record that
// has none yet, and returns how many it recorded. See the package doc for when to call it.
func Baseline(ctx context.Context, st store.Store) (int, error) {
	n := 0
	for _, k := range migrate.Phases() {
		err := st.EachRecord(ctx, k, func(rec source.Record) error {
			m, err := st.GetMapping(ctx, k, rec.ID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && m.State != store.Done) {
				return nil
			}
			if err != nil {
				return err
			}
			if h, _ := migratedHash(ctx, st, k, rec.ID); h != "" {
				return nil
			}
			n++
			return st.PutCursor(ctx, hashCursor(k, rec.ID), rec.Hash())
		})
		if err != nil {
			return n, fmt.Errorf("delta: baseline %s: %w", k, err)
		}
	}
	if err := st.PutCursor(ctx, baselineCursor, "set"); err != nil {
		return n, fmt.Errorf("delta: baseline: %w", err)
	}
	return n, nil
}

// migratedHash returns the hash a record had when last migrated ("" when unknown).
func migratedHash(ctx context.Context, st store.Store, k source.Kind, id string) (string, error) {
	h, err := st.GetCursor(ctx, hashCursor(k, id))
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return h, err
}
