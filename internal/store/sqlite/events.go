package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"ferry/internal/store"
)

// PutEvent stores an event once per id and reports whether it was new; a repeated id leaves the
// first delivery untouched and returns false. ReceivedAt is stored as given, or as now when
// zero. ID is required.
func (s *Store) PutEvent(ctx context.Context, e store.Event) (bool, error) {
	if e.ID == "" {
		return false, errors.New("put event: empty id; the delivery's message id is required")
	}
	res, err := s.exec(ctx, `INSERT INTO events (id, type, payload, received_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, e.ID, e.Type, e.Payload, stamp(e.ReceivedAt))
	if err != nil {
		return false, fmt.Errorf("put event %s: %w", e.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("put event %s: %w", e.ID, err)
	}
	return n == 1, nil
}

type eventRow struct {
	seq int64
	ev  store.Event
}

// EachEvent walks events in the order they were stored. fn may call any other method; fn's
// error stops the walk and is returned as is.
func (s *Store) EachEvent(ctx context.Context, fn func(store.Event) error) error {
	scan := func(rows *sql.Rows) (eventRow, error) {
		var r eventRow
		var received sql.NullInt64
		err := rows.Scan(&r.seq, &r.ev.ID, &r.ev.Type, &r.ev.Payload, &received)
		r.ev.ReceivedAt = fromStamp(received)
		return r, err
	}
	fetch := func(after int64) ([]eventRow, error) {
		rs, err := collect(ctx, s.r, scan, `SELECT seq, id, type, payload, received_at FROM events
			WHERE seq > ? ORDER BY seq LIMIT ?`, after, pageSize)
		if err != nil {
			return nil, fmt.Errorf("walk events: %w", err)
		}
		return rs, nil
	}
	key := func(r eventRow) int64 { return r.seq }
	return walk(ctx, 0, fetch, key, func(r eventRow) error { return fn(r.ev) })
}
