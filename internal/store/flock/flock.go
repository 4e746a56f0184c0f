// Package flock takes whole-file advisory locks that the operating system releases when the
// process holding them exits or is killed: flock(2) on Unix, LockFileEx on Windows (on a byte
// far past any content, so that other processes can still read the file).
package flock

import "errors"

// ErrWouldBlock is returned by a non-blocking Lock when another open file holds the lock.
var ErrWouldBlock = errors.New("file is locked")
