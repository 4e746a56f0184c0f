package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"ferry/internal/store"
	"ferry/internal/store/flock"
)

// lockClass is the first key of ferry's writer advisory locks; the second is the schema's hash.
const lockClass = 0x66727279 // "frry"

// keepalive settings of the lock's connection: the server ends the session of a machine that
// vanished (a laptop that died) within about 90 s, and with it the advisory lock.
var keepalive = map[string]string{"tcp_keepalives_idle": "60", "tcp_keepalives_interval": "10", "tcp_keepalives_count": "3"}

// Locker is the workspace writer lock of a migration in a shared database: a session advisory
// lock, held by a dedicated connection for as long as the command runs, so writers on any
// machine exclude each other. PostgreSQL releases it when that session ends, however the
// process ended. The holder is recorded in the schema's writer_lock table for the message a
// second writer prints.
type Locker struct {
	url, name string
}

// NewLocker returns the writer lock of the migration called name in the database rawURL names.
func NewLocker(rawURL, name string) *Locker { return &Locker{url: rawURL, name: name} }

// Lock implements store.Locker; it creates and migrates the schema first when needed.
func (l *Locker) Lock(ctx context.Context, h store.Holder) (store.Lease, error) {
	schema, err := SchemaName(l.name)
	if err != nil {
		return store.Lease{}, err
	}
	cfg, err := connConfig(l.url, schema)
	if err != nil {
		return store.Lease{}, err
	}
	where := fmt.Sprintf("migration %s in %s", l.name, Redact(l.url))
	if err := prepare(ctx, cfg, schema); err != nil {
		return store.Lease{}, fmt.Errorf("lock %s: %w", where, err)
	}
	for k, v := range keepalive {
		cfg.RuntimeParams[k] = v
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return store.Lease{}, fmt.Errorf("lock %s: %w", where, err)
	}
	lease, err := l.take(ctx, conn, schema, where, h)
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
	}
	return lease, err
}

func (l *Locker) take(ctx context.Context, conn *pgx.Conn, schema, where string, h store.Holder) (store.Lease, error) {
	ok, err := tryLock(ctx, conn, schema)
	if err != nil {
		return store.Lease{}, fmt.Errorf("lock %s: %w", where, err)
	}
	recorded, err := readHolder(ctx, conn)
	if err != nil {
		return store.Lease{}, fmt.Errorf("lock %s: %w", where, err)
	}
	if !ok && deadHere(recorded) {
		if ok, recorded, err = waitDeadSession(ctx, conn, schema, recorded); err != nil {
			return store.Lease{}, fmt.Errorf("lock %s: %w", where, err)
		}
	}
	if !ok {
		return store.Lease{}, &store.LockedError{Holder: waitHolder(ctx, conn, recorded), Where: where}
	}
	data, err := json.Marshal(h)
	if err != nil {
		return store.Lease{}, err
	}
	if _, err := conn.Exec(ctx, `INSERT INTO writer_lock (only_row, holder) VALUES (1, $1)
		ON CONFLICT (only_row) DO UPDATE SET holder = excluded.holder`, string(data)); err != nil {
		return store.Lease{}, fmt.Errorf("lock %s: record the holder: %w", where, err)
	}
	var once sync.Once
	var relErr error
	release := func() error {
		once.Do(func() {
			bg := context.WithoutCancel(ctx)
			_, errDel := conn.Exec(bg, `DELETE FROM writer_lock`)
			_, errUnlock := conn.Exec(bg, `SELECT pg_advisory_unlock($1, hashtext($2))`, lockClass, schema)
			relErr = errors.Join(errDel, errUnlock, conn.Close(bg))
			if relErr != nil {
				relErr = fmt.Errorf("release the lock of %s: %w", where, relErr)
			}
		})
		return relErr
	}
	return store.Lease{Stale: recorded, Release: release}, nil
}

// tryLock tries the migration's advisory lock once.
func tryLock(ctx context.Context, conn *pgx.Conn, schema string) (bool, error) {
	var ok bool
	err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, hashtext($2))`, lockClass, schema).Scan(&ok)
	return ok, err
}

// deadSessionWait bounds how long Lock waits for the server to end the session of a holder
// that has already died on this machine (killed, crashed): the server releases its advisory
// lock only once it notices the connection closed, which can take a moment on a busy machine.
const deadSessionWait = 10 * time.Second

// deadHere reports whether h names a process on this machine that no longer runs.
func deadHere(h store.Holder) bool {
	host, err := os.Hostname()
	return !h.IsZero() && err == nil && h.Host == host && h.PID > 0 && !flock.Alive(h.PID)
}

// waitDeadSession retries the lock while the recorded holder is a dead process of this
// machine, until its session is gone or deadSessionWait passes. It returns whether the lock
// was taken and the holder last recorded (a live process that took the lock meanwhile is
// named, not waited for).
func waitDeadSession(ctx context.Context, conn *pgx.Conn, schema string, h store.Holder) (bool, store.Holder, error) {
	deadline := time.Now().Add(deadSessionWait)
	for deadHere(h) && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return false, h, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if ok, err := tryLock(ctx, conn, schema); err != nil || ok {
			return ok, h, err
		}
		got, err := readHolder(ctx, conn)
		if err != nil {
			return false, h, err
		}
		h = got
	}
	return false, h, nil
}

// holderWait bounds how long a refused Lock waits for a just-started holder to record itself
// (it takes the advisory lock, then writes writer_lock), so the refusal can name it.
const holderWait = 2 * time.Second

// waitHolder re-reads the recorded holder until it names someone or holderWait passes.
func waitHolder(ctx context.Context, conn *pgx.Conn, h store.Holder) store.Holder {
	deadline := time.Now().Add(holderWait)
	for h.IsZero() && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return h
		case <-time.After(20 * time.Millisecond):
		}
		if got, err := readHolder(ctx, conn); err == nil {
			h = got
		}
	}
	return h
}

// Peek implements store.Locker without taking the lock: pg_locks says whether a session holds
// the migration's advisory lock, the writer_lock table who. A migration whose schema does not
// exist is free.
func (l *Locker) Peek(ctx context.Context) (store.Holder, bool, error) {
	schema, err := SchemaName(l.name)
	if err != nil {
		return store.Holder{}, false, err
	}
	cfg, err := connConfig(l.url, schema)
	if err != nil {
		return store.Holder{}, false, err
	}
	where := fmt.Sprintf("migration %s in %s", l.name, Redact(l.url))
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return store.Holder{}, false, fmt.Errorf("peek at the lock of %s: %w", where, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var held bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND classid::bigint = $1 AND objid::bigint = (hashtext($2)::bigint & 4294967295) AND objsubid = 2)`,
		lockClass, schema).Scan(&held)
	if err != nil {
		return store.Holder{}, false, fmt.Errorf("peek at the lock of %s: %w", where, err)
	}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('writer_lock') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return store.Holder{}, held, err
	}
	h, err := readHolder(ctx, conn)
	return h, held, err
}

// readHolder returns the recorded holder, zero when none is.
func readHolder(ctx context.Context, conn *pgx.Conn) (store.Holder, error) {
	var raw string
	err := conn.QueryRow(ctx, `SELECT holder FROM writer_lock WHERE only_row = 1`).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Holder{}, nil
	}
	if err != nil {
		return store.Holder{}, err
	}
	var h store.Holder
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		return store.Holder{}, fmt.Errorf("recorded holder %s: %w", strconv.Quote(raw), err)
	}
	return h, nil
}
