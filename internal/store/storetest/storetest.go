// Package storetest is the conformance suite of ferry's state store: every implementation of
// store.Store (SQLite and PostgreSQL) runs Run from its own tests, and may run Crash to
// prove that a killed writer never leaves half a write behind.
//
// Beyond the interface's comments, the suite pins down: ids and keys order byte by byte (use a
// "C" collation in PostgreSQL); an empty kind means every kind for the walks, counts and lists
// that take one; times given by the caller come back equal at microsecond precision and in UTC,
// times left zero are filled with the time of the write; walks hold nothing open while their
// callback runs, so a callback may write to the store.
package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/store"
)

// Opener returns a new, empty store for one subtest. The suite closes it.
type Opener func(t *testing.T) store.Store

// walkSize is how many rows the walk tests write one call at a time (each call is a durable
// commit, so this stays small); bulkSize is how many they write in one PutRecords. A store that
// reads walks in pages should run the suite with a page size below walkSize, so that every
// walk crosses pages.
const (
	walkSize = 300
	bulkSize = 2500
)

// Run runs the whole conformance suite against stores made by open, one fresh store per subtest.
// Walks are tested over 300 rows written one by one and 2,500 records written in one batch; a
// store that pages its walks should run Run with a page size below 300 so that they cross pages.
func Run(t *testing.T, open Opener) {
	areas := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"records", testRecords},
		{"runs", testRuns},
		{"mappings", testMappings},
		{"journal", testJournal},
		{"quarantine", testQuarantine},
		{"decisions", testDecisions},
		{"events", testEvents},
		{"ledger", testLedger},
		{"cursors", testCursors},
		{"concurrency", testConcurrency},
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) { a.fn(t, open) })
	}
}

// fresh opens a store for t and closes it when t ends.
func fresh(t *testing.T, open Opener) store.Store {
	t.Helper()
	st := open(t)
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st
}

// cmpOpts compares times by instant and treats nil and empty slices and maps alike.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmpopts.EquateEmpty(),
}

// diff fails t when got and want differ.
func diff(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// must fails t now on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantNotFound fails t unless err wraps store.ErrNotFound.
func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: got error %v, want one wrapping store.ErrNotFound", what, err)
	}
}

// wantErr fails t when err is nil or wraps store.ErrNotFound (a validation error was expected).
func wantErr(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: got error %v, want a validation error", what, err)
	}
}

// near fails t unless got lies within a minute of now, in UTC.
func near(t *testing.T, what string, got time.Time) {
	t.Helper()
	if d := time.Since(got); d < -time.Minute || d > time.Minute || got.Location() != time.UTC {
		t.Errorf("%s = %v, want about now, in UTC", what, got)
	}
}

// at is a fixed time at microsecond precision, minutes after a base instant.
func at(minutes int) time.Time {
	return time.Date(2026, 3, 14, 9, 26, 53, 589793000, time.UTC).Add(time.Duration(minutes) * time.Minute)
}

// errStop is returned by callbacks to test that a walk stops and passes the error through.
var errStop = errors.New("stop here")

// withDeadline runs fn and fails t if it has not returned within d (a deadlocked walk).
func withDeadline(t *testing.T, d time.Duration, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("still running after %v: a walk whose callback writes seems deadlocked", d)
		return nil
	}
}
