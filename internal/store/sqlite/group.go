package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Group commit: the single-statement writes of concurrent goroutines (an id-map state, a
// journal entry, a ledger row) are committed together, so that six workers each waiting on
// a synced commit share one fsync instead of queueing for six. Every write still returns
// only after the transaction holding it committed (with synchronous=FULL, durably), so a
// write the caller saw succeed survives a crash, and a write it saw fail left nothing: each
// runs in its own savepoint, rolled back alone when it fails. Nothing a caller does after a
// write can reach the disk or the network before the write itself.

// maxGroup is the most writes one commit carries.
const maxGroup = 128

// groupWrite is one caller's write waiting for a commit.
type groupWrite struct {
	ctx   context.Context
	query string
	args  []any
	res   sql.Result
	err   error
	done  chan struct{}
}

// committer runs the group commits of a Store.
type committer struct {
	mu      sync.RWMutex // held to read closed and send; taken alone to close reqs
	closed  bool
	reqs    chan *groupWrite
	stopped chan struct{}
}

func (s *Store) startCommitter() {
	s.gc = &committer{reqs: make(chan *groupWrite, maxGroup), stopped: make(chan struct{})}
	go s.commitLoop()
}

// stopCommitter ends the commit loop after the writes already queued.
func (s *Store) stopCommitter() {
	if s.gc == nil {
		return
	}
	s.gc.mu.Lock()
	if !s.gc.closed {
		s.gc.closed = true
		close(s.gc.reqs)
	}
	s.gc.mu.Unlock()
	<-s.gc.stopped
}

func (s *Store) commitLoop() {
	defer close(s.gc.stopped)
	for first := range s.gc.reqs {
		batch := []*groupWrite{first}
	drain:
		for len(batch) < maxGroup {
			select {
			case w, ok := <-s.gc.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, w)
			default:
				break drain
			}
		}
		s.commitGroup(batch)
	}
}

// commitGroup runs each write of batch in its own savepoint of one transaction and commits it.
func (s *Store) commitGroup(batch []*groupWrite) {
	defer func() {
		for _, w := range batch {
			close(w.done)
		}
	}()
	fail := func(err error) {
		for _, w := range batch {
			if w.err == nil {
				w.err, w.res = err, nil
			}
		}
	}
	ctx := context.Background() // one caller's cancellation must not roll back the others
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	for _, w := range batch {
		if w.err = w.ctx.Err(); w.err != nil {
			continue // given up before its turn: not written
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT group_write`); err != nil {
			w.err = err
			continue
		}
		w.res, w.err = tx.ExecContext(ctx, w.query, w.args...)
		if w.err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO group_write`); err != nil {
				tx.Rollback()
				fail(fmt.Errorf("roll back a failed write: %w", err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE group_write`); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
	}
}

// exec runs one write statement through the group commit and returns when the transaction
// holding it has committed (or the write failed). A write already queued when ctx ends is
// still waited for: it may commit.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	w := &groupWrite{ctx: ctx, query: query, args: args, done: make(chan struct{})}
	s.gc.mu.RLock()
	if s.gc.closed {
		s.gc.mu.RUnlock()
		return nil, fmt.Errorf("state store %s is closed", s.path)
	}
	select {
	case s.gc.reqs <- w:
	case <-ctx.Done():
		s.gc.mu.RUnlock()
		return nil, ctx.Err()
	}
	s.gc.mu.RUnlock()
	<-w.done
	return w.res, w.err
}
