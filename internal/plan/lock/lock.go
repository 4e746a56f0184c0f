// Package lock records and checks the confirmation lock (DESIGN.md invariant 1): nothing
// moves without a confirmed plan whose hash matches the current mapping, snapshot and
// decisions. The lock holds one hash of each; any later change to one of them invalidates it,
// and Check says which changed.
package lock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

// CursorName is where the lock lives in the state store.
const CursorName = "plan.lock"

// ErrNoLock is wrapped when the plan was never confirmed.
var ErrNoLock = errors.New("the plan is not confirmed")

// ErrStale is wrapped when something changed since the confirmation.
var ErrStale = errors.New("the plan changed since it was confirmed")

// Lock is the confirmed state.
type Lock struct {
	Mapping   string `json:"mapping"`
	Snapshot  string `json:"snapshot"`
	Decisions string `json:"decisions"`
	Dedupe    string `json:"dedupe"`
	// Columns hashes the harvest column map (columns.yaml), "absent" without one; a lock
	// saved before it was covered has "". Check flags an edited file, not a missing one.
	Columns string `json:"columns,omitempty"`
	// SnapshotVersion is the store's records version when Snapshot was computed (see
	// Versioned); "" when the store keeps none.
	SnapshotVersion string    `json:"snapshot_version,omitempty"`
	Records         int       `json:"records"`
	At              time.Time `json:"confirmed_at"`
}

// Files names the plan files a lock covers: the dedupe merges are decisions too.
type Files struct {
	Mapping, Decisions, Dedupe string
	// Columns is the harvest column map (columns.yaml); it may be absent.
	Columns string
}

// Versioned is implemented by stores that keep a records version (sqlite.Store): a token
// replaced by every write that may change the snapshot's content, in the same transaction.
// While it is the one a lock recorded, the snapshot is the one the lock hashed, and Check
// does not walk it again (at a million people the walk takes tens of seconds).
type Versioned interface {
	RecordsVersion(ctx context.Context) (string, error)
}

// Compute hashes the current mapping file, decisions file and snapshot.
func Compute(ctx context.Context, st store.Store, f Files) (Lock, error) {
	return compute(ctx, st, f, nil)
}

// compute is Compute; when saved records the store's current records version, the
// snapshot's hash and count are taken from saved instead of walking the snapshot.
func compute(ctx context.Context, st store.Store, f Files, saved *Lock) (Lock, error) {
	var l Lock
	var err error
	if l.Mapping, err = hashFile(f.Mapping); err != nil {
		return l, err
	}
	if l.Decisions, err = hashFile(f.Decisions); err != nil {
		return l, err
	}
	if l.Dedupe, err = hashOptional(f.Dedupe); err != nil {
		return l, err
	}
	if f.Columns != "" {
		if l.Columns, err = hashOptional(f.Columns); err != nil {
			return l, err
		}
	}
	if v, ok := st.(Versioned); ok {
		if l.SnapshotVersion, err = v.RecordsVersion(ctx); err != nil {
			return l, err
		}
	}
	if saved != nil && l.SnapshotVersion != "" && l.SnapshotVersion == saved.SnapshotVersion {
		l.Snapshot, l.Records = saved.Snapshot, saved.Records
		return l, nil
	}
	l.Snapshot, l.Records, err = SnapshotHash(ctx, st)
	return l, err
}

// hashFile hashes a file as it streams (dedupe.json is hundreds of megabytes at a million
// people).
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read plan file: %w (run ferry plan first)", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read plan file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashOptional hashes a file that may be absent (a plan without dedupe.json has no merges);
// absence has its own hash, so the file appearing later invalidates the lock.
func hashOptional(path string) (string, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return "absent", nil
	}
	return hashFile(path)
}

// SnapshotHash hashes every record's kind, id and content hash, in kind then id order.
func SnapshotHash(ctx context.Context, st store.Store) (string, int, error) {
	h := sha256.New()
	n := 0
	for _, k := range source.Kinds {
		err := st.EachRecordHash(ctx, k, func(id, hash string) error {
			fmt.Fprintf(h, "%s\x00%s\x00%s\n", k, id, hash)
			n++
			return nil
		})
		if err != nil {
			return "", 0, fmt.Errorf("hash snapshot: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Save stores the lock.
func Save(ctx context.Context, st store.Store, l Lock) error {
	data, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return st.PutCursor(ctx, CursorName, string(data))
}

// Load returns the stored lock, or an error wrapping ErrNoLock.
func Load(ctx context.Context, st store.Store) (Lock, error) {
	v, err := st.GetCursor(ctx, CursorName)
	if errors.Is(err, store.ErrNotFound) {
		return Lock{}, fmt.Errorf("%w: run ferry plan, resolve its decisions, then ferry confirm", ErrNoLock)
	}
	if err != nil {
		return Lock{}, err
	}
	var l Lock
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return Lock{}, fmt.Errorf("stored plan lock is unreadable: %w; run ferry confirm again", err)
	}
	return l, nil
}

// Check compares the stored lock with the current files and snapshot. The error wraps
// ErrNoLock or ErrStale and names everything that changed.
func Check(ctx context.Context, st store.Store, f Files) (Lock, error) {
	saved, err := Load(ctx, st)
	if err != nil {
		return Lock{}, err
	}
	cur, err := compute(ctx, st, f, &saved)
	if err != nil {
		return Lock{}, err
	}
	var changed []string
	if cur.Mapping != saved.Mapping {
		changed = append(changed, f.Mapping+" was edited"+describeEdit(ctx, st, f.Mapping))
	}
	if cur.Decisions != saved.Decisions {
		changed = append(changed, f.Decisions+" was edited"+describeEdit(ctx, st, f.Decisions))
	}
	if cur.Dedupe != saved.Dedupe {
		changed = append(changed, f.Dedupe+" was edited"+describeEdit(ctx, st, f.Dedupe))
	}
	// columns.yaml steers extract, not run: a machine without it (no harvest folder there)
	// resumes on the snapshot, whose hash is checked; an edited one is stale.
	if cur.Columns != saved.Columns && cur.Columns != "absent" && cur.Columns != "" {
		changed = append(changed, f.Columns+" was edited"+describeEdit(ctx, st, f.Columns)+" (run ferry extract so that the snapshot follows it)")
	}
	if cur.Snapshot != saved.Snapshot {
		changed = append(changed, fmt.Sprintf("the source snapshot changed (%d records at confirmation, %d now; ferry extract ran again)",
			saved.Records, cur.Records))
	}
	if len(changed) > 0 {
		return saved, fmt.Errorf("%w since %s: %s; review and run ferry confirm again",
			ErrStale, saved.At.Format(time.RFC3339), strings.Join(changed, "; "))
	}
	return saved, nil
}
