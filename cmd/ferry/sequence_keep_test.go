package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/source"
	"ferry/internal/store"
)

// TestRollbackKeepsUserWork: after a migration (with overwrite merges into existing records),
// users work in Pipedrive: one renames a migrated person, one logs a call on another, one
// renames the existing person ferry merged into. Rollback leaves exactly those records (and
// what they belong to) alone, says so, and its proof reports them as kept (exit 6); the rest
// is undone. rollback --force then undoes them too and the proof holds.
func TestRollbackKeepsUserWork(t *testing.T) {
	var mu sync.Mutex
	skew := time.Duration(0)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(skew) }
	dir, sb, _ := sandboxWorkspaceOpts(t, 20, 23, sandbox.Options{Now: now})
	seedMergeTargetsPolicy(t, dir, "overwrite")
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	if out, stderr, code := runFerry(t, "run", "-w", dir); code != exitOK && code != genRunExit {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	mu.Lock()
	skew = time.Minute // users come back later
	mu.Unlock()
	renamed, called, merged := pickPersons(t, dir)
	c, err := pipedrive.New(pipedrive.Config{BaseURL: os.Getenv("PIPEDRIVE_BASE_URL"), Token: os.Getenv("PIPEDRIVE_API_TOKEN"), Burst: 200})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for id, name := range map[int64]string{renamed: "Renamed By A User", merged: "Merged Then Renamed"} {
		if _, err := c.Update(ctx, pipedrive.Persons, id, pipedrive.Entity{"name": name}); err != nil {
			t.Fatal(err)
		}
	}
	call, err := c.Create(ctx, pipedrive.Activities, pipedrive.Entity{"subject": "Call logged by a user", "type": "call",
		"participants": []any{map[string]any{"person_id": called, "primary": true}}})
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runFerry(t, "rollback", "--yes", "-w", dir)
	if code != exitIncomplete || strings.Count(out, "kept: changed in Pipedrive after the migration") < 3 {
		t.Fatalf("rollback after users' work: exit %d, want %d listing 3 kept records\n%s%s", code, exitIncomplete, out, stderr)
	}
	t.Logf("rollback:\n%s", out)
	live := liveView(sb)["persons"]
	for id, want := range map[int64]string{renamed: "Renamed By A User", merged: "Merged Then Renamed", called: ""} {
		p, ok := live[fmt.Sprint(id)].(map[string]any)
		if !ok || (want != "" && p["name"] != want) {
			t.Errorf("person %d after rollback: %v, want it kept (name %q)", id, p, want)
		}
	}
	if _, ok := liveView(sb)["activities"][fmt.Sprint(call.ID())]; !ok {
		t.Error("the user's call was deleted")
	}
	if n := len(live); n > 3+2 { // the three kept, plus the two pre-existing persons
		t.Errorf("%d live persons after rollback: ferry's others were not undone", n)
	}
	out, stderr, code = runFerry(t, "rollback", "--yes", "--force", "-w", dir)
	if code != 0 || !strings.Contains(out, "HOLDS") {
		t.Fatalf("rollback --force: exit %d\n%s%s", code, out, stderr)
	}
	if _, ok := liveView(sb)["persons"][fmt.Sprint(renamed)]; ok {
		t.Error("rollback --force kept the renamed person")
	}
}

// pickPersons returns two persons ferry created and the existing person it merged into.
func pickPersons(t *testing.T, dir string) (a, b, merged int64) {
	t.Helper()
	g := &globalOptions{Workspace: dir, stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	_, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var created []int64
	err = st.EachMapping(context.Background(), source.Person, "", func(m store.Mapping) error {
		switch {
		case m.State == store.Done:
			created = append(created, m.DestID)
		case m.State == store.Merged && strings.HasPrefix(m.Reason, "merged into existing"):
			merged = m.DestID
		}
		return nil
	})
	if err != nil || len(created) < 2 || merged == 0 {
		t.Fatalf("want two created persons and a merge into an existing one: %v, merged %d (%v)", created, merged, err)
	}
	return created[0], created[1], merged
}
