package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"ferry/internal/store"
)

// PutDecision upserts a decision by (kind, key); both are required. Updated is stored as
// given, or as now when zero.
func (s *Store) PutDecision(ctx context.Context, d store.Decision) error {
	if d.Kind == "" || d.Key == "" {
		return fmt.Errorf("put decision (kind %q, key %q): kind and key are required", d.Kind, d.Key)
	}
	_, err := s.exec(ctx, `INSERT INTO decisions (kind, key, value, open, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, open = excluded.open,
			updated_at = excluded.updated_at`,
		d.Kind, d.Key, d.Value, boolInt(d.Open), stamp(d.Updated))
	if err != nil {
		return fmt.Errorf("put decision %s/%s: %w", d.Kind, d.Key, err)
	}
	return nil
}

// Decisions lists decisions of kind (every kind when empty), ordered by kind and key.
func (s *Store) Decisions(ctx context.Context, kind string) ([]store.Decision, error) {
	q := `SELECT kind, key, value, open, updated_at FROM decisions WHERE kind = ? ORDER BY kind, key`
	if kind == "" {
		q = `SELECT kind, key, value, open, updated_at FROM decisions WHERE ? = '' ORDER BY kind, key`
	}
	scan := func(rows *sql.Rows) (store.Decision, error) {
		var d store.Decision
		var updated sql.NullInt64
		err := rows.Scan(&d.Kind, &d.Key, &d.Value, &d.Open, &updated)
		d.Updated = fromStamp(updated)
		return d, err
	}
	ds, err := collect(ctx, s.r, scan, q, kind)
	if err != nil {
		return nil, fmt.Errorf("list decisions of kind %q: %w", kind, err)
	}
	return ds, nil
}
