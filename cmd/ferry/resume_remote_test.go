package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/workspace"
)

// TestResumeFromAnotherMachine kills `ferry run` mid-migration in one process and resumes it
// from another process whose workspace folder holds only ferry.yaml (the same PostgreSQL store
// and migration name) and the plan files: no .ferry directory, no snapshot, no harvest folder.
// The resumed run verifies the confirmation lock against the store, refuses an edited
// mapping.yaml, and finishes; the sandbox, read back, holds every record exactly once.
func TestResumeFromAnotherMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: starts child processes")
	}
	ref := referenceCounts(t, 30, 5)
	dirA, sb := confirmedWorkspace(t, usePostgres(t))
	sb.SetFaults(sandbox.Faults{Latency: 3 * time.Millisecond})
	killAt := countPosts(sb.Stats()) + 120
	res := startFerry(t, "run", "-w", dirA).killAt(func() bool { return countPosts(sb.Stats()) >= killAt })
	if !res.killed {
		t.Fatalf("the first run was not killed mid-run (exit %d):\n%s", res.code, res.stderr)
	}
	postsA := countPosts(sb.Stats())
	dirB := otherMachine(t, dirA)
	edited := filepath.Join(dirB, workspace.MappingFile)
	orig, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, append(orig, "\n# edited on the other machine\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := startFerry(t, "run", "-w", dirB).wait(); r.code != exitBlocked || !strings.Contains(r.stderr, "mapping") ||
		!strings.Contains(r.stderr, `now "# edited on the other machine"`) {
		t.Fatalf("run with an edited mapping.yaml: exit %d, want %d naming mapping.yaml:\n%s", r.code, exitBlocked, r.stderr)
	}
	if err := os.WriteFile(edited, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	r := startFerry(t, "run", "-w", dirB).wait()
	if r.code != genRunExit {
		t.Fatalf("resume on the other machine: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "done by earlier runs") {
		t.Errorf("the resumed run does not say it continued earlier work:\n%s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(dirB, workspace.StateDir, workspace.StateDB)); err == nil {
		t.Errorf("the other machine made a local state.db; its state belongs in PostgreSQL")
	}
	t.Logf("killed after %d creates; the other machine sent %d more", postsA, countPosts(sb.Stats())-postsA)
	checkOnce(t, sb, ref)
}

// otherMachine makes the workspace folder another machine would have: ferry.yaml and the
// plan files copied from dir, nothing else (the harvest setting emptied: no source files).
func otherMachine(t *testing.T, dir string) string {
	t.Helper()
	other := filepath.Join(t.TempDir(), "laptop-2")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{workspace.ConfigFile, workspace.MappingFile, workspace.DecisionsFile, workspace.DedupeFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) && name == workspace.DedupeFile {
			continue // no dedupe in this plan
		}
		if err != nil {
			t.Fatal(err)
		}
		if name == workspace.ConfigFile {
			data = []byte(strings.Replace(string(data), `harvest: "harvest"`, `harvest: ""`, 1))
		}
		if err := os.WriteFile(filepath.Join(other, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return other
}
