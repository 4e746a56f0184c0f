package migrate

import (
	"context"
	"errors"
	"ferry/internal/clock"
	"fmt"
	"sync"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/store"
)

// maxUnknownRetries bounds how often one create whose outcome stayed unknown (and whose
// lookup found nothing) is sent again within a run.
const maxUnknownRetries = 5

// Config configures an Engine. Client, Store and Mapper are required.
type Config struct {
	Client    *pipedrive.Client
	Store     store.Store
	Decisions decide.Decisions
	Mapper    Mapper
	Merges    []Merge       // dedupe outcome: duplicates and matches with existing records
	Workers   int           // concurrent creates; default sized from the client's burst limit
	Kinds     []source.Kind // phases to run (always in dependency order); default Phases()
	RunKind   string        // store run kind; default "run"
	Progress  func(Event)   // called after each record and phase; nil = silent
	// FilesRoot is the harvest folder attachment paths are relative to; empty: attachments
	// are quarantined as unreadable.
	FilesRoot    string
	MaxFileBytes int64 // largest attachment uploaded; default DefaultMaxFileBytes
	// WaitForBudget pauses the run until the daily budget resets (the BudgetError's Reset)
	// instead of stopping with the error.
	WaitForBudget bool
	Clock         pipedrive.Clock // what a pause waits on; default the real clock
	// Only restricts the run to these source records (a sample); nil runs every record.
	// A restricted run stores no reconciliation cursor: its rows count the slice only.
	Only Selection
}

// Merge is one dedupe decision: Members are the same person or organization as Survivor
// and are never created; when DestID is set the survivor itself goes into that existing
// Pipedrive record (an update whose pre-image is journaled) instead of a new one.
type Merge struct {
	Kind     source.Kind
	Survivor string
	Members  []string // the other source ids of the cluster
	DestID   int64
	Policy   string // "fill_blanks" (default): only empty Pipedrive fields; "overwrite"
}

// Event reports progress: one per record processed (Processed counts them within the
// phase), and one per phase after its reconciliation (Phase set).
type Event struct {
	Kind      source.Kind
	Processed int
	Phase     *Reconciliation
	Pause     *Pause // the run waits for the budget's reset, or has resumed
}

// Pause reports a wait for the daily budget: sent once when the wait starts and once, with
// Resumed set, when it ends.
type Pause struct {
	Until   time.Time // when the budget is expected back
	Resumed bool
	At      time.Time // the clock's time when the event was sent
	Reason  string    // the budget error
}

// Report is what Run did.
type Report struct {
	RunID         int64
	SchemaCreated int
	Phases        []Reconciliation
	Stats         pipedrive.Stats // the client's counters at the end
	// Warnings lists the records this run created without a link their data names (a
	// reference to no record, or to several), each with the field and the value.
	Warnings []Warning
}

// Engine runs migrations. Create it with New; one Engine makes one Run at a time (make a new
// one for each run: it caches what it read from the snapshot).
type Engine struct {
	client       *pipedrive.Client
	store        store.Store
	decisions    decide.Decisions
	mapper       Mapper
	merges       map[source.Kind]*mergeIndex
	workers      int
	kinds        []source.Kind
	runKind      string
	progress     func(Event)
	runID        int64
	filesRoot    string
	maxFileBytes int64
	schema       *Schema // set by Run after schema setup
	namesMu      sync.Mutex
	names        map[refIndexKey]*refIndex
	wait         bool
	clock        pipedrive.Clock
	only         Selection
	warnMu       sync.Mutex
	warnings     []Warning // records created without a link they name (see Warning)
}

// New checks cfg and returns an Engine.
func New(cfg Config) (*Engine, error) {
	if cfg.Client == nil || cfg.Store == nil || cfg.Mapper == nil {
		return nil, errors.New("migrate: client, store and mapper are required")
	}
	e := &Engine{client: cfg.Client, store: cfg.Store, decisions: cfg.Decisions, mapper: cfg.Mapper,
		workers: cfg.Workers, kinds: cfg.Kinds, runKind: cfg.RunKind, progress: cfg.Progress,
		names: map[refIndexKey]*refIndex{}, filesRoot: cfg.FilesRoot, maxFileBytes: cfg.MaxFileBytes,
		wait: cfg.WaitForBudget, clock: cfg.Clock, only: cfg.Only}
	if e.clock == nil {
		e.clock = clock.Real{}
	}
	if e.maxFileBytes <= 0 {
		e.maxFileBytes = DefaultMaxFileBytes
	}
	if e.workers <= 0 {
		e.workers = min(max(cfg.Client.BurstLimit()/8, 2), 6)
	}
	if len(e.kinds) == 0 {
		e.kinds = Phases()
	}
	for _, k := range e.kinds {
		if _, ok := phaseOf(k); !ok {
			return nil, fmt.Errorf("migrate: no phase for %q (implemented: %v)", k, Phases())
		}
	}
	if e.runKind == "" {
		e.runKind = "run"
	}
	var err error
	if e.merges, err = indexMerges(cfg.Merges); err != nil {
		return nil, err
	}
	return e, nil
}

// Run sets up the schema and runs every phase in dependency order, reconciling after each.
// It is resumable: running again after any stop continues where the id map says.
func (e *Engine) Run(ctx context.Context) (Report, error) {
	run, err := e.store.StartRun(ctx, e.runKind, "")
	if err != nil {
		return Report{}, fmt.Errorf("migrate: start run: %w", err)
	}
	e.runID = run.ID
	rep, err := e.run(ctx)
	rep.RunID = run.ID
	rep.Stats = e.client.Stats()
	rep.Warnings = e.takeWarnings()
	status := "done"
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, pipedrive.ErrBudgetExhausted):
		status = "stopped"
	case err != nil:
		status = "failed"
	}
	if ferr := e.store.FinishRun(context.WithoutCancel(ctx), run.ID, status); ferr != nil && err == nil {
		err = fmt.Errorf("migrate: finish run: %w", ferr)
	}
	return rep, err
}

func (e *Engine) run(ctx context.Context) (Report, error) {
	var rep Report
	var schema *Schema
	err := e.waitingForBudget(ctx, func() error {
		var err error
		schema, err = e.setupSchema(ctx)
		return err
	})
	if err != nil {
		return rep, err
	}
	rep.SchemaCreated = schema.Created
	e.schema = schema
	want := map[source.Kind]bool{}
	for _, k := range e.kinds {
		want[k] = true
	}
	for _, p := range phases {
		if !want[p.kind] {
			continue
		}
		k := p.kind
		if err := e.waitingForBudget(ctx, func() error { return e.runPhase(ctx, p, schema) }); err != nil {
			return rep, fmt.Errorf("migrate: %s phase: %w", p.entity, err)
		}
		rec, err := e.reconcile(ctx, p)
		if err != nil {
			return rep, err
		}
		rep.Phases = append(rep.Phases, rec)
		if e.progress != nil {
			e.progress(Event{Kind: k, Processed: rec.Source, Phase: &rec})
		}
		if !rec.Balanced() {
			return rep, fmt.Errorf("migrate: %s phase: %w: %s", p.entity, ErrIdentity, rec)
		}
	}
	return rep, nil
}
