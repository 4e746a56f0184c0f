package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is the embedded schema history; loadMigrations checks it at start-up.
var migrations = mustLoad(migrationFiles)

// dirtyWait is how long Migrate waits for a dirty mark to clear (another process migrating the
// same file) before treating it as left behind by a crash.
var dirtyWait = busyTimeoutMS * time.Millisecond

func mustLoad(fsys fs.FS) []migration {
	ms, err := loadMigrations(fsys)
	if err != nil {
		panic(err) // the embedded files are part of the binary; tests catch this
	}
	return ms
}

func latest() int { return len(migrations) }

// Migrate moves the schema up or down, one version at a time, to target (0 drops every table;
// the newest version is what Open migrates to). Each step follows golang-migrate's protocol:
// mark the version dirty, then apply the step's SQL and clear the mark in one transaction. It
// returns an error when target is out of range, when the database is newer than this ferry, or
// when a step fails (that step is rolled back and the version stays at the last good step).
func (s *Store) Migrate(ctx context.Context, target int) error {
	return migrate(ctx, s.w, migrations, target)
}

// Version returns the schema version and whether a migration to it stopped halfway (dirty).
func (s *Store) Version(ctx context.Context) (int, bool, error) {
	if err := ensureVersionTable(ctx, s.w); err != nil {
		return 0, false, err
	}
	v, err := readVersion(ctx, s.w)
	return v.version, v.dirty, err
}

type versionRow struct {
	version, from int
	dirty         bool
}

func migrate(ctx context.Context, db *sql.DB, ms []migration, target int) error {
	if target < 0 || target > len(ms) {
		return fmt.Errorf("migrate: target version %d out of range; allowed 0 to %d", target, len(ms))
	}
	if err := ensureVersionTable(ctx, db); err != nil {
		return err
	}
	for {
		v, err := cleanVersion(ctx, db)
		if err != nil {
			return err
		}
		if v > len(ms) {
			return fmt.Errorf("migrate: schema version %d is newer than this ferry knows (%d); use a newer ferry", v, len(ms))
		}
		if v == target {
			return nil
		}
		if v < target {
			err = step(ctx, db, v, v+1, ms[v].up)
		} else {
			err = step(ctx, db, v, v-1, ms[v-1].down)
		}
		if err != nil {
			return err
		}
	}
}

func ensureVersionTable(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		only_row     INTEGER PRIMARY KEY CHECK (only_row = 1),
		version      INTEGER NOT NULL,
		dirty        INTEGER NOT NULL,
		from_version INTEGER NOT NULL);
		INSERT OR IGNORE INTO schema_version VALUES (1, 0, 0, 0);`)
	if err != nil {
		return fmt.Errorf("migrate: create schema_version table: %w", err)
	}
	return nil
}

func readVersion(ctx context.Context, db *sql.DB) (versionRow, error) {
	var v versionRow
	err := db.QueryRowContext(ctx, `SELECT version, dirty, from_version FROM schema_version`).
		Scan(&v.version, &v.dirty, &v.from)
	if err != nil {
		return v, fmt.Errorf("migrate: read schema version: %w", err)
	}
	return v, nil
}

// cleanVersion returns the current version once it is not dirty. A dirty mark that outlives
// dirtyWait was left by a process that died mid-step. Because a step's SQL and the clearing of
// the mark commit in one transaction, a surviving mark proves the SQL did not commit, so the
// schema is still at from_version and the mark can be reset to it safely.
func cleanVersion(ctx context.Context, db *sql.DB) (int, error) {
	deadline := time.Now().Add(dirtyWait)
	for {
		v, err := readVersion(ctx, db)
		if err != nil || !v.dirty {
			return v.version, err
		}
		if time.Now().After(deadline) {
			_, err := db.ExecContext(ctx, `UPDATE schema_version SET version = from_version, dirty = 0
				WHERE dirty = 1 AND version = ? AND from_version = ?`, v.version, v.from)
			if err != nil {
				return 0, fmt.Errorf("migrate: reset dirty version %d to %d: %w", v.version, v.from, err)
			}
			continue
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("migrate: waiting for dirty version %d to clear: %w", v.version, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// step moves the schema from one version to the next (up or down).
func step(ctx context.Context, db *sql.DB, from, to int, sqlText string) error {
	res, err := db.ExecContext(ctx, `UPDATE schema_version SET version = ?, dirty = 1, from_version = ?
		WHERE version = ? AND dirty = 0`, to, from, from)
	if err != nil {
		return fmt.Errorf("migrate %d to %d: mark dirty: %w", from, to, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // another process moved the version first; the caller re-reads it
	}
	err = applyStep(ctx, db, sqlText)
	if err == nil {
		return nil
	}
	// The step's transaction rolled back, so the schema is still at from.
	if _, rerr := db.ExecContext(ctx, `UPDATE schema_version SET version = ?, dirty = 0 WHERE version = ?`, from, to); rerr != nil {
		return fmt.Errorf("migrate %d to %d: %w (and resetting the dirty mark failed: %v)", from, to, err, rerr)
	}
	return fmt.Errorf("migrate %d to %d: %w", from, to, err)
}

func applyStep(ctx context.Context, db *sql.DB, sqlText string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, sqlText); err != nil {
		tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET dirty = 0`); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
