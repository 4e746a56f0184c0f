package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"ferry/internal/source"
	"ferry/internal/store"
)

// Quarantine stores a row that could not be read or mapped. The store assigns q.ID; Created is
// stored as given, or as now when zero. Reason is required: a quarantined row always says why.
func (s *Store) Quarantine(ctx context.Context, q store.QuarantineItem) error {
	if q.Reason == "" {
		return fmt.Errorf("quarantine %s row %s:%d: empty reason; a reason is required", q.Kind, q.File, q.Line)
	}
	_, err := s.exec(ctx, `INSERT INTO quarantine (kind, file, line, col, reason, raw, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		string(q.Kind), q.File, q.Line, q.Column, q.Reason, q.Raw, stamp(q.Created))
	if err != nil {
		return fmt.Errorf("quarantine %s row %s:%d: %w", q.Kind, q.File, q.Line, err)
	}
	return nil
}

// QuarantineItems lists quarantined rows of kind (every kind when empty) in the order they
// were quarantined.
func (s *Store) QuarantineItems(ctx context.Context, kind source.Kind) ([]store.QuarantineItem, error) {
	q := `SELECT id, kind, file, line, col, reason, raw, created_at FROM quarantine WHERE kind = ? ORDER BY id`
	if kind == "" {
		q = `SELECT id, kind, file, line, col, reason, raw, created_at FROM quarantine WHERE ? = '' ORDER BY id`
	}
	scan := func(rows *sql.Rows) (store.QuarantineItem, error) {
		var it store.QuarantineItem
		var created sql.NullInt64
		err := rows.Scan(&it.ID, &it.Kind, &it.File, &it.Line, &it.Column, &it.Reason, &it.Raw, &created)
		it.Created = fromStamp(created)
		return it, err
	}
	items, err := collect(ctx, s.r, scan, q, string(kind))
	if err != nil {
		return nil, fmt.Errorf("list quarantine of kind %q: %w", kind, err)
	}
	return items, nil
}

// ClearQuarantine removes quarantined rows of kind (every kind when empty) that came from file
// (every file when empty).
func (s *Store) ClearQuarantine(ctx context.Context, kind source.Kind, file string) error {
	_, err := s.exec(ctx, `DELETE FROM quarantine WHERE (?1 = '' OR kind = ?1) AND (?2 = '' OR file = ?2)`,
		string(kind), file)
	if err != nil {
		return fmt.Errorf("clear quarantine of kind %q, file %q: %w", kind, file, err)
	}
	return nil
}
