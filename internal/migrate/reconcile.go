package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"ferry/internal/source"
	"ferry/internal/store"
)

// ErrIdentity is wrapped when a phase's reconciliation does not balance: some source record
// has no final state (DESIGN.md invariant 2). The run stops.
var ErrIdentity = errors.New("reconciliation identity broken")

// ReconcileCursor prefixes the store cursor holding the latest reconciliation of a kind.
const ReconcileCursor = "migrate.reconcile."

// Reconciliation is the accounting of one phase:
// Source = Created + Merged + SkippedByRule + Quarantined + Failed + Held. Source counts the
// kind's snapshot records plus the rows extraction quarantined; Quarantined counts both those
// and the records the mapping could not map. Open counts records still pending or in flight
// (none in a balanced row).
type Reconciliation struct {
	RunID         int64       `json:"run_id"`
	Kind          source.Kind `json:"kind"`
	Entity        string      `json:"entity"`
	Source        int         `json:"source"`
	Created       int         `json:"created"`
	Merged        int         `json:"merged"`
	SkippedByRule int         `json:"skipped_by_rule"`
	Quarantined   int         `json:"quarantined"`
	Failed        int         `json:"failed"`
	Held          int         `json:"held"`
	Open          int         `json:"open"` // records still pending or in flight
	// CreatedThisRun and MergedThisRun count the created and merged records this run moved
	// (the rest were done by earlier runs): what the run did, not the history.
	CreatedThisRun int      `json:"created_this_run"`
	MergedThisRun  int      `json:"merged_this_run"`
	Earlier        int      `json:"done_by_earlier_runs"`  // created or merged by earlier runs
	Unaccounted    []string `json:"unaccounted,omitempty"` // the first 20 open ones, "id (state)"
}

// Balanced reports whether the identity holds with nothing unaccounted.
func (r Reconciliation) Balanced() bool {
	return r.Open == 0 &&
		r.Source == r.Created+r.Merged+r.SkippedByRule+r.Quarantined+r.Failed+r.Held
}

// Label names the phase: the entity, with the source kind for activities (interactions and
// tasks both become activities).
func (r Reconciliation) Label() string {
	if r.Entity == "activity" {
		return fmt.Sprintf("activity (%s)", r.Kind)
	}
	return r.Entity
}

// String renders the row on one line.
func (r Reconciliation) String() string {
	s := fmt.Sprintf("%s: source %d = created %d + merged %d + skipped %d + quarantined %d + failed %d + held %d",
		r.Label(), r.Source, r.Created, r.Merged, r.SkippedByRule, r.Quarantined, r.Failed, r.Held)
	if r.Earlier > 0 {
		s += fmt.Sprintf(" (this run: created %d, merged %d; %d done by earlier runs)", r.CreatedThisRun, r.MergedThisRun, r.Earlier)
	}
	if r.Open > 0 {
		s += fmt.Sprintf("; %d unaccounted (%s)", r.Open, strings.Join(r.Unaccounted, ", "))
	}
	return s
}

// reconcile classifies every source record of the phase by its id-map state and stores the
// row as a cursor.
func (e *Engine) reconcile(ctx context.Context, p phaseSpec) (Reconciliation, error) {
	rec := Reconciliation{RunID: e.runID, Kind: p.kind, Entity: p.entity}
	states := map[string]store.Mapping{}
	err := e.store.EachMapping(ctx, p.kind, "", func(m store.Mapping) error {
		states[m.SourceID] = m
		return nil
	})
	if err != nil {
		return rec, fmt.Errorf("reconcile %s: %w", p.kind, err)
	}
	err = e.store.EachRecord(ctx, p.kind, func(r source.Record) error {
		if !e.only.Has(p.kind, r.ID) {
			return nil
		}
		rec.Source++
		rec.count(r.ID, states[r.ID], e.runID)
		return nil
	})
	if err != nil {
		return rec, fmt.Errorf("reconcile %s: %w", p.kind, err)
	}
	sort.Strings(rec.Unaccounted)
	if e.only != nil {
		return rec, nil // a sample's row counts the slice: not the kind's reconciliation
	}
	if err := e.addExtractQuarantine(ctx, &rec); err != nil {
		return rec, err
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return rec, err
	}
	if err := e.store.PutCursor(ctx, ReconcileCursor+string(p.kind), string(data)); err != nil {
		return rec, fmt.Errorf("store reconciliation of %s: %w", p.kind, err)
	}
	return rec, nil
}

func (r *Reconciliation) count(id string, m store.Mapping, runID int64) {
	now := 0
	if m.RunID == runID {
		now = 1
	} else if m.State == store.Done || m.State == store.Merged {
		r.Earlier++
	}
	switch m.State {
	case store.Done:
		r.Created++
		r.CreatedThisRun += now
	case store.Merged:
		r.Merged++
		r.MergedThisRun += now
	case store.Skipped:
		if strings.HasPrefix(m.Reason, quarantinePrefix) {
			r.Quarantined++
		} else {
			r.SkippedByRule++
		}
	case store.Failed:
		r.Failed++
	case store.Held:
		r.Held++
	default:
		r.Open++
		if len(r.Unaccounted) < 20 {
			st := string(m.State)
			if st == "" {
				st = "no id-map row"
			}
			r.Unaccounted = append(r.Unaccounted, id+" ("+st+")")
		}
	}
}

// addExtractQuarantine counts rows of the kind that extraction quarantined: they are source
// rows that never became records.
func (e *Engine) addExtractQuarantine(ctx context.Context, r *Reconciliation) error {
	items, err := e.store.QuarantineItems(ctx, r.Kind)
	if err != nil {
		return fmt.Errorf("reconcile %s: quarantine: %w", r.Kind, err)
	}
	for _, q := range items {
		if !strings.HasPrefix(q.Reason, mappingReasonPrefix) {
			r.Source++
			r.Quarantined++
		}
	}
	return nil
}

// LastReconciliation reads the stored reconciliation of kind, ErrNotFound-wrapped when none.
func LastReconciliation(ctx context.Context, st store.Store, kind source.Kind) (Reconciliation, error) {
	var r Reconciliation
	v, err := st.GetCursor(ctx, ReconcileCursor+string(kind))
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		return r, fmt.Errorf("reconciliation of %s: %w", kind, err)
	}
	return r, nil
}
