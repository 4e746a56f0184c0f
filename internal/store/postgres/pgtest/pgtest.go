// Package pgtest gives tests a PostgreSQL database: the URL in FERRY_TEST_POSTGRES_URL (a role
// that may create schemas), else the local ferry_test database over the Unix socket as the
// current OS user (peer authentication, no password), which .ci/run creates. Without either
// the tests that need one skip with a loud message, and fail when CI=true.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env names the variable holding the test database's URL.
const Env = "FERRY_TEST_POSTGRES_URL"

// Default is the database .ci/run creates: ferry_test over the local socket, as the OS user.
const Default = "postgres:///ferry_test?host=/var/run/postgresql&connect_timeout=3"

var (
	probeOnce sync.Once
	probeOK   bool
)

// reachable reports (once per process) whether url accepts a connection.
func reachable(url string) bool {
	probeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err == nil {
			probeOK = true
			conn.Close(ctx)
		}
	})
	return probeOK
}

// URL returns the test database's URL, or skips t (fails it under CI=true) when none is set.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(Env)
	if u == "" && reachable(Default) {
		u = Default
	}
	if u == "" {
		msg := "NO POSTGRESQL: set " + Env + "=postgres://user@localhost/db, or create the ferry_test database as .ci/run does, to run the PostgreSQL store's tests"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return u
}

// Name returns a fresh migration name and drops its schema when t ends.
func Name(t testing.TB, url string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "t" + hex.EncodeToString(b)
	t.Cleanup(func() { Drop(t, url, name) })
	return name
}

// Drop removes the schema of migration name.
func Drop(t testing.TB, url, name string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Errorf("drop test schema: %v", err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{"ferry_" + name}.Sanitize()+` CASCADE`); err != nil {
		t.Errorf("drop test schema ferry_%s: %v", name, err)
	}
}
