package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
)

// recordsVersionCursor is the cursor holding the records version: a random token replaced,
// in the same transaction, by every write that may change a record's content or remove one.
const recordsVersionCursor = "store.records_version"

// bumpRecordsVersion gives the records a new version inside tx.
func bumpRecordsVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO cursors (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, recordsVersionCursor, rand.Text())
	if err != nil {
		return fmt.Errorf("bump the records version: %w", err)
	}
	return nil
}

// RecordsVersion returns a token that changes whenever the content of the snapshot (the
// records' kinds, ids and hashes) may have changed: equal tokens mean an equal snapshot, so
// the plan lock need not walk it again. A store whose records were never written returns "".
func (s *Store) RecordsVersion(ctx context.Context) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM cursors WHERE name = ?`, recordsVersionCursor).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the records version: %w", err)
	}
	return v, nil
}
