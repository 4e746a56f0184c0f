package rollback

import (
	"context"
	"fmt"
	"strconv"

	"ferry/internal/store"
)

// undoneTarget is a record a finished undo touched: a created record now deleted, or a
// merged-into record whose pre-image is back.
type undoneTarget struct {
	entity string
	id     int64
}

// ResetUndone makes what the undone journal entries of scope (every run when 0) touched no
// longer "done" in the id map, so that the next ferry run migrates those records again:
//
//   - a record whose create was undone (deleted in Pipedrive), and every merged duplicate
//     pointing at it, goes back to pending;
//   - a survivor merged into an existing Pipedrive record whose update was undone (pre-image
//     restored) goes back to pending, and so do its duplicates.
//
// A row written by a later run than the undone entry (the record was migrated again since)
// is left alone. The reset rows carry runID (0: a rollback finished before rows were reset)
// and say which rollback undid them. It returns
// how many rows it reset.
func ResetUndone(ctx context.Context, st store.Store, scope, runID int64) (int, error) {
	deleted := map[undoneTarget]int64{} // → the newest run whose undone create it was
	restored := map[undoneTarget]int64{}
	err := st.EachJournal(ctx, scope, false, func(e store.JournalEntry) error {
		if !e.Undone {
			return nil
		}
		s, err := decodeStep(e)
		if err != nil || s.undo.ID == 0 || s.Entry.SourceID == "" {
			return nil // schema entries and entries with no undo: no id-map row
		}
		t := undoneTarget{entity: s.Entity, id: s.undo.ID}
		into := deleted
		if s.Restore {
			into = restored
		}
		into[t] = max(into[t], e.RunID)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rollback: read undone journal entries: %w", err)
	}
	if len(deleted)+len(restored) == 0 {
		return 0, nil
	}
	var reset []store.Mapping
	err = st.EachMapping(ctx, "", "", func(m store.Mapping) error {
		if m.DestID == 0 || (m.State != store.Done && m.State != store.Merged) {
			return nil
		}
		t := undoneTarget{entity: m.Entity, id: m.DestID}
		run, gone := deleted[t]
		if !gone && m.State == store.Merged {
			run, gone = restored[t]
		}
		if gone && m.RunID <= run {
			reset = append(reset, m)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rollback: read the id map: %w", err)
	}
	for _, m := range reset {
		was := m.Entity + " " + strconv.FormatInt(m.DestID, 10)
		m.State, m.DestID, m.Fingerprint, m.RunID = store.Pending, 0, "", runID
		by := "an earlier rollback"
		if runID != 0 {
			by = "rollback run " + strconv.FormatInt(runID, 10)
		}
		m.Reason = fmt.Sprintf("undone by %s (was %s); ferry run migrates it again", by, was)
		if err := st.PutMapping(ctx, m); err != nil {
			return 0, fmt.Errorf("rollback: reset %s %s to pending: %w", m.Kind, m.SourceID, err)
		}
	}
	return len(reset), nil
}
