package delta

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
)

// Options are what a delta may do beyond creating and updating.
type Options struct {
	Delete bool // delete in Pipedrive the records deleted in Klipy
	// Progress, when set, is told after each deletion how many of the kind's are done.
	Progress func(kind source.Kind, done, total int)
}

// Row is the reconciliation of one kind: Source = Created + Updated + Unchanged + Merged +
// Failed + Other, where Other is what the run's own reconciliation accounts for (pending,
// held, skipped, quarantined, failed creates). Reported counts records deleted in Klipy
// (not in Source), Deleted those of them deleted in Pipedrive.
type Row struct {
	Kind      source.Kind `json:"kind"`
	Source    int         `json:"source"`
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Merged    int         `json:"merged"`
	Failed    int         `json:"failed"`
	Other     int         `json:"other"`
	Reported  int         `json:"reported"`
	Deleted   int         `json:"deleted"`
	Failures  []string    `json:"failures,omitempty"`
	Removed   []string    `json:"removed,omitempty"` // source ids deleted in Klipy
}

// Report is what a delta did.
type Report struct {
	RunID int64          `json:"run_id"`
	Rows  []Row          `json:"rows"`
	Run   migrate.Report `json:"run"`
}

// Apply runs eng (configured with RunKind "delta") to create what is new in the fresh
// snapshot, then updates changed records and handles deleted ones. The fresh extract must
// be in the store already, and Baseline must have run.
func Apply(ctx context.Context, st store.Store, eng *migrate.Engine, opts Options) (Report, error) {
	before, err := doneIDs(ctx, st)
	if err != nil {
		return Report{}, err
	}
	rep := Report{}
	rep.Run, err = eng.Run(ctx)
	rep.RunID = rep.Run.RunID
	if err != nil {
		return rep, fmt.Errorf("delta: %w", err)
	}
	for _, k := range migrate.Phases() {
		row, err := applyKind(ctx, st, eng, k, before[k], opts)
		rep.Rows = append(rep.Rows, row)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// doneIDs lists, per kind, the records done before the delta's run.
func doneIDs(ctx context.Context, st store.Store) (map[source.Kind]map[string]bool, error) {
	out := map[source.Kind]map[string]bool{}
	for _, k := range migrate.Phases() {
		out[k] = map[string]bool{}
		err := st.EachMapping(ctx, k, store.Done, func(m store.Mapping) error {
			out[k][m.SourceID] = true
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("delta: read id map: %w", err)
		}
	}
	return out, nil
}

// applyKind updates the changed records of k and handles its deleted ones.
func applyKind(ctx context.Context, st store.Store, eng *migrate.Engine, k source.Kind, before map[string]bool, opts Options) (Row, error) {
	row := Row{Kind: k}
	var changed []*migrate.DeltaTarget
	err := st.EachRecord(ctx, k, func(rec source.Record) error {
		row.Source++
		t, err := applyRecord(ctx, st, &row, rec, before[rec.ID])
		if t != nil {
			changed = append(changed, t)
		}
		return err
	})
	if err != nil {
		return row, fmt.Errorf("delta: %s: %w", k, err)
	}
	if err := updateChanged(ctx, st, eng, &row, changed); err != nil {
		return row, fmt.Errorf("delta: %s: %w", k, err)
	}
	if err := applyRemoved(ctx, st, eng, &row, opts); err != nil {
		return row, fmt.Errorf("delta: %s: %w", k, err)
	}
	return row, nil
}

// applyRecord classifies one snapshot record; one whose hash changed is returned to be
// updated.
func applyRecord(ctx context.Context, st store.Store, row *Row, rec source.Record, wasDone bool) (*migrate.DeltaTarget, error) {
	m, err := st.GetMapping(ctx, row.Kind, rec.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		row.Other++
		return nil, nil
	case err != nil:
		return nil, err
	case m.State == store.Merged:
		row.Merged++
		return nil, nil
	case m.State != store.Done:
		row.Other++
		return nil, nil
	case !wasDone:
		row.Created++
		return nil, st.PutCursor(ctx, hashCursor(row.Kind, rec.ID), rec.Hash())
	}
	base, err := migratedHash(ctx, st, row.Kind, rec.ID)
	if err != nil {
		return nil, err
	}
	if base == "" {
		// Done before delta existed and missed by Baseline: nothing to compare with.
		row.Unchanged++
		return nil, st.PutCursor(ctx, hashCursor(row.Kind, rec.ID), rec.Hash())
	}
	if base == rec.Hash() {
		row.Unchanged++
		return nil, nil
	}
	return &migrate.DeltaTarget{Mapping: m, Record: rec}, nil
}

// updateChanged reads the changed records back (the read-back and comparison of run --sample
// and verify) and updates those Pipedrive does not already hold as Klipy has them now.
func updateChanged(ctx context.Context, st store.Store, eng *migrate.Engine, row *Row, changed []*migrate.DeltaTarget) error {
	if len(changed) == 0 {
		return nil
	}
	if err := eng.PrepareDelta(ctx, row.Kind, changed); err != nil {
		return err
	}
	for _, t := range changed {
		if err := update(ctx, st, eng, row, t); err != nil {
			return err
		}
	}
	return nil
}

// update patches one changed record, with the in-flight marker stored before the request; a
// record Pipedrive already holds as it would be sent counts as unchanged.
func update(ctx context.Context, st store.Store, eng *migrate.Engine, row *Row, t *migrate.DeltaTarget) error {
	rec := t.Record
	h := rec.Hash()
	flight, err := st.GetCursor(ctx, inFlightCursor(row.Kind, rec.ID))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := st.PutCursor(ctx, inFlightCursor(row.Kind, rec.ID), h); err != nil {
		return err
	}
	sent, err := eng.DeltaUpdate(ctx, t, flight == h)
	if err != nil {
		if migrate.StopsDelta(err) || ctx.Err() != nil {
			return err
		}
		row.Failed++
		row.Failures = append(row.Failures, rec.ID+": "+err.Error())
		return nil
	}
	if sent {
		row.Updated++
	} else {
		row.Unchanged++
	}
	if err := st.PutCursor(ctx, hashCursor(row.Kind, rec.ID), h); err != nil {
		return err
	}
	return st.PutCursor(ctx, inFlightCursor(row.Kind, rec.ID), "")
}
