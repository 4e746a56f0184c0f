package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"ferry/internal/store"
)

// finalStatus lists the statuses FinishRun accepts.
var finalStatus = map[string]bool{"done": true, "failed": true, "stopped": true}

// StartRun opens a run with status "running" and returns it with its id. kind is required.
func (s *Store) StartRun(ctx context.Context, kind, note string) (store.Run, error) {
	if kind == "" {
		return store.Run{}, errors.New("start run: empty kind; a kind such as run, sample, delta or rollback is required")
	}
	now := time.Now()
	res, err := s.exec(ctx, `INSERT INTO runs (kind, status, started_at, note) VALUES (?, 'running', ?, ?)`,
		kind, now.UnixNano(), note)
	if err != nil {
		return store.Run{}, fmt.Errorf("start run %s: %w", kind, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return store.Run{}, fmt.Errorf("start run %s: %w", kind, err)
	}
	return store.Run{ID: id, Kind: kind, Status: "running", StartedAt: time.Unix(0, now.UnixNano()).UTC(), Note: note}, nil
}

// FinishRun sets a run's final status (done, failed or stopped) and finish time. It returns an
// error wrapping store.ErrNotFound when the run does not exist.
func (s *Store) FinishRun(ctx context.Context, id int64, status string) error {
	if !finalStatus[status] {
		return fmt.Errorf("finish run %d: status %q not allowed; use done, failed or stopped", id, status)
	}
	res, err := s.exec(ctx, `UPDATE runs SET status = ?, finished_at = ? WHERE id = ?`,
		status, time.Now().UnixNano(), id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return fmt.Errorf("finish run %d: %w", id, err)
		}
		return notFound("finish run %d", id)
	}
	return nil
}

const runColumns = `id, kind, status, started_at, finished_at, note`

func scanRun(sc scanner) (store.Run, error) {
	var r store.Run
	var started, finished sql.NullInt64
	err := sc.Scan(&r.ID, &r.Kind, &r.Status, &started, &finished, &r.Note)
	r.StartedAt, r.FinishedAt = fromStamp(started), fromStamp(finished)
	return r, err
}

// GetRun returns one run, or an error wrapping store.ErrNotFound.
func (s *Store) GetRun(ctx context.Context, id int64) (store.Run, error) {
	r, err := scanRun(s.r.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("get run %d", id)
	}
	if err != nil {
		return r, fmt.Errorf("get run %d: %w", id, err)
	}
	return r, nil
}

// Runs lists every run, newest first.
func (s *Store) Runs(ctx context.Context) ([]store.Run, error) {
	scan := func(rows *sql.Rows) (store.Run, error) { return scanRun(rows) }
	runs, err := collect(ctx, s.r, scan, `SELECT `+runColumns+` FROM runs ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// PutCursor stores a named value, replacing any earlier one. name is required.
func (s *Store) PutCursor(ctx context.Context, name, value string) error {
	if name == "" {
		return errors.New("put cursor: empty name; a name is required")
	}
	_, err := s.exec(ctx, `INSERT INTO cursors (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("put cursor %q: %w", name, err)
	}
	return nil
}

// GetCursor returns a named value, or an error wrapping store.ErrNotFound.
func (s *Store) GetCursor(ctx context.Context, name string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM cursors WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("get cursor %q", name)
	}
	if err != nil {
		return "", fmt.Errorf("get cursor %q: %w", name, err)
	}
	return v, nil
}
