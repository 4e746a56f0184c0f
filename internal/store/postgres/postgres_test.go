package postgres

import (
	"context"
	"os"
	"strings"
	"testing"

	"ferry/internal/store"
	"ferry/internal/store/postgres/pgtest"
	"ferry/internal/store/storetest"
)

// openFresh opens a store in a new schema, dropped when t ends.
func openFresh(t testing.TB) *Store {
	t.Helper()
	url := pgtest.URL(t)
	st, err := Open(context.Background(), url, pgtest.Name(t, url))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestConformance runs the shared suite with small pages, so every walk crosses pages.
func TestConformance(t *testing.T) {
	url := pgtest.URL(t)
	defer func(n int) { pageSize = n }(pageSize)
	pageSize = 64
	storetest.Run(t, func(t *testing.T) store.Store {
		st, err := Open(t.Context(), url, pgtest.Name(t, url))
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

// TestCrash kills writer processes mid-write and checks what they leave in the schema.
func TestCrash(t *testing.T) {
	url := pgtest.URL(t)
	name := pgtest.Name(t, url)
	storetest.Crash(t, storetest.CrashOptions{Helper: "TestHelperWriter", Target: name, ContiguousSeq: false},
		func(t *testing.T) store.Store {
			st, err := Open(t.Context(), url, name)
			if err != nil {
				t.Fatal(err)
			}
			return st
		})
}

// TestHelperWriter is TestCrash's child process: it runs only when storetest.CrashEnv names
// the migration to write, and then writes until it is killed.
func TestHelperWriter(t *testing.T) {
	name := os.Getenv(storetest.CrashEnv)
	if name == "" {
		return // not a child of TestCrash
	}
	st, err := Open(context.Background(), pgtest.URL(t), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Fatal(storetest.CrashWriter(context.Background(), st, os.Stdout))
}

func TestMigrateDownAndUp(t *testing.T) {
	st := openFresh(t)
	defer st.Close()
	ctx := t.Context()
	for _, target := range []int64{1, 0, 2} {
		if err := st.Migrate(ctx, target); err != nil {
			t.Fatalf("migrate to %d: %v", target, err)
		}
		if v, err := st.Version(ctx); err != nil || v != target {
			t.Fatalf("version %d, %v; want %d", v, err, target)
		}
	}
	if _, err := st.CountRecords(ctx, ""); err != nil {
		t.Errorf("count after down and up: %v", err)
	}
}

func TestNamesAndRedaction(t *testing.T) {
	for _, bad := range []string{"", "Acme", "a-b", "_x", strings.Repeat("a", 41)} {
		if _, err := SchemaName(bad); err == nil {
			t.Errorf("SchemaName(%q): no error", bad)
		}
	}
	if got := NameFor("Acme Migration-2026"); got != "acme_migration_2026" {
		t.Errorf("NameFor = %q", got)
	}
	for _, u := range []string{"postgres://ferry:s3cret@db:5432/ferry", "postgres://ferry@db/ferry?password=s3cret&sslmode=disable"} {
		if r := Redact(u); strings.Contains(r, "s3cret") {
			t.Errorf("Redact(%q) = %q keeps the password", u, r)
		}
	}
	_, err := Open(t.Context(), "postgres://ferry:s3cret@127.0.0.1:1/ferry?connect_timeout=2", "acme")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("open an unreachable database: %v; want an error without the password", err)
	}
}
