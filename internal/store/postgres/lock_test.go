package postgres

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"ferry/internal/store"
	"ferry/internal/store/postgres/pgtest"
)

func TestLockerRefusesSecondWriter(t *testing.T) {
	url := pgtest.URL(t)
	name := pgtest.Name(t, url)
	ctx := t.Context()
	first := store.Me("ferry run")
	lease, err := NewLocker(url, name).Lock(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if h, held, err := NewLocker(url, name).Peek(ctx); !held || err != nil || h != first {
		t.Errorf("Peek while locked: %v, held %v, %v; want %v", h, held, err, first)
	}
	_, err = NewLocker(url, name).Lock(ctx, store.Me("ferry delta"))
	var le *store.LockedError
	if !errors.As(err, &le) || le.Holder != first {
		t.Fatalf("second lock: %v, want a *store.LockedError naming %v", err, first)
	}
	if strings.Contains(err.Error(), "ferrytest") || !strings.Contains(err.Error(), "migration "+name) {
		t.Errorf("refusal %q: want the migration named and no password", err)
	}
	other, err := NewLocker(url, pgtest.Name(t, url)).Lock(ctx, store.Me("ferry run"))
	if err != nil {
		t.Fatalf("another migration in the same database: %v, want its own lock", err)
	}
	other.Release()
	if err := lease.Release(); err != nil {
		t.Fatal(err)
	}
	if _, held, err := NewLocker(url, name).Peek(ctx); held || err != nil {
		t.Errorf("Peek after release: held %v, %v; want free", held, err)
	}
	again, err := NewLocker(url, name).Lock(ctx, store.Me("ferry delta"))
	if err != nil || !again.Stale.IsZero() {
		t.Fatalf("lock after release: %v, stale %v", err, again.Stale)
	}
	again.Release()
}

// TestLockerTakesOverFromKilledHolder holds the lock in a child process, kills it with
// SIGKILL, and takes the lock over: PostgreSQL ended the dead session and its lock.
func TestLockerTakesOverFromKilledHolder(t *testing.T) {
	url := pgtest.URL(t)
	name := pgtest.Name(t, url)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockerChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FERRY_PG_LOCK_CHILD="+name)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "locked" {
	}
	if _, err := NewLocker(url, name).Lock(t.Context(), store.Me("ferry run")); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("lock while the child holds it: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		lease, err := NewLocker(url, name).Lock(t.Context(), store.Me("ferry run"))
		if err == nil {
			if lease.Stale.PID != cmd.Process.Pid {
				t.Errorf("stale holder %+v, want the killed child %d", lease.Stale, cmd.Process.Pid)
			}
			lease.Release()
			return
		}
		if !errors.Is(err, store.ErrLocked) || time.Now().After(deadline) {
			t.Fatalf("lock after the holder was killed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestLockerChild is TestLockerTakesOverFromKilledHolder's child: it locks and waits.
func TestLockerChild(t *testing.T) {
	name := os.Getenv("FERRY_PG_LOCK_CHILD")
	if name == "" {
		t.Skip("helper process of TestLockerTakesOverFromKilledHolder: runs only when FERRY_PG_LOCK_CHILD is set")
	}
	if _, err := NewLocker(pgtest.URL(t), name).Lock(t.Context(), store.Me("ferry child")); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("locked\n")
	time.Sleep(time.Hour)
}

// TestLockerWaitsForDeadHoldersSession: the recorded holder is a process of this machine
// that has died, but the server has not yet ended its session (it notices a killed client's
// closed connection a moment later). Lock waits for that instead of refusing the user's next
// run; a live holder is still refused at once (TestLockerRefusesSecondWriter).
func TestLockerWaitsForDeadHoldersSession(t *testing.T) {
	url := pgtest.URL(t)
	name := pgtest.Name(t, url)
	ctx := t.Context()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatalf("start a short-lived process: %v", err)
	}
	dead := store.Me("ferry run")
	dead.PID = gone.Process.Pid
	lease, err := NewLocker(url, name).Lock(ctx, dead)
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(300*time.Millisecond, func() { lease.Release() }) // the session ends late
	start := time.Now()
	next, err := NewLocker(url, name).Lock(ctx, store.Me("ferry run"))
	if err != nil {
		t.Fatalf("lock while a dead holder's session is ending: %v, want it taken once the session ends", err)
	}
	next.Release()
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("lock taken after %v, before the dead holder's session ended", waited)
	}
}
