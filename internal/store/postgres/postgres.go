// Package postgres implements ferry's state store (package store) on PostgreSQL through pgx v5
// (its database/sql driver, so the SQL mirrors the SQLite store's statement for statement).
// One database holds many migrations: each workspace lives in its own schema, ferry_<name>,
// which the connections' search_path selects; the schema is created and migrated (goose,
// embedded SQL) on Open.
//
// Concurrency: writes go through a small pool of writer connections, so PostgreSQL commits
// the engine's concurrent writes together (one goroutine's writes still commit in the order it
// makes them); reads use a separate pool. Sequence numbers (journal, events) are assigned at
// insert, so with concurrent writers a number may become visible after a higher one; walks
// that must see every entry run after the writes (rollback, report). The workspace writer
// lock across processes and machines is a session advisory lock (Locker).
//
// Atomicity: every method that writes several rows does so in one transaction. Walks read in
// pages by key and hold no cursor while the callback runs.
//
// Secrets: a URL's password never appears in an error or a log line (Redact).
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"ferry/internal/store"
)

var _ store.Store = (*Store)(nil)

// readers and writers size the two pools. Several writer connections let PostgreSQL commit
// the engine's concurrent id-map and journal writes together (one WAL flush for several
// commits) instead of one after another.
const (
	readers = 4
	writers = 4
)

// SchemaPrefix starts the name of every workspace schema ferry makes.
const SchemaPrefix = "ferry_"

// Store is the PostgreSQL state store of one workspace. It is safe for concurrent use.
type Store struct {
	w, r   *sql.DB
	schema string
	where  string // "migration acme in postgres://ferry@db/ferry", for errors
}

// nameRE is what a migration's name may be: it becomes part of a schema name.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,39}$`)

// SchemaName returns the schema of the migration called name, or an error saying what names
// are allowed.
func SchemaName(name string) (string, error) {
	if !nameRE.MatchString(name) {
		return "", fmt.Errorf("migration name %q: use 1 to 40 lower-case letters, digits and underscores, starting with a letter or digit", name)
	}
	return SchemaPrefix + name, nil
}

// NameFor turns a folder name into a migration name: lower case, other characters as '_'.
func NameFor(folder string) string {
	b := []byte(strings.ToLower(folder))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	s := strings.Trim(string(b), "_")
	if len(s) > 40 {
		s = s[:40]
	}
	if s == "" {
		s = "workspace"
	}
	return s
}

// Redact returns the URL with its password replaced, for messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(an unparsable PostgreSQL URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// IsURL reports whether s names a PostgreSQL store.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// connConfig parses rawURL and points search_path at schema (none when empty).
func connConfig(rawURL, schema string) (*pgx.ConnConfig, error) {
	if !IsURL(rawURL) {
		return nil, fmt.Errorf("store URL %s: want postgres://user@host:port/database", Redact(rawURL))
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store URL %s: cannot parse it (see PostgreSQL's connection URI format)", Redact(rawURL))
	}
	if schema != "" {
		cfg.RuntimeParams["search_path"] = schema
	}
	return cfg, nil
}

// Open opens the migration called name in the database rawURL names, creating its schema and
// migrating it to the latest version. Errors name the database without its password.
func Open(ctx context.Context, rawURL, name string) (*Store, error) {
	schema, err := SchemaName(name)
	if err != nil {
		return nil, err
	}
	cfg, err := connConfig(rawURL, schema)
	if err != nil {
		return nil, err
	}
	s := &Store{schema: schema, where: fmt.Sprintf("migration %s in %s", name, Redact(rawURL))}
	if err := prepare(ctx, cfg, schema); err != nil {
		return nil, fmt.Errorf("open %s: %w", s.where, err)
	}
	s.w = openDB(cfg, writers)
	s.r = openDB(cfg, readers)
	if err := s.r.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", s.where, err)
	}
	return s, nil
}

func openDB(cfg *pgx.ConnConfig, conns int) *sql.DB {
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db
}

// Schema returns the store's schema.
func (s *Store) Schema() string { return s.schema }

// Close releases both pools.
func (s *Store) Close() error {
	var errs []error
	for _, db := range []*sql.DB{s.r, s.w} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", s.where, err)
	}
	return nil
}

// tx runs fn in one write transaction: committed when fn returns nil, rolled back otherwise.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// List returns the names of the migrations the database rawURL names holds (the ferry_*
// schemas whose tables exist), sorted.
func List(ctx context.Context, rawURL string) ([]string, error) {
	cfg, err := connConfig(rawURL, "")
	if err != nil {
		return nil, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("list migrations in %s: %w", Redact(rawURL), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, `SELECT substr(table_schema, length($1) + 1) FROM information_schema.tables
		WHERE table_name = 'writer_lock' AND starts_with(table_schema, $1) ORDER BY 1`, SchemaPrefix)
	if err != nil {
		return nil, fmt.Errorf("list migrations in %s: %w", Redact(rawURL), err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list migrations in %s: %w", Redact(rawURL), err)
	}
	return names, nil
}

// OpenExisting opens the migration called name without creating or migrating its schema (for
// readers such as ferry status); a migration that does not exist is an error wrapping
// store.ErrNotFound.
func OpenExisting(ctx context.Context, rawURL, name string) (*Store, error) {
	schema, err := SchemaName(name)
	if err != nil {
		return nil, err
	}
	cfg, err := connConfig(rawURL, schema)
	if err != nil {
		return nil, err
	}
	s := &Store{schema: schema, where: fmt.Sprintf("migration %s in %s", name, Redact(rawURL))}
	s.w, s.r = openDB(cfg, 1), openDB(cfg, readers)
	var exists bool
	// writer_lock is the last table of the first migration, which commits as one transaction:
	// when it is visible, every table is.
	if err := s.r.QueryRowContext(ctx, `SELECT to_regclass('writer_lock') IS NOT NULL`).Scan(&exists); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", s.where, err)
	}
	if !exists {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", s.where, store.ErrNotFound)
	}
	return s, nil
}
