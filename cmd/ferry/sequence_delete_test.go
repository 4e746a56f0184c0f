package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// TestNoDeletionByAccident: in a workspace extracted from the harvest folder and the Klipy
// API and migrated, a terminal without KLIPY_API_KEY makes extract and delta --delete refuse,
// naming the channel and the variable, with the snapshot and Pipedrive untouched. Dropping
// the API on purpose (--no-api --force) shrinks the snapshot; delta --delete then refuses to
// delete more than 5% of an object without --force, refuses --yes without --max-delete and
// beyond it, sends nothing when the prompt is declined, and with everything given deletes
// exactly what it announced (read back from the sandbox).
func TestNoDeletionByAccident(t *testing.T) {
	f := newDeltaFixture(t, 25, 13)
	if out, stderr, code := runFerry(t, "delta", "-w", f.dir); code != genRunExit {
		t.Fatalf("first delta: exit %d\n%s%s", code, out, stderr)
	}
	// The harvest export lacks most interactions: only the API supplies them.
	truncateFile(t, filepath.Join(f.dir, "harvest", "interactions.csv"), 4)
	if out, stderr, code := runFerry(t, "extract", "-w", f.dir); code != 0 || !strings.Contains(out, "api") {
		t.Fatalf("extract with both channels: exit %d\n%s%s", code, out, stderr)
	}
	inters := f.snapshotCount(t, source.Interaction)
	liveActivities := sandboxCounts(f.pd)["activities"]
	writes := f.writes()
	t.Setenv("KLIPY_API_KEY", "")
	out, stderr, code := runFerry(t, "extract", "-w", f.dir)
	if code != exitUsage || !strings.Contains(stderr, "api channel") || !strings.Contains(stderr, "KLIPY_API_KEY") {
		t.Fatalf("extract without KLIPY_API_KEY: exit %d, want %d naming the api channel and KLIPY_API_KEY\n%s%s", code, exitUsage, out, stderr)
	}
	out, stderr, code = runFerry(t, "delta", "--delete", "--yes", "--max-delete", "100000", "-w", f.dir)
	if code != exitUsage || !strings.Contains(stderr, "KLIPY_API_KEY") {
		t.Fatalf("delta --delete without KLIPY_API_KEY: exit %d, want %d\n%s%s", code, exitUsage, out, stderr)
	}
	if n := f.snapshotCount(t, source.Interaction); n != inters {
		t.Errorf("refused extracts changed the snapshot: %d interactions, want %d", n, inters)
	}
	if f.writes() != writes {
		t.Fatalf("refused commands wrote %d times to Pipedrive", f.writes()-writes)
	}
	if out, stderr, code := runFerry(t, "extract", "--no-api", "-w", f.dir); code != exitUsage || !strings.Contains(stderr, "--no-api") {
		t.Errorf("extract --no-api: exit %d, want %d naming --no-api\n%s%s", code, exitUsage, out, stderr)
	}
	if out, stderr, code := runFerry(t, "extract", "--no-api", "--force", "-w", f.dir); code != 0 {
		t.Fatalf("extract --no-api --force: exit %d\n%s%s", code, out, stderr)
	}
	if n := f.snapshotCount(t, source.Interaction); n >= inters {
		t.Fatalf("extract without the API kept %d of %d interactions: the test would prove nothing", n, inters)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--delete"}, exitBlocked, "more than 5%"},
		{[]string{"--delete", "--force", "--yes"}, exitUsage, "--max-delete"},
		{[]string{"--delete", "--force", "--yes", "--max-delete", "1"}, exitBlocked, "more than --max-delete 1"},
		{[]string{"--delete", "--force"}, exitUsage, "--yes"}, // no terminal to ask on
	} {
		out, stderr, code := runFerry(t, append([]string{"delta", "-w", f.dir}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("delta %v: exit %d, want %d with %q\n%s%s", c.args, code, c.code, c.want, out, stderr)
		}
	}
	f.withStore(t, func(g *globalOptions, ws *workspace.Workspace, st store.Store) {
		_, _, err := deltaWorkspace(context.Background(), g, ws, st, workspace.LoadEnv(),
			DeltaOptions{Delete: true, Force: true, in: strings.NewReader("n\n"), extract: ExtractOptions{klipyRate: -1, NoAPI: true}})
		if err == nil || !strings.Contains(err.Error(), "not confirmed") {
			t.Errorf("delta --delete declined at the prompt: %v", err)
		}
	})
	if f.writes() != writes {
		t.Fatalf("refused deletions wrote %d times to Pipedrive", f.writes()-writes)
	}
	out, stderr, code = runFerry(t, "delta", "-w", f.dir, "--no-wait", "--delete", "--force", "--yes", "--max-delete", "100000")
	if code != genRunExit {
		t.Fatalf("delta --delete with everything given: exit %d\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "person: source") {
		t.Errorf("delta printed no per-phase progress:\n%s", out)
	}
	announced := announcedDeletes(t, out, "interaction")
	if got := sandboxCounts(f.pd)["activities"]; announced == 0 || got != liveActivities-announced {
		t.Errorf("sandbox holds %d live activities after deleting %d announced of %d", got, announced, liveActivities)
	}
}

// announcedDeletes reads "delete: N of M migrated KIND records" from delta's output.
func announcedDeletes(t *testing.T, out, kind string) int {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		var n, m int
		var k string
		if c, _ := fmt.Sscanf(l, "delete: %d of %d migrated %s records", &n, &m, &k); c == 3 && k == kind {
			return n
		}
	}
	t.Fatalf("no %s deletions announced in:\n%s", kind, out)
	return 0
}

// snapshotCount counts the snapshot's records of kind.
func (f *deltaFixture) snapshotCount(t *testing.T, kind source.Kind) int {
	t.Helper()
	n := 0
	f.withStore(t, func(_ *globalOptions, _ *workspace.Workspace, st store.Store) {
		var err error
		if n, err = st.CountRecords(context.Background(), kind); err != nil {
			t.Fatal(err)
		}
	})
	return n
}

// TestExtractRefusesShrinking: a harvest re-export missing most people is refused (exit 4,
// the persons stay in the snapshot) and taken in with --force; a missing harvest folder is
// named.
func TestExtractRefusesShrinking(t *testing.T) {
	dir, _, _ := sandboxWorkspace(t, 40, 17)
	g := &globalOptions{Workspace: dir}
	count := func() int {
		_, st, err := g.openWorkspace()
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n, err := st.CountRecords(context.Background(), source.Person)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	path := filepath.Join(dir, "harvest", "people.csv")
	truncateFile(t, path, 3)
	out, stderr, code := runFerry(t, "extract", "-w", dir)
	if code != exitBlocked || !strings.Contains(stderr, "person") || !strings.Contains(stderr, "--force") {
		t.Fatalf("shrinking extract: exit %d, want %d naming person and --force\n%s%s", code, exitBlocked, out, stderr)
	}
	if n := count(); n != before {
		t.Errorf("refused shrink left %d persons, want %d", n, before)
	}
	if out, stderr, code := runFerry(t, "extract", "--force", "-w", dir); code != 0 {
		t.Fatalf("extract --force: exit %d\n%s%s", code, out, stderr)
	}
	if n := count(); n >= before {
		t.Errorf("extract --force kept %d of %d persons", n, before)
	}
	if err := os.RemoveAll(filepath.Join(dir, "harvest")); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := runFerry(t, "extract", "-w", dir); code != exitUsage || !strings.Contains(stderr, "harvest folder") {
		t.Errorf("extract without the harvest folder: exit %d, want %d naming the folder\n%s%s", code, exitUsage, out, stderr)
	}
}

// truncateFile keeps the first 1/part of a CSV file's records (the header among them), cut
// between records so that no quoted field is left open.
func truncateFile(t *testing.T, path string, part int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		n := 0
		for ; ; n++ {
			if _, err := r.Read(); err != nil {
				return n
			}
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	for keep := count() / part; keep > 0; keep-- {
		if _, err := r.Read(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if err := os.WriteFile(path, data[:r.InputOffset()], 0o644); err != nil {
		t.Fatal(err)
	}
}
