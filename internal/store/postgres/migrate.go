package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

func migrationsFS() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	return sub
}

// schemaLockKey serializes schema creation across processes (a transaction advisory lock).
const schemaLockKey = 0x66657272 // "ferr"

// prepare creates the schema when missing and migrates it to the latest version through
// goose, whose session advisory lock lets one process migrate while the others wait.
func prepare(ctx context.Context, cfg *pgx.ConnConfig, schema string) error {
	db := openDB(cfg, 2)
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, schemaLockKey); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	return migrateUp(ctx, db, schema)
}

// migrateUp applies every pending migration of the embedded history.
func migrateUp(ctx context.Context, db *sql.DB, schema string) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version of %s: %w", schema, err)
	}
	srcs := p.ListSources()
	if latest := srcs[len(srcs)-1].Version; cur > latest {
		return fmt.Errorf("schema %s is at version %d, newer than this ferry knows (%d); use a newer ferry", schema, cur, latest)
	}
	// HasPending takes no lock: a schema that is current (every open but the first) never
	// waits on another process's migration.
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check schema %s for pending migrations: %w", schema, err)
	}
	if !pending {
		return nil
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate schema %s: %w", schema, err)
	}
	return nil
}

func provider(db *sql.DB) (*goose.Provider, error) {
	// Poll every second (goose's default is 5 s) for up to two minutes.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 120))
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, migrationsFS(),
		goose.WithDisableGlobalRegistry(true), goose.WithSessionLocker(locker))
}

// Migrate moves the schema to target (0 drops every table), for tests and downgrades.
func (s *Store) Migrate(ctx context.Context, target int64) error {
	p, err := provider(s.w)
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if cur < target {
		_, err = p.UpTo(ctx, target)
	} else if cur > target {
		_, err = p.DownTo(ctx, target)
	}
	if err != nil {
		return fmt.Errorf("migrate %s from %d to %d: %w", s.where, cur, target, err)
	}
	return nil
}

// Version returns the schema version.
func (s *Store) Version(ctx context.Context) (int64, error) {
	p, err := provider(s.w)
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}
