// Package filelock implements store.Locker with an OS file lock (package flock: flock(2),
// LockFileEx on Windows) on a file in the
// workspace's state directory. The file records who holds the lock (pid, host, command, start
// time) for the message a second writer prints; the lock itself is the kernel's, which frees
// it when the holding process exits or is killed, so a dead holder never blocks a workspace.
package filelock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"ferry/internal/store"
	"ferry/internal/store/flock"
)

// Name is the lock file's name inside a workspace's state directory.
const Name = "writer.lock"

// Locker locks one file.
type Locker struct {
	path string
}

// New returns a Locker on the file at path (created on first use, never deleted: removing
// a lock file while a process waits on it would let two processes lock two different files).
func New(path string) *Locker { return &Locker{path: path} }

// holderWait bounds how long Lock waits for a just-started holder to record itself.
const holderWait = 2 * time.Second

// Lock implements store.Locker.
func (l *Locker) Lock(ctx context.Context, h store.Holder) (store.Lease, error) {
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return store.Lease{}, fmt.Errorf("open workspace lock %s: %w", l.path, err)
	}
	if err := flock.Lock(f, true); err != nil {
		defer f.Close()
		if errors.Is(err, flock.ErrWouldBlock) {
			return store.Lease{}, &store.LockedError{Holder: l.waitHolder(ctx, f), Where: "the workspace lock " + l.path}
		}
		return store.Lease{}, fmt.Errorf("lock %s: %w", l.path, err)
	}
	stale, _ := readHolder(f)
	if err := writeHolder(f, h); err != nil {
		_ = flock.Unlock(f)
		f.Close()
		return store.Lease{}, fmt.Errorf("record the holder in %s: %w", l.path, err)
	}
	var once sync.Once
	var relErr error
	release := func() error {
		once.Do(func() {
			// Clear the record first: a reader never sees a free lock naming a holder.
			errTrunc := f.Truncate(0)
			errUnlock := flock.Unlock(f)
			relErr = errors.Join(errTrunc, errUnlock, f.Close())
			if relErr != nil {
				relErr = fmt.Errorf("release workspace lock %s: %w", l.path, relErr)
			}
		})
		return relErr
	}
	return store.Lease{Stale: stale, Release: release}, nil
}

// Peek implements store.Locker without touching the lock: it reads the recorded holder and,
// when that holder ran on this host, asks the kernel whether its process still exists. (A
// holder on another host sharing the folder is reported as holding.) A missing file is free.
func (l *Locker) Peek(context.Context) (store.Holder, bool, error) {
	f, err := os.Open(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return store.Holder{}, false, nil
	}
	if err != nil {
		return store.Holder{}, false, fmt.Errorf("read workspace lock %s: %w", l.path, err)
	}
	defer f.Close()
	h, err := readHolder(f)
	if err != nil || h.IsZero() {
		return store.Holder{}, false, nil // released cleanly (empty) or being written
	}
	if host, _ := os.Hostname(); h.Host == host && !flock.Alive(h.PID) {
		return h, false, nil
	}
	return h, true, nil
}

// waitHolder reads the holder recorded in the locked file f, waiting briefly for a holder
// that has just taken the lock to write itself; it returns the zero Holder if none appears.
func (l *Locker) waitHolder(ctx context.Context, f *os.File) store.Holder {
	deadline := time.Now().Add(holderWait)
	for {
		h, err := readHolder(f)
		if err == nil && !h.IsZero() || time.Now().After(deadline) {
			return h
		}
		select {
		case <-ctx.Done():
			return h
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// readHolder decodes the holder recorded in f; an empty or partly written file gives the
// zero Holder and an error.
func readHolder(f *os.File) (store.Holder, error) {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<16))
	if err != nil {
		return store.Holder{}, err
	}
	var h store.Holder
	if len(bytes.TrimSpace(data)) == 0 {
		return h, io.ErrUnexpectedEOF
	}
	err = json.Unmarshal(data, &h)
	return h, err
}

// writeHolder replaces f's content with h and syncs it.
func writeHolder(f *os.File, h store.Holder) error {
	data, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(data, '\n'), 0); err != nil {
		return err
	}
	return f.Sync()
}
