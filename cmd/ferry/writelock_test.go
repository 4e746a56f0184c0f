package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/gen"
	"ferry/internal/migrate"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/store"
	"ferry/internal/store/filelock"
	"ferry/internal/store/postgres/pgtest"
	"ferry/internal/workspace"
)

// TestEveryCommandIsClassified keeps writerCommands and readerCommands complete: a new
// command must say whether it takes the workspace lock.
func TestEveryCommandIsClassified(t *testing.T) {
	root := newRootCommand(&bytes.Buffer{}, &bytes.Buffer{})
	writers := map[string]bool{}
	for _, w := range writerCommands {
		writers[w] = true
	}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if !c.Runnable() || c == root || c.Name() == "help" || c.Name() == "completion" || c.HasParent() && c.Parent().Name() == "completion" {
			return
		}
		path := strings.TrimPrefix(c.CommandPath(), "ferry ")
		_, reader := readerCommands[path]
		if writers[path] == reader {
			t.Errorf("command %q: in writerCommands %v, in readerCommands %v; want exactly one", path, writers[path], reader)
		}
		if writers[path] && !strings.Contains(c.Long, "exit code 7") {
			t.Errorf("ferry %s --help does not document exit code 7", path)
		}
	}
	walk(root)
}

// TestWritersRefuseWhileLocked holds the lock as another process would and runs every writer
// command: each refuses with exit code 7 naming the holder, and runs again once it is free.
func TestWritersRefuseWhileLocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	holder := store.Holder{PID: 4242, Host: "laptop-7", Command: "ferry run", Started: time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)}
	lease, err := filelock.New(filepath.Join(dir, workspace.StateDir, filelock.Name)).Lock(context.Background(), holder)
	if err != nil {
		t.Fatal(err)
	}
	args := map[string][]string{"decide owner": {"X", "--map", "a@b.c"}, "decide pipeline": {"P", "--create", "Q"},
		"decide stage": {"P", "S", "--status", "won"}, "decide activity": {"T", "--target", "call"}, "decide label": {"T", "--label", "L"}, "decide split": {"per_x"}}
	for _, w := range writerCommands {
		argv := append(append(strings.Fields(w), args[w]...), "-w", dir)
		_, stderr, code := runFerry(t, argv...)
		if code != exitLocked || !strings.Contains(stderr, "ferry run (pid 4242 on laptop-7, since 2026-12-02 09:30:00Z)") {
			t.Errorf("ferry %s while locked: exit %d, want %d naming the holder; stderr:\n%s", w, code, exitLocked, stderr)
		}
	}
	if err := lease.Release(); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runFerry(t, "extract", "-w", dir); code == exitLocked {
		t.Errorf("extract after release: still locked: %s", stderr)
	}
}

// stores are the state stores the lock tests run on: the local file, and a migration in the
// PostgreSQL test database (skipped loudly without one, failing under CI=true).
var stores = []struct {
	name  string
	setup func(t *testing.T) func(dir string)
}{
	{"sqlite", func(*testing.T) func(string) { return func(string) {} }},
	{"postgres", usePostgres},
}

// usePostgres returns a workspace setup that keeps the state in a fresh migration of the
// PostgreSQL test database (FERRY_STORE_URL, inherited by child processes).
func usePostgres(t *testing.T) func(dir string) {
	url := pgtest.URL(t)
	name := pgtest.Name(t, url)
	t.Setenv("FERRY_STORE_URL", url)
	return func(dir string) { setMigration(t, dir, name) }
}

// setMigration sets ferry.yaml's migration name.
func setMigration(t *testing.T, dir, name string) {
	t.Helper()
	path := filepath.Join(dir, workspace.ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Replace(string(data), "\nmigration: \"\"\n", "\nmigration: "+name+"\n", 1)
	if out == string(data) {
		t.Fatalf("%s has no empty migration line", path)
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

// confirmedWorkspace makes a confirmed sandbox workspace of 30 people (seed 5) on the store
// setup picks.
func confirmedWorkspace(t *testing.T, setup func(dir string)) (string, *sandbox.Server) {
	t.Helper()
	dir, sb, _ := sandboxWorkspaceIn(t, gen.Config{People: 30, Seed: 5}, sandbox.Options{}, setup)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	return dir, sb
}

// TestConcurrentRunsOneRefused starts two `ferry run` processes on one workspace at once, on
// each store: exactly one migrates, the other exits 7 naming the first, and the sandbox holds
// every record once.
func TestConcurrentRunsOneRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: starts child processes")
	}
	ref := referenceCounts(t, 30, 5)
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			dir, sb := confirmedWorkspace(t, st.setup(t))
			sb.SetFaults(sandbox.Faults{Latency: 15 * time.Millisecond})
			a, b := startFerry(t, "run", "-w", dir), startFerry(t, "run", "-w", dir)
			ra, rb := a.wait(), b.wait()
			ran, refused := ra, rb
			if ra.code == exitLocked {
				ran, refused = rb, ra
			}
			if ran.code != genRunExit || refused.code != exitLocked {
				t.Fatalf("exit codes %d and %d, want %d and %d\nA:\n%s%s\nB:\n%s%s", ra.code, rb.code, genRunExit, exitLocked, ra.stdout, ra.stderr, rb.stdout, rb.stderr)
			}
			if want := fmt.Sprintf("ferry run (pid %d on ", ran.pid); !strings.Contains(refused.stderr, want) {
				t.Errorf("refusal does not name the holder %q:\n%s", want, refused.stderr)
			}
			t.Logf("refused: %s", strings.TrimSpace(refused.stderr))
			checkOnce(t, sb, ref)
		})
	}
}

// TestCrashStormTwoRunners runs, on each store, rounds of two competing `ferry run` processes
// on one workspace and kills them with SIGKILL at random points (after a random number of
// creates reached the sandbox); then one run finishes. The sandbox, read back, holds every
// record exactly once and as many as an uninterrupted run creates.
func TestCrashStormTwoRunners(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the crash storm starts child processes")
	}
	ref := referenceCounts(t, 30, 5)
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			dir, sb := confirmedWorkspace(t, st.setup(t))
			crashStorm(t, dir, sb)
			checkOnce(t, sb, ref)
		})
	}
}

// crashStorm runs the rounds of TestCrashStormTwoRunners, then a final run to completion.
func crashStorm(t *testing.T, dir string, sb *sandbox.Server) {
	t.Helper()
	sb.SetFaults(sandbox.Faults{Latency: 3 * time.Millisecond})
	r := rand.New(rand.NewPCG(7, 13))
	killed, refused, finished := 0, 0, 0
	for round := 0; round < 12 && finished == 0; round++ {
		base := countPosts(sb.Stats())
		kids := []*ferryChild{startFerry(t, "run", "-w", dir)}
		time.Sleep(time.Duration(r.IntN(150)) * time.Millisecond)
		kids = append(kids, startFerry(t, "run", "-w", dir))
		at := []int{base + 1 + r.IntN(60), base + 1 + r.IntN(120)}
		for i, k := range kids {
			res := k.killAt(func() bool { return countPosts(sb.Stats()) >= at[i] })
			switch {
			case res.killed:
				killed++
			case res.code == exitLocked:
				refused++
			case res.code == genRunExit:
				finished++
			default:
				t.Fatalf("round %d child %d: exit %d\n%s", round, i, res.code, res.stderr)
			}
		}
	}
	t.Logf("%d children killed mid-run, %d refused (exit 7), %d finished", killed, refused, finished)
	if killed < 5 || refused < 2 { // fewer happen on a busy machine; what matters is 0 duplicates
		t.Fatalf("only %d kills and %d refusals: the storm proves little", killed, refused)
	}
	sb.SetFaults(sandbox.Faults{})
	if out, stderr, code := runFerry(t, "run", "-w", dir); code != genRunExit {
		t.Fatalf("final run: exit %d\n%s%s", code, out, stderr)
	}
}

// referenceCache keeps referenceCounts' answers for the tests of one process.
var referenceCache sync.Map // "people/seed" -> map[string]int

// referenceCounts migrates a workspace of people records (seed) once, uninterrupted, and
// returns how many records of each entity its sandbox holds (computed once per process).
func referenceCounts(t *testing.T, people int, seed int64) map[string]int {
	t.Helper()
	key := fmt.Sprintf("%d/%d", people, seed)
	if v, ok := referenceCache.Load(key); ok {
		return v.(map[string]int)
	}
	counts := migrateReference(t, people, seed)
	referenceCache.Store(key, counts)
	return counts
}

func migrateReference(t *testing.T, people int, seed int64) map[string]int {
	t.Helper()
	dir, sb, _ := sandboxWorkspace(t, people, seed)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("reference confirm: %s", stderr)
	}
	if out, stderr, code := runFerry(t, "run", "-w", dir); code != genRunExit {
		t.Fatalf("reference run: exit %d\n%s%s", code, out, stderr)
	}
	counts := map[string]int{}
	for ent, ids := range sandboxKlipyIDs(t, sb) {
		counts[ent] = len(ids)
	}
	return counts
}

// checkOnce reads the sandbox back: no Klipy record exists twice, and each entity holds as
// many records as the uninterrupted reference run created.
func checkOnce(t *testing.T, sb *sandbox.Server, ref map[string]int) {
	t.Helper()
	for ent, ids := range sandboxKlipyIDs(t, sb) {
		for id, n := range ids {
			if n != 1 {
				t.Errorf("%s of Klipy record %s exists %d times in the sandbox", ent, id, n)
			}
		}
		if len(ids) != ref[ent] {
			t.Errorf("%s: %d distinct Klipy records in the sandbox, the uninterrupted run made %d", ent, len(ids), ref[ent])
		}
	}
}

var markerRE = regexp.MustCompile(`\(Klipy ID ([^)]+)\)`)

// sandboxKlipyIDs counts the live records of each entity by the Klipy id they carry: the
// "Klipy ID" custom field of organizations, persons and deals, the marker of activities and
// notes.
func sandboxKlipyIDs(t *testing.T, sb *sandbox.Server) map[string]map[string]int {
	t.Helper()
	snap := sb.Snapshot()
	out := map[string]map[string]int{}
	for ent, items := range map[string][]map[string]any{"organization": snap.Organizations, "person": snap.Persons, "deal": snap.Deals} {
		code := ""
		for _, fd := range snap.Fields[ent] {
			if fd["field_name"] == migrate.KlipyIDField {
				code, _ = fd["field_code"].(string)
			}
		}
		if code == "" {
			t.Fatalf("no %q field on %s in the sandbox", migrate.KlipyIDField, ent)
		}
		out[ent] = map[string]int{}
		for _, it := range items {
			cf, _ := it["custom_fields"].(map[string]any)
			if id, _ := cf[code].(string); id != "" && it["is_deleted"] != true {
				out[ent][id]++
			}
		}
	}
	for ent, items := range map[string][]map[string]any{"activity": snap.Activities, "note": snap.Notes} {
		out[ent] = map[string]int{}
		for _, it := range items {
			text, _ := it["note"].(string)
			if ent == "note" {
				text, _ = it["content"].(string)
			}
			if m := markerRE.FindStringSubmatch(text); m != nil && it["is_deleted"] != true {
				out[ent][m[1]]++
			}
		}
	}
	return out
}

// ferryChild is `ferry ARGS` running in a child process (this test binary, see TestFerryChild).
type ferryChild struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan error
}

// childResult is how a child ended.
type childResult struct {
	pid, code      int
	killed         bool
	stdout, stderr string
}

// startFerry starts `ferry args...` in a child process with this process's environment.
func startFerry(t *testing.T, args ...string) *ferryChild {
	t.Helper()
	data, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	c := &ferryChild{done: make(chan error, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestFerryChild$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), "FERRY_CHILD_ARGS="+string(data))
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	return c
}

// wait waits for the child to exit.
func (c *ferryChild) wait() childResult { return c.killAt(func() bool { return false }) }

// killAt waits for the child, killing it with SIGKILL as soon as cond holds.
func (c *ferryChild) killAt(cond func() bool) childResult {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	killed := false
	for {
		select {
		case <-c.done:
			return childResult{pid: c.cmd.Process.Pid, code: c.cmd.ProcessState.ExitCode(), killed: killed,
				stdout: c.stdout.String(), stderr: c.stderr.String()}
		case <-tick.C:
			if !killed && cond() {
				killed = c.cmd.Process.Kill() == nil
			}
		}
	}
}

// TestFerryChild runs `ferry` with the arguments in FERRY_CHILD_ARGS and exits with its code;
// run alone it does nothing.
func TestFerryChild(t *testing.T) {
	raw := os.Getenv("FERRY_CHILD_ARGS")
	if raw == "" {
		t.Skip("helper process of the workspace lock tests: runs only when FERRY_CHILD_ARGS is set")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	root := newRootCommand(os.Stdout, os.Stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferry:", err)
	}
	os.Exit(exitCode(err))
}
