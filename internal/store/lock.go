package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrLocked is wrapped by the error of a Locker whose lock another live process holds.
var ErrLocked = errors.New("workspace locked by another ferry process")

// Holder describes the process holding a workspace's writer lock. It is informational: the
// lock itself is an OS file lock or a database advisory lock, which the kernel or the
// database releases when the process dies, so a stale Holder never keeps a workspace locked.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Command string    `json:"command"`
	Started time.Time `json:"started"`
}

// Me returns the Holder describing this process running command (e.g. "ferry run").
func Me(command string) Holder {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown host"
	}
	return Holder{PID: os.Getpid(), Host: host, Command: command, Started: time.Now().UTC().Truncate(time.Second)}
}

// IsZero reports whether h names nobody (a lock whose holder has not written itself yet).
func (h Holder) IsZero() bool { return h.PID == 0 && h.Host == "" && h.Command == "" }

// String names the holder for people: `ferry run (pid 4242 on laptop-7, since 2026-12-02 15:04:05Z)`.
func (h Holder) String() string {
	if h.IsZero() {
		return "another ferry process (starting up; it has not recorded itself yet)"
	}
	return fmt.Sprintf("%s (pid %d on %s, since %s)", h.Command, h.PID, h.Host, h.Started.UTC().Format("2006-01-02 15:04:05Z"))
}

// LockedError is the error a Locker returns when another process holds the lock.
type LockedError struct {
	Holder Holder
	Where  string // what is locked: the lock file's path, or the store and workspace
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%v: %s holds %s; wait for it to finish or stop it, then run the command again",
		ErrLocked, e.Holder, e.Where)
}

// Unwrap makes errors.Is(err, ErrLocked) hold.
func (e *LockedError) Unwrap() error { return ErrLocked }

// Lease is a held writer lock.
type Lease struct {
	// Stale is the holder a dead process left recorded when this lock was taken over from it;
	// zero when the lock was free and clean.
	Stale Holder
	// Release frees the lock. It is idempotent; a process that exits without calling it
	// releases the lock all the same.
	Release func() error
}

// Locker takes the one-writer lock of a workspace (DESIGN.md invariant 9): every command that
// writes the state store, the plan files or Pipedrive holds it while it runs. A local
// workspace uses an OS file lock (package filelock); a shared store implements Locker with
// its own advisory lock, so writers on different machines exclude each other too.
type Locker interface {
	// Lock takes the lock for h without waiting. When another live process holds it, the
	// error is a *LockedError naming that holder (errors.Is(err, ErrLocked)). A lock left by
	// a dead process is taken over; Lease.Stale then names the dead holder.
	Lock(ctx context.Context, h Holder) (Lease, error)
	// Peek says who holds the lock without taking it (ferry status): held is false when it
	// is free; h is then the holder a dead process left recorded, if any.
	Peek(ctx context.Context) (h Holder, held bool, err error)
}
