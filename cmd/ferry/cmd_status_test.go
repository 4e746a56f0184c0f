package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ferry/internal/store"
	"ferry/internal/store/filelock"
	"ferry/internal/store/postgres"
	"ferry/internal/store/postgres/pgtest"
	"ferry/internal/workspace"
)

// statusJSON runs ferry status --json with args and decodes the migrations.
func statusJSON(t *testing.T, args ...string) []migrationStatus {
	t.Helper()
	out, stderr, code := runFerry(t, append([]string{"status", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("status %v: exit %d\n%s", args, code, stderr)
	}
	var got struct{ Migrations []migrationStatus }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("status output %q: %v", out, err)
	}
	return got.Migrations
}

// TestStatusLocal migrates a local workspace and reads its status: the last run, every id-map
// row final, tokens spent today, and the lock (free, then held by another process).
func TestStatusLocal(t *testing.T) {
	dir, _ := confirmedWorkspace(t, func(string) {})
	if got := statusJSON(t, "-w", dir); len(got) != 1 || got[0].Phase != "confirmed" {
		t.Fatalf("status after confirm: %+v", got)
	}
	if _, stderr, code := runFerry(t, "run", "-w", dir); code != genRunExit {
		t.Fatalf("run: %s", stderr)
	}
	s := statusJSON(t, "-w", dir)[0]
	if s.Phase != "run 1: done" || s.Total == 0 || s.Final+s.States[store.Held] != s.Total || s.TokensToday <= 0 ||
		time.Since(s.LastActivity) > time.Minute || s.Locked {
		t.Errorf("status after run: %+v", s)
	}
	holder := store.Holder{PID: 4242, Host: "laptop-7", Command: "ferry delta", Started: time.Now().UTC().Truncate(time.Second)}
	lease, err := filelock.New(filepath.Join(dir, workspace.StateDir, filelock.Name)).Lock(context.Background(), holder)
	if err != nil {
		t.Fatal(err)
	}
	defer lease.Release()
	if s := statusJSON(t, "-w", dir)[0]; !s.Locked || s.Holder == nil || *s.Holder != holder {
		t.Errorf("status while locked: %+v, want held by %v", s, holder)
	}
	out, _, code := runFerry(t, "status", "-w", dir)
	if code != 0 || !strings.Contains(out, "held by ferry delta (pid 4242 on laptop-7") || !strings.Contains(out, "run 1: done") {
		t.Errorf("status table: exit %d\n%s", code, out)
	}
}

// TestStatusPostgres lists two migrations of the PostgreSQL test database by name, one run and
// one only confirmed, with the first one's lock held; a missing name is reported and exits 1.
func TestStatusPostgres(t *testing.T) {
	dir, _ := confirmedWorkspace(t, usePostgres(t))
	url := pgtest.URL(t)
	wsA, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runFerry(t, "run", "-w", dir); code != genRunExit {
		t.Fatalf("run: %s", stderr)
	}
	other := pgtest.Name(t, url)
	st, err := postgres.Open(t.Context(), url, other)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	lease, err := postgres.NewLocker(url, wsA.Config.Migration).Lock(t.Context(), store.Me("ferry verify"))
	if err != nil {
		t.Fatal(err)
	}
	defer lease.Release()
	got := statusJSON(t, "--store", url, wsA.Config.Migration, other)
	if len(got) != 2 || got[0].Phase != "run 1: done" || !got[0].Locked || got[0].Holder.Command != "ferry verify" ||
		got[0].TokensToday <= 0 || got[1].Phase != "empty" || got[1].Locked {
		t.Errorf("status: %+v", got)
	}
	if all := statusJSON(t, "-w", dir); !hasMigration(all, wsA.Config.Migration) || !hasMigration(all, other) {
		t.Errorf("status of the workspace's database does not list both migrations: %+v", all)
	}
	_, stderr, code := runFerry(t, "status", "--store", url, "no_such_migration")
	if code != exitFailure || !strings.Contains(stderr, "no_such_migration") {
		t.Errorf("status of a missing migration: exit %d\n%s", code, stderr)
	}
}

func hasMigration(list []migrationStatus, name string) bool {
	for _, s := range list {
		if s.Name == name {
			return true
		}
	}
	return false
}
