package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"ferry/internal/store"
	"ferry/internal/store/storetest"
)

// openTemp opens a store in a fresh temporary directory (a subdirectory, so Open must create it).
func openTemp(t testing.TB) *Store {
	t.Helper()
	st, err := Open(filepath.Join(t.TempDir(), "state", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestConformance runs the shared suite with small pages, so every walk crosses pages.
func TestConformance(t *testing.T) {
	defer func(n int) { pageSize = n }(pageSize)
	pageSize = 64
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestCrash kills writer processes mid-write and checks the file they leave behind.
func TestCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	storetest.Crash(t, storetest.CrashOptions{Helper: "TestHelperWriter", Target: path, ContiguousSeq: true},
		func(t *testing.T) store.Store {
			st, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			return st
		})
	st := openPath(t, path)
	var res string
	if err := st.r.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity check after crashes: %q, %v", res, err)
	}
}

// TestHelperWriter is TestCrash's child process: it runs only when storetest.CrashEnv names
// the database to write, and then writes until it is killed.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv(storetest.CrashEnv)
	if path == "" {
		return // not a child of TestCrash
	}
	st := openPath(t, path)
	t.Fatal(storetest.CrashWriter(context.Background(), st, os.Stdout))
}

func openPath(t *testing.T, path string) *Store {
	t.Helper()
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newTemp opens a store in a fresh temporary directory and closes it when t ends.
func newTemp(t testing.TB) *Store {
	t.Helper()
	st := openTemp(t)
	t.Cleanup(func() { st.Close() })
	return st
}
