package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"ferry/internal/store/flock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable is goose's version table in the state database.
const versionTable = "goose_db_version"

// migrationsFS is the embedded schema history: migrations/NNNNN_name.sql files in goose's
// format (-- +goose Up / -- +goose Down), each applied in one transaction.
func migrationsFS() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	return sub
}

// latest is the newest schema version this ferry knows: the highest NNNNN of the embedded
// migration files.
func latest() int64 {
	names, err := fs.Glob(migrationsFS(), "*.sql")
	if err != nil {
		panic(err)
	}
	var v int64
	for _, name := range names {
		n, err := goose.NumericComponent(name)
		if err != nil {
			panic(fmt.Sprintf("migration %s: %v", name, err)) // tests catch a misnamed file
		}
		v = max(v, n)
	}
	return v
}

// provider returns the goose provider of the store's schema, migrating through the writer
// connection and serialized across processes by a file lock beside the database.
func (s *Store) provider() (*goose.Provider, error) {
	return goose.NewProvider(goose.DialectSQLite3, s.w, migrationsFS(),
		goose.WithDisableGlobalRegistry(true),
		goose.WithLocker(&fileLocker{path: s.path + ".migrate.lock"}))
}

// Migrate moves the schema up or down to target (0 drops every table; latest() is what Open
// migrates to) through goose, one migration per transaction, so a crash leaves the schema at
// the last complete version. It returns an error when target is out of range, when the
// database is newer than this ferry, or when a step fails.
func (s *Store) Migrate(ctx context.Context, target int64) error {
	if target < 0 || target > latest() {
		return fmt.Errorf("migrate: target version %d out of range; allowed 0 to %d", target, latest())
	}
	if err := s.adoptLegacyVersion(ctx); err != nil {
		return err
	}
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	switch {
	case cur > latest():
		return fmt.Errorf("migrate: schema version %d is newer than this ferry knows (%d); use a newer ferry", cur, latest())
	case cur < target:
		_, err = p.UpTo(ctx, target)
	case cur > target:
		_, err = p.DownTo(ctx, target)
	}
	if err != nil {
		return fmt.Errorf("migrate %d to %d: %w", cur, target, err)
	}
	return nil
}

// Version returns the schema version.
func (s *Store) Version(ctx context.Context) (int64, error) {
	p, err := s.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// adoptLegacyVersion converts the version table of ferry's earlier hand-written migrator
// (schema_version: one row, version and a dirty mark) into goose's: the same versions, applied.
// A dirty mark means the step never committed (its SQL and the clearing of the mark were one
// transaction), so the schema is at from_version. Done once, in one transaction.
func (s *Store) adoptLegacyVersion(ctx context.Context) error {
	var n int
	err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var version, dirty, from int64
		if err := tx.QueryRowContext(ctx, `SELECT version, dirty, from_version FROM schema_version`).Scan(&version, &dirty, &from); err != nil {
			return fmt.Errorf("migrate: read the legacy schema_version: %w", err)
		}
		if dirty != 0 {
			version = from
		}
		st, err := database.NewStore(database.DialectSQLite3, versionTable)
		if err != nil {
			return err
		}
		if err := st.CreateVersionTable(ctx, tx); err != nil {
			return fmt.Errorf("migrate: create %s: %w", versionTable, err)
		}
		for v := int64(0); v <= version; v++ {
			if err := st.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
				return fmt.Errorf("migrate: adopt legacy version %d: %w", v, err)
			}
		}
		_, err = tx.ExecContext(ctx, `DROP TABLE schema_version`)
		return err
	})
}

// fileLocker is goose's lock.Locker as a blocking OS lock (package flock) on a file beside the
// database: two processes opening a new workspace at once migrate one after the other. The
// lock is on its own file, apart from SQLite's locks, and the OS frees a dead process's lock.
type fileLocker struct {
	path string
	f    *os.File
}

func (l *fileLocker) Lock(ctx context.Context, _ *sql.DB) error {
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("migration lock %s: %w", l.path, err)
	}
	if err := flock.Lock(f, false); err != nil {
		f.Close()
		return fmt.Errorf("migration lock %s: %w", l.path, err)
	}
	l.f = f
	return nil
}

func (l *fileLocker) Unlock(context.Context, *sql.DB) error {
	if l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	return f.Close() // closing the descriptor releases the flock
}
