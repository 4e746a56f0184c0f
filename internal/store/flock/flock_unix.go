//go:build unix

package flock

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// Lock takes an exclusive lock on f, waiting for it unless nonblocking (then ErrWouldBlock).
func Lock(f *os.File, nonblocking bool) error {
	how := unix.LOCK_EX
	if nonblocking {
		how |= unix.LOCK_NB
	}
	err := retry(func() error { return unix.Flock(int(f.Fd()), how) })
	if errors.Is(err, unix.EWOULDBLOCK) {
		return ErrWouldBlock
	}
	return err
}

// Unlock releases the lock on f (closing f releases it too).
func Unlock(f *os.File) error {
	return retry(func() error { return unix.Flock(int(f.Fd()), unix.LOCK_UN) })
}

// retry repeats a call a signal interrupted.
func retry(call func() error) error {
	for {
		if err := call(); !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

// Alive reports whether a process with this id runs on this machine.
func Alive(pid int) bool { return unix.Kill(pid, 0) != unix.ESRCH }
