// Package sqlite implements ferry's state store (package store) on SQLite through the pure-Go
// driver modernc.org/sqlite. One file (by default .ferry/state.db) holds the snapshot, runs,
// id map, journal, quarantine, decisions, events, budget ledger and cursors.
//
// Concurrency: every write goes through one writer connection, so goroutines of one process
// queue in Go instead of fighting over SQLite's file lock; reads use a separate pool of
// read-only connections, which WAL mode lets run beside the writer. Other processes on the same
// file (ferry listen next to ferry run) wait up to the busy timeout for the lock.
//
// Atomicity: every method that writes several rows does so in one transaction, so a crash
// leaves either all of the write or none of it. Walks (EachRecord, EachMapping, EachJournal,
// EachEvent) read in pages by key and hold no cursor while the callback runs, so a callback may
// call any other method, writes included.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"ferry/internal/store"
)

var _ store.Store = (*Store)(nil)

// busyTimeoutMS is how long a connection waits for another process's lock before SQLITE_BUSY.
const busyTimeoutMS = 10000

// readers is the size of the read-only connection pool.
const readers = 4

// Store is the SQLite state store. It is safe for concurrent use by several goroutines.
type Store struct {
	w    *sql.DB // exactly one connection: all writes
	r    *sql.DB // read-only pool
	path string
	gc   *committer // group commit of single-statement writes (see group.go)
}

// Open opens (creating it and its parent directory when missing) the state database at path
// and migrates its schema to the latest version. path must be a plain file path: ":memory:",
// "file:" URIs and paths containing '?' are refused, because the store opens the file through
// two connection pools that must see the same database. The error wraps the cause: an
// unreadable or corrupt file, a schema newer than this ferry knows, or a failed migration.
func Open(path string) (*Store, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	if err := createFile(path); err != nil {
		return nil, err
	}
	w, err := openDB(writerDSN(path), 1)
	if err != nil {
		return nil, fmt.Errorf("open state store %s: %w", path, err)
	}
	s := &Store{w: w, path: path}
	if err := s.Migrate(context.Background(), latest()); err != nil {
		w.Close()
		return nil, fmt.Errorf("open state store %s: %w", path, err)
	}
	r, err := openDB(readerDSN(path), readers)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open state store %s: %w", path, err)
	}
	s.r = r
	s.startCommitter()
	return s, nil
}

// Close releases both connection pools; the store cannot be used afterwards.
func (s *Store) Close() error {
	s.stopCommitter()
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close state store %s: %w", s.path, err)
	}
	return nil
}

func checkPath(path string) error {
	switch {
	case path == "":
		return errors.New("open state store: empty path; a file path is required")
	case path == ":memory:" || strings.HasPrefix(path, "file:"):
		return fmt.Errorf("open state store %q: only plain file paths are allowed, not in-memory databases or URIs", path)
	case strings.Contains(path, "?"):
		return fmt.Errorf("open state store %q: the path may not contain '?'", path)
	}
	return nil
}

// createFile makes the parent directory and an empty database file readable by the owner only
// (the snapshot holds customer data); SQLite gives its -wal and -shm files the same mode.
func createFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("open state store %s: create directory: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open state store %s: %w", path, err)
	}
	return f.Close()
}

// writerDSN configures the writer connection.
//
// synchronous=FULL: WAL already makes every transaction atomic across a process crash with
// NORMAL, but NORMAL may lose the last commits on power loss or an OS crash. ferry writes a
// record's in_flight state before it sends the request (DESIGN.md invariant 3); if that write
// were lost after the request went out, a resumed run would send it again and duplicate the
// record. FULL syncs the WAL on every commit so a returned write is durable. The cost is one
// fsync per transaction, small beside a Pipedrive round trip, and bulk writes (PutRecords)
// pay it once per batch.
//
// _txlock=immediate: a write transaction takes the lock at BEGIN, so it waits on the busy
// handler there instead of failing with SQLITE_BUSY when it first writes.
func writerDSN(path string) string {
	return fmt.Sprintf("%s?_busy_timeout=%d&_journal_mode=WAL&_synchronous=FULL&_foreign_keys=1&_txlock=immediate",
		path, busyTimeoutMS)
}

// readerDSN configures the read-only pool; query_only guards against a write slipping onto it.
func readerDSN(path string) string {
	return fmt.Sprintf("%s?_busy_timeout=%d&_foreign_keys=1&_query_only=1", path, busyTimeoutMS)
}

func openDB(dsn string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := pingBusy(db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// sqliteBusy is SQLite's result code SQLITE_BUSY.
const sqliteBusy = 5

// pingBusy opens the first connection, waiting out SQLITE_BUSY for up to busyTimeoutMS:
// switching a new file to WAL needs an exclusive lock and does not go through the busy
// handler, so two ferry processes opening a fresh workspace at once would otherwise fail.
func pingBusy(db *sql.DB) error {
	deadline := time.Now().Add(busyTimeoutMS * time.Millisecond)
	for {
		err := db.Ping()
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqliteBusy || time.Now().After(deadline) {
			return err
		}
		time.Sleep(25 * time.Millisecond)
	}
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
