// Package store defines ferry's state store: the source snapshot, runs, the id map with record
// states, the append-only journal, quarantine, decisions, captured events, the budget ledger
// and small named cursors. Implementations (packages sqlite and postgres) must pass the
// conformance suite in package storetest.
//
// Error contract: lookups of a missing item return an error wrapping ErrNotFound; every method
// is safe for concurrent use by several goroutines of one process; each write is atomic (a
// crash never leaves half of it behind); invalid arguments (empty kind, id or name, text that
// is not UTF-8, an unknown state) are errors, never ErrNotFound.
//
// Conventions every implementation keeps (the conformance suite tests them): an empty kind
// means every kind (EachRecord then walks by kind, then id); ids sort byte by byte (Postgres
// needs COLLATE "C"); a record put again with the same hash but a new channel or origin counts
// as unchanged and its provenance is updated; a zero caller-supplied time is filled with now
// and every time comes back in UTC; walks hold no cursor while their callback runs, so a
// callback may write to the store.
package store

import (
	"context"
	"errors"
	"time"

	"ferry/internal/source"
)

// ErrNotFound is wrapped by lookups of an item the store does not hold.
var ErrNotFound = errors.New("not found")

// State is where one record stands in a run.
type State string

// Record states (DESIGN.md invariant 3): pending → in_flight → done | failed; held when a parent
// failed; skipped when a rule leaves the record out; merged when it went into an existing one.
const (
	Pending  State = "pending"
	InFlight State = "in_flight"
	Done     State = "done"
	Failed   State = "failed"
	Held     State = "held"
	Skipped  State = "skipped"
	Merged   State = "merged"
)

// PutResult says what PutRecords did.
type PutResult struct {
	Added, Changed, Unchanged int
}

// Run is one execution of a mutating command (run, delta, rollback).
type Run struct {
	ID         int64
	Kind       string // "run", "sample", "delta", "rollback"
	Status     string // "running", "done", "failed", "stopped"
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Note       string
}

// Mapping is one id-map row: a source record and what it became in Pipedrive.
type Mapping struct {
	Kind        source.Kind
	SourceID    string
	Entity      string // Pipedrive entity: "person", "organization", "deal", "activity", "note", "file"
	DestID      int64  // 0 until known
	State       State
	Fingerprint string // request fingerprint, for lookup after a lost response
	Reason      string // why failed, held, skipped or merged
	RunID       int64
	UpdatedAt   time.Time
}

// JournalEntry is one write made to Pipedrive, with what undoes it.
type JournalEntry struct {
	Seq       int64 // assigned by the store, increasing
	RunID     int64
	Op        string // "create", "update", "delete", "schema_create", ...
	Entity    string
	DestID    string // string so field codes and option ids fit as well as integer ids
	SourceID  string
	Undo      []byte // JSON: what undoes it (pre-image for updates)
	Undone    bool
	CreatedAt time.Time
}

// QuarantineItem is a source row that could not be read or mapped.
type QuarantineItem struct {
	ID      int64
	Kind    source.Kind
	File    string
	Line    int
	Column  string
	Reason  string
	Raw     string
	Created time.Time
}

// Decision is one answered (or open) question: dedupe, owner, stage, tag.
type Decision struct {
	Kind    string // "dedupe", "owner", "stage", "tag", "activity_type", ...
	Key     string
	Value   []byte // JSON
	Open    bool
	Updated time.Time
}

// Event is one captured webhook delivery.
type Event struct {
	ID         string // Svix message id; events are stored once per id
	Type       string
	Payload    []byte
	ReceivedAt time.Time
}

// Spend is one budget-ledger row.
type Spend struct {
	Day      string // YYYY-MM-DD (UTC)
	Endpoint string // "POST /api/v2/persons"
	Calls    int64
	Tokens   int64
}

// Store is ferry's state store.
type Store interface {
	// PutRecords upserts records by (kind, id), comparing content hashes.
	PutRecords(ctx context.Context, recs []source.Record) (PutResult, error)
	// GetRecord returns one record or an error wrapping ErrNotFound.
	GetRecord(ctx context.Context, kind source.Kind, id string) (source.Record, error)
	// EachRecord calls fn for each record of kind in id order; fn's error stops the walk and is returned.
	EachRecord(ctx context.Context, kind source.Kind, fn func(source.Record) error) error
	// ScanRecords reads the records of kind in pages of (kind, id) order and hands each page
	// to fn on one of workers goroutines, decoding on them too. Page i goes to worker
	// i % workers, so what a worker sees does not depend on timing; calls for one worker are
	// sequential and in order. fn must not change records. The first error (fn's, or ctx's)
	// stops the scan and is returned as is; workers must be at least 1.
	ScanRecords(ctx context.Context, kind source.Kind, workers int, fn func(worker int, page []source.Record) error) error
	// EachRecordHash calls fn with the id and content hash (source.Record.Hash) of each record
	// of kind in id order, without decoding fields: what a fingerprint of the snapshot needs.
	EachRecordHash(ctx context.Context, kind source.Kind, fn func(id, hash string) error) error
	// CountRecords counts the records of kind.
	CountRecords(ctx context.Context, kind source.Kind) (int, error)
	// DeleteRecords removes records by id (used when a source deletion is applied).
	DeleteRecords(ctx context.Context, kind source.Kind, ids []string) error

	// StartRun opens a run and returns it with its id.
	StartRun(ctx context.Context, kind, note string) (Run, error)
	// FinishRun sets a run's final status.
	FinishRun(ctx context.Context, id int64, status string) error
	// GetRun returns one run or ErrNotFound.
	GetRun(ctx context.Context, id int64) (Run, error)
	// Runs lists runs, newest first.
	Runs(ctx context.Context) ([]Run, error)

	// PutMapping upserts the id-map row of (kind, source id).
	PutMapping(ctx context.Context, m Mapping) error
	// GetMapping returns one id-map row or ErrNotFound.
	GetMapping(ctx context.Context, kind source.Kind, sourceID string) (Mapping, error)
	// EachMapping calls fn for each row of kind (all kinds when kind is empty) in state (any when empty).
	EachMapping(ctx context.Context, kind source.Kind, state State, fn func(Mapping) error) error
	// CountMappings counts rows by state for kind.
	CountMappings(ctx context.Context, kind source.Kind) (map[State]int, error)

	// AppendJournal appends an entry and returns its sequence number.
	AppendJournal(ctx context.Context, e JournalEntry) (int64, error)
	// EachJournal walks the journal of a run (all runs when runID is 0), in order or reversed.
	EachJournal(ctx context.Context, runID int64, reverse bool, fn func(JournalEntry) error) error
	// MarkUndone records that an entry has been undone; it is idempotent.
	MarkUndone(ctx context.Context, seq int64) error

	// Quarantine stores a row that could not be read or mapped.
	Quarantine(ctx context.Context, q QuarantineItem) error
	// QuarantineItems lists quarantined rows of kind (all when empty).
	QuarantineItems(ctx context.Context, kind source.Kind) ([]QuarantineItem, error)
	// ClearQuarantine removes quarantined rows of kind that came from file (all files when empty).
	ClearQuarantine(ctx context.Context, kind source.Kind, file string) error

	// PutDecision upserts a decision by (kind, key).
	PutDecision(ctx context.Context, d Decision) error
	// Decisions lists decisions of kind (all when empty), by key.
	Decisions(ctx context.Context, kind string) ([]Decision, error)

	// PutEvent stores an event once; it reports false when the id was already stored.
	PutEvent(ctx context.Context, e Event) (bool, error)
	// EachEvent walks events in receive order.
	EachEvent(ctx context.Context, fn func(Event) error) error

	// AddSpend adds calls and tokens to the ledger row of (day, endpoint).
	AddSpend(ctx context.Context, s Spend) error
	// SpentOn sums the tokens spent on a day.
	SpentOn(ctx context.Context, day string) (int64, error)
	// Ledger lists ledger rows of a day (all days when empty).
	Ledger(ctx context.Context, day string) ([]Spend, error)

	// PutCursor stores a named value (extract cursors, lock hashes).
	PutCursor(ctx context.Context, name, value string) error
	// GetCursor returns a named value or ErrNotFound.
	GetCursor(ctx context.Context, name string) (string, error)

	// Close releases the store.
	Close() error
}
