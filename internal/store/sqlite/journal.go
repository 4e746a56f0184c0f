package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"ferry/internal/store"
)

// AppendJournal appends an entry and returns its sequence number, which increases with every
// append and is never reused. Seq is assigned by the store and e.Seq is ignored; CreatedAt is
// stored as given, or as now when zero. Op is required.
func (s *Store) AppendJournal(ctx context.Context, e store.JournalEntry) (int64, error) {
	if e.Op == "" {
		return 0, fmt.Errorf("append journal (run %d, entity %q): empty op; an op such as create or update is required", e.RunID, e.Entity)
	}
	res, err := s.exec(ctx, `INSERT INTO journal (run_id, op, entity, dest_id, source_id, undo, undone, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.RunID, e.Op, e.Entity, e.DestID, e.SourceID, e.Undo, boolInt(e.Undone), stamp(e.CreatedAt))
	if err != nil {
		return 0, fmt.Errorf("append journal %s %s (run %d): %w", e.Op, e.Entity, e.RunID, err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("append journal %s %s (run %d): %w", e.Op, e.Entity, e.RunID, err)
	}
	return seq, nil
}

const journalColumns = `seq, run_id, op, entity, dest_id, source_id, undo, undone, created_at`

func scanJournal(rows *sql.Rows) (store.JournalEntry, error) {
	var e store.JournalEntry
	var created sql.NullInt64
	err := rows.Scan(&e.Seq, &e.RunID, &e.Op, &e.Entity, &e.DestID, &e.SourceID, &e.Undo, &e.Undone, &created)
	e.CreatedAt = fromStamp(created)
	return e, err
}

// EachJournal walks the journal of a run (every run when runID is 0) in sequence order, or in
// reverse order when reverse is set. fn may call any other method, MarkUndone and
// AppendJournal included; fn's error stops the walk and is returned as is.
func (s *Store) EachJournal(ctx context.Context, runID int64, reverse bool, fn func(store.JournalEntry) error) error {
	start := int64(0)
	if reverse {
		start = math.MaxInt64
	}
	q := journalPageQuery(runID, reverse)
	fetch := func(after int64) ([]store.JournalEntry, error) {
		es, err := collect(ctx, s.r, scanJournal, q, runID, after, pageSize)
		if err != nil {
			return nil, fmt.Errorf("walk journal of run %d: %w", runID, err)
		}
		return es, nil
	}
	key := func(e store.JournalEntry) int64 { return e.Seq }
	return walk(ctx, start, fetch, key, fn)
}

// journalPageQuery is the page query of EachJournal. Parameters: ?1 run id, ?2 the last seq
// read, ?3 the page size.
func journalPageQuery(runID int64, reverse bool) string {
	cmp, order := ">", "ASC"
	if reverse {
		cmp, order = "<", "DESC"
	}
	runCond := "run_id = ?1"
	if runID == 0 {
		runCond = "?1 = 0"
	}
	return `SELECT ` + journalColumns + ` FROM journal WHERE ` + runCond + ` AND seq ` + cmp + ` ?2
		ORDER BY seq ` + order + ` LIMIT ?3`
}

// MarkUndone records that the entry seq has been undone. Marking an entry twice is not an
// error; an unknown seq returns an error wrapping store.ErrNotFound.
func (s *Store) MarkUndone(ctx context.Context, seq int64) error {
	// SQLite counts a matched row as changed even when undone was already 1.
	res, err := s.exec(ctx, `UPDATE journal SET undone = 1 WHERE seq = ?`, seq)
	if err != nil {
		return fmt.Errorf("mark journal entry %d undone: %w", seq, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("mark journal entry %d undone: %w", seq, err)
	}
	if n == 0 {
		return notFound("mark journal entry %d undone", seq)
	}
	return nil
}
