package filelock

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ferry/internal/store"
)

func TestSecondLockRefusedNamingHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), Name)
	ctx := context.Background()
	if _, held, err := New(path).Peek(ctx); held || err != nil {
		t.Errorf("Peek before any lock: held %v, %v", held, err)
	}
	first := store.Me("ferry run")
	lease, err := New(path).Lock(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if !lease.Stale.IsZero() {
		t.Errorf("fresh lock reports a stale holder %v", lease.Stale)
	}
	_, err = New(path).Lock(ctx, store.Me("ferry delta"))
	var le *store.LockedError
	if !errors.As(err, &le) || !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second lock: %v, want a *store.LockedError", err)
	}
	if le.Holder != first {
		t.Errorf("holder %+v, want %+v", le.Holder, first)
	}
	for _, want := range []string{"ferry run", "pid ", first.Host, path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if h, held, err := New(path).Peek(ctx); !held || err != nil || h != first {
		t.Errorf("Peek while locked: %v, held %v, %v; want %v", h, held, err, first)
	}
	if err := lease.Release(); err != nil {
		t.Fatal(err)
	}
	if h, held, err := New(path).Peek(ctx); held || err != nil || !h.IsZero() {
		t.Errorf("Peek after release: %v, held %v, %v; want free", h, held, err)
	}
	if err := lease.Release(); err != nil {
		t.Errorf("second release: %v, want nil (idempotent)", err)
	}
	again, err := New(path).Lock(ctx, store.Me("ferry delta"))
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	if !again.Stale.IsZero() {
		t.Errorf("lock after a clean release reports a stale holder %v", again.Stale)
	}
	again.Release()
}

// TestDeadHolderTakenOver locks in a child process, kills it with SIGKILL while it holds the
// lock, and takes the lock over; the lease names the dead holder.
func TestDeadHolderTakenOver(t *testing.T) {
	path := filepath.Join(t.TempDir(), Name)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FERRY_LOCK_CHILD="+path)
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
	_, err = New(path).Lock(context.Background(), store.Me("ferry run"))
	var le *store.LockedError
	if !errors.As(err, &le) || le.Holder.PID != cmd.Process.Pid || le.Holder.Command != "ferry child" {
		t.Fatalf("lock while the child holds it: %v (holder pid want %d)", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if h, held, err := New(path).Peek(context.Background()); held || err != nil || h.PID != cmd.Process.Pid {
		t.Errorf("Peek after the holder died: %v, held %v, %v; want free, naming the dead child", h, held, err)
	}
	lease, err := New(path).Lock(context.Background(), store.Me("ferry run"))
	if err != nil {
		t.Fatalf("lock after the holder died: %v", err)
	}
	defer lease.Release()
	if lease.Stale.PID != cmd.Process.Pid || lease.Stale.Command != "ferry child" {
		t.Errorf("stale holder %+v, want the killed child (pid %d)", lease.Stale, cmd.Process.Pid)
	}
}

// TestLockChild is the child of TestDeadHolderTakenOver: it locks, says so, and waits to be killed.
func TestLockChild(t *testing.T) {
	path := os.Getenv("FERRY_LOCK_CHILD")
	if path == "" {
		t.Skip("helper process of TestDeadHolderTakenOver: runs only when FERRY_LOCK_CHILD is set")
	}
	if _, err := New(path).Lock(context.Background(), store.Me("ferry child")); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("locked\n")
	time.Sleep(time.Hour)
}

func TestUnwritableDirectory(t *testing.T) {
	_, err := New(filepath.Join(t.TempDir(), "missing", Name)).Lock(context.Background(), store.Me("ferry run"))
	if err == nil || errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "missing") {
		t.Errorf("lock in a missing directory: %v, want an error naming the path", err)
	}
}
