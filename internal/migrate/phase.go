package migrate

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// phaseSpec is one record phase: which source kind becomes which Pipedrive entity, and how
// a record of it is created and found again.
type phaseSpec struct {
	kind   source.Kind
	entity string                // id-map entity and itemSearch entity_type
	fields pipedrive.FieldEntity // where the Klipy ID field lives; "" for child records
	coll   pipedrive.Kind        // v2 collection (persons, organizations, deals, activities)
	marker string                // body key carrying the Klipy ID marker of child records
}

// phases are the implemented record phases in dependency order.
var phases = []phaseSpec{
	{kind: source.Company, entity: "organization", fields: pipedrive.OrganizationFields, coll: pipedrive.Organizations},
	{kind: source.Person, entity: "person", fields: pipedrive.PersonFields, coll: pipedrive.Persons},
	{kind: source.Deal, entity: "deal", fields: pipedrive.DealFields, coll: pipedrive.Deals},
	{kind: source.Interaction, entity: "activity", coll: pipedrive.Activities, marker: "note"},
	{kind: source.Task, entity: "activity", coll: pipedrive.Activities, marker: "note"},
	{kind: source.Note, entity: "note", marker: "content"},
	{kind: source.Attachment, entity: "file"},
}

// child reports whether records of the phase are found by a marker among their parent's
// children rather than by the Klipy ID custom field.
func (p phaseSpec) child() bool { return p.fields == "" }

// Phases returns the source kinds the engine migrates, in dependency order.
func Phases() []source.Kind {
	out := make([]source.Kind, len(phases))
	for i, p := range phases {
		out[i] = p.kind
	}
	return out
}

func phaseOf(k source.Kind) (phaseSpec, bool) {
	for _, p := range phases {
		if p.kind == k {
			return p, true
		}
	}
	return phaseSpec{}, false
}

// runPhase sends every record of the phase's kind through the workers, then settles the
// merged duplicates (whose survivors are done by then). Record-level failures are stored in
// the id map; only what stops the run (budget, cancellation, store errors) is returned. A
// stop lets the requests already sent finish (so they end done, not in flight) and sends
// no new one.
func (e *Engine) runPhase(ctx context.Context, p phaseSpec, schema *Schema) error {
	r := &resolver{ctx: ctx, e: e, schema: schema}
	jobs := make(chan source.Record)
	st := &stopper{ch: make(chan struct{})}
	var wg sync.WaitGroup
	var processed atomic.Int64
	for range e.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rec := range jobs {
				if err := e.processRecord(ctx, p, rec, r); err != nil {
					st.stop(err)
					continue
				}
				if n := processed.Add(1); e.progress != nil {
					e.progress(Event{Kind: p.kind, Processed: int(n)})
				}
			}
		}()
	}
	merges := e.merges[p.kind]
	var members []source.Record
	walkErr := e.store.EachRecord(ctx, p.kind, func(rec source.Record) error {
		if !e.only.Has(p.kind, rec.ID) {
			return nil
		}
		if merges.survivorOf(rec.ID) != "" {
			members = append(members, rec)
			return nil
		}
		select {
		case jobs <- rec:
			return nil
		case <-st.ch:
			return errStopped
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if st.err != nil {
		return st.err
	}
	if walkErr != nil {
		return fmt.Errorf("read %s records: %w", p.kind, walkErr)
	}
	for _, rec := range members {
		if err := e.settleMember(ctx, p, rec, merges.survivorOf(rec.ID)); err != nil {
			return err
		}
	}
	return nil
}

// errStopped ends the record walk after a worker stopped the phase.
var errStopped = errors.New("phase stopped")

// stopper records the first error that stops a phase.
type stopper struct {
	once sync.Once
	ch   chan struct{}
	err  error
}

func (s *stopper) stop(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.ch)
	})
}

// mergeIndex indexes the merges of one kind.
type mergeIndex struct {
	survivor map[string]string // member id → survivor id
	into     map[string]Merge  // survivor id → merge with an existing record
}

func indexMerges(ms []Merge) (map[source.Kind]*mergeIndex, error) {
	out := map[source.Kind]*mergeIndex{}
	for _, m := range ms {
		if m.Survivor == "" {
			return nil, fmt.Errorf("migrate: a %s merge has no survivor", m.Kind)
		}
		ix := out[m.Kind]
		if ix == nil {
			ix = &mergeIndex{survivor: map[string]string{}, into: map[string]Merge{}}
			out[m.Kind] = ix
		}
		for _, id := range m.Members {
			if id != m.Survivor {
				ix.survivor[id] = m.Survivor
			}
		}
		if m.DestID > 0 {
			ix.into[m.Survivor] = m
		}
	}
	return out, nil
}

func (ix *mergeIndex) survivorOf(id string) string {
	if ix == nil {
		return ""
	}
	return ix.survivor[id]
}

func (ix *mergeIndex) intoOf(id string) (Merge, bool) {
	if ix == nil {
		return Merge{}, false
	}
	m, ok := ix.into[id]
	return m, ok
}

// root returns the id a record is created under: its survivor, or itself.
func (ix *mergeIndex) root(id string) string {
	if s := ix.survivorOf(id); s != "" {
		return s
	}
	return id
}
