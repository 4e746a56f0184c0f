package klipy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"ferry/internal/source"
	"ferry/internal/store"
)

// CursorStore keeps Extract's progress: the part of store.Store that Extract needs.
// GetCursor of a name never put returns an error wrapping store.ErrNotFound.
type CursorStore interface {
	PutCursor(ctx context.Context, name, value string) error
	GetCursor(ctx context.Context, name string) (string, error)
}

// Names of Extract's cursors.
const (
	// CursorExtract holds the extraction state as JSON: phase, the API cursor of the next page,
	// the position among the companies and how many company id chunks are valid. One value,
	// so each save is atomic.
	CursorExtract = "klipy.extract"
	// CursorCompanyIDs prefixes the numbered chunks of company ids gathered so far
	// ("klipy.company_ids.0", …): the ids first seen on one page, joined by source.ListSep.
	// Chunks at or beyond the state's count are leftovers and ignored.
	CursorCompanyIDs = "klipy.company_ids."
)

// Extraction phases, in order.
const (
	phasePeople       = "people"
	phaseInteractions = "interactions"
	phaseCompanies    = "companies"
	phaseDone         = "done"
)

// Stats counts what one Extract call emitted.
type Stats struct {
	People, Interactions, Companies int
	Pages                           int      // emit calls
	MissingCompanies                []string // referenced company ids that GET /companies/{id} does not know
	Resumed                         bool     // the call continued an unfinished extraction
	CursorRestarts                  int      // list phases walked again from the start after an expired cursor
	Requests, RateLimited           int64    // HTTP requests this call made, and 429 answers among them
}

// extractState is the value of CursorExtract.
type extractState struct {
	Phase  string `json:"phase"`
	Next   string `json:"next,omitempty"`   // API cursor of the next people or interactions page
	Index  int    `json:"index,omitempty"`  // companies: position in the sorted id list
	Chunks int    `json:"chunks,omitempty"` // company id chunks written so far
}

// Extract reads every person, then every interaction, then every company referenced by them
// (companies cannot be listed), and hands each page to emit. After emit returns, the page's
// new company ids are saved as a chunk and then the state, so a crash or cancellation at any
// point loses nothing: the next call continues from the last saved state and at worst emits
// the last page again (emit must upsert by id, as store.PutRecords does, which makes that
// harmless). A call after a finished extraction starts a fresh one. An error of emit or of
// the store stops Extract and is returned wrapped.
func Extract(ctx context.Context, c *Client, cur CursorStore, emit func([]source.Record) error) (Stats, error) {
	x := &extraction{c: c, cur: cur, emit: emit, ids: map[string]bool{}}
	before := c.Stats()
	err := x.run(ctx)
	after := c.Stats()
	x.stats.Requests, x.stats.RateLimited = after.Requests-before.Requests, after.RateLimited-before.RateLimited
	return x.stats, err
}

func (x *extraction) run(ctx context.Context) error {
	if err := x.load(ctx); err != nil {
		return err
	}
	if err := x.listPhase(ctx, phasePeople, phaseInteractions, x.c.QueryPeople); err != nil {
		return err
	}
	if err := x.listPhase(ctx, phaseInteractions, phaseCompanies, x.c.queryAllInteractions); err != nil {
		return err
	}
	return x.companyPhase(ctx)
}

func (c *Client) queryAllInteractions(ctx context.Context, cursor string) (Page, error) {
	return c.QueryInteractions(ctx, cursor, nil)
}

type extraction struct {
	c     *Client
	cur   CursorStore
	emit  func([]source.Record) error
	st    extractState
	ids   map[string]bool // company ids gathered so far
	stats Stats
}

// load reads the state and the company id chunks; a finished or absent extraction starts afresh.
func (x *extraction) load(ctx context.Context) error {
	v, err := x.cur.GetCursor(ctx, CursorExtract)
	if errors.Is(err, store.ErrNotFound) {
		v, err = `{"phase":"done"}`, nil
	}
	if err != nil {
		return fmt.Errorf("klipy extract: read cursor %s: %w", CursorExtract, err)
	}
	if err := json.Unmarshal([]byte(v), &x.st); err != nil {
		return fmt.Errorf("klipy extract: cursor %s holds %q, not an extraction state: %w", CursorExtract, v, err)
	}
	switch x.st.Phase {
	case phaseDone:
		x.st = extractState{Phase: phasePeople}
		return nil
	case phasePeople, phaseInteractions, phaseCompanies:
	default:
		return fmt.Errorf("klipy extract: cursor %s has phase %q; allowed are people, interactions, companies, done", CursorExtract, x.st.Phase)
	}
	x.stats.Resumed = true
	for i := range x.st.Chunks {
		v, err := x.cur.GetCursor(ctx, CursorCompanyIDs+strconv.Itoa(i))
		if err != nil {
			return fmt.Errorf("klipy extract: resume: read company id chunk %d: %w", i, err)
		}
		for _, id := range source.List(v) {
			x.ids[id] = true
		}
	}
	return nil
}

func (x *extraction) save(ctx context.Context) error {
	b, _ := json.Marshal(x.st)
	if err := x.cur.PutCursor(ctx, CursorExtract, string(b)); err != nil {
		return fmt.Errorf("klipy extract: save cursor %s: %w", CursorExtract, err)
	}
	return nil
}

// maxCursorRestarts bounds how often one phase starts over after Klipy refused its cursor.
const maxCursorRestarts = 3

// listPhase pages through a query until its last page, then moves on to phase next. When
// Klipy no longer accepts the saved cursor (expired: Klipy documents no lifetime), the phase
// walks again from its first page: emit upserts by id, so the records already emitted are
// replaced, not duplicated, and the phase's count starts over so it counts each record once.
func (x *extraction) listPhase(ctx context.Context, phase, next string,
	query func(context.Context, string) (Page, error)) error {
	restarts := 0
	for x.st.Phase == phase {
		p, err := query(ctx, x.st.Next)
		if errors.Is(err, ErrCursorExpired) && restarts < maxCursorRestarts {
			restarts++
			x.st.Next = ""
			x.stats.CursorRestarts++
			x.resetCount(phase)
			continue
		}
		if err != nil {
			if errors.Is(err, ErrCursorExpired) {
				err = fmt.Errorf("%w (started %s over %d times; a walk outlives the cursor: raise the rate or the page size)", err, phase, restarts)
			}
			return fmt.Errorf("klipy extract: %w", err)
		}
		if err := x.emitPage(p.Records); err != nil {
			return err
		}
		if err := x.saveNewIDs(ctx, p.Records); err != nil {
			return err
		}
		x.st.Next = p.Next
		if p.Next == "" {
			x.st.Phase = next
		}
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	return nil
}

// resetCount zeroes the count of the records phase emits, before it walks again.
func (x *extraction) resetCount(phase string) {
	switch phase {
	case phasePeople:
		x.stats.People = 0
	case phaseInteractions:
		x.stats.Interactions = 0
	}
}

func (x *extraction) emitPage(recs []source.Record) error {
	if len(recs) == 0 {
		return nil
	}
	if err := x.emit(recs); err != nil {
		return fmt.Errorf("klipy extract: emit %d %s records: %w", len(recs), recs[0].Kind, err)
	}
	x.stats.Pages++
	for _, r := range recs {
		switch r.Kind {
		case source.Person:
			x.stats.People++
		case source.Interaction:
			x.stats.Interactions++
		case source.Company:
			x.stats.Companies++
		}
	}
	return nil
}

// saveNewIDs stores the company ids first seen on a page as the next chunk.
func (x *extraction) saveNewIDs(ctx context.Context, recs []source.Record) error {
	var fresh []string
	for _, r := range recs {
		for _, id := range companyRefs(r) {
			if !x.ids[id] {
				x.ids[id] = true
				fresh = append(fresh, id)
			}
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	name := CursorCompanyIDs + strconv.Itoa(x.st.Chunks)
	if err := x.cur.PutCursor(ctx, name, source.JoinList(fresh)); err != nil {
		return fmt.Errorf("klipy extract: save cursor %s: %w", name, err)
	}
	x.st.Chunks++
	return nil
}

// companyRefs lists the company ids a person or interaction refers to.
func companyRefs(r source.Record) []string {
	switch r.Kind {
	case source.Person:
		if id := strings.TrimSpace(r.Fields["company_id"]); id != "" {
			return []string{id}
		}
	case source.Interaction:
		return source.List(r.Fields["company_ids"])
	}
	return nil
}

// companyPhase fetches the gathered companies by id, a page at a time, in id order.
func (x *extraction) companyPhase(ctx context.Context) error {
	ids := make([]string, 0, len(x.ids))
	for id := range x.ids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	x.st.Index = min(x.st.Index, len(ids))
	for x.st.Phase == phaseCompanies {
		end := min(x.st.Index+x.c.cfg.PageSize, len(ids))
		recs, missing, err := x.c.getCompanies(ctx, ids[x.st.Index:end])
		if err != nil {
			return fmt.Errorf("klipy extract: %w", err)
		}
		if err := x.emitPage(recs); err != nil {
			return err
		}
		x.stats.MissingCompanies = append(x.stats.MissingCompanies, missing...)
		x.st.Index = end
		if end == len(ids) {
			x.st = extractState{Phase: phaseDone}
		}
		if err := x.save(ctx); err != nil {
			return err
		}
	}
	return nil
}
