package migrate

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"ferry/internal/pipedrive/costs"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/store"
)

// KindCost is what the records of one kind still to migrate will cost.
type KindCost struct {
	Kind      source.Kind `json:"kind"`
	Entity    string      `json:"entity"`
	Records   int         `json:"records"`   // records the phase walks (merge members aside)
	Remaining int         `json:"remaining"` // records not yet done, merged or skipped
	Each      int         `json:"each"`      // token cost of one create (or merge update)
	Tokens    int64       `json:"tokens"`
}

// Estimate is the token cost of what remains of a run: one create per remaining record
// (merge members cost nothing; a merge into an existing record costs its read and update)
// plus schema setup (its reads, and a create per field, pipeline and stage of the plan not
// yet journaled as created: an upper bound, as some may exist already).
type Estimate struct {
	Kinds        []KindCost `json:"kinds"`
	SchemaTokens int64      `json:"schema_tokens"`
	Tokens       int64      `json:"tokens"`
}

// Records counts the remaining records of every kind.
func (es Estimate) Records() int {
	n := 0
	for _, k := range es.Kinds {
		n += k.Remaining
	}
	return n
}

// Totals returns the records each phase walks, for a ProgressPrinter's ETA.
func (es Estimate) Totals() map[source.Kind]int {
	out := map[source.Kind]int{}
	for _, k := range es.Kinds {
		out[k.Kind] = k.Records
	}
	return out
}

// Days returns how many daily budgets the estimate needs (at least 1 when anything
// remains), or 0 when the budget is unknown.
func (es Estimate) Days(daily int64) int64 {
	if daily <= 0 || es.Tokens == 0 {
		return 0
	}
	return (es.Tokens + daily - 1) / daily
}

// Estimate prices what remains without any call to Pipedrive: it reads the snapshot, the id
// map and the journal only.
func (e *Engine) Estimate(ctx context.Context) (Estimate, error) {
	var es Estimate
	for _, p := range phases {
		if !e.runsKind(p.kind) {
			continue
		}
		kc, err := e.kindCost(ctx, p)
		if err != nil {
			return es, fmt.Errorf("migrate: estimate %s: %w", p.kind, err)
		}
		es.Kinds = append(es.Kinds, kc)
		es.Tokens += kc.Tokens
	}
	schema, err := e.schemaCost(ctx)
	if err != nil {
		return es, fmt.Errorf("migrate: estimate schema: %w", err)
	}
	es.SchemaTokens = schema
	es.Tokens += schema
	return es, nil
}

func (e *Engine) runsKind(k source.Kind) bool {
	for _, have := range e.kinds {
		if have == k {
			return true
		}
	}
	return false
}

// kindCost counts the phase's selected records that are not final and prices them.
func (e *Engine) kindCost(ctx context.Context, p phaseSpec) (KindCost, error) {
	kc := KindCost{Kind: p.kind, Entity: p.entity, Each: createCost(p)}
	final := map[string]bool{}
	err := e.store.EachMapping(ctx, p.kind, "", func(m store.Mapping) error {
		final[m.SourceID] = m.State == store.Done || m.State == store.Merged || m.State == store.Skipped
		return nil
	})
	if err != nil {
		return kc, err
	}
	merges := e.merges[p.kind]
	update := cost(http.MethodGet, "/api/v2/"+string(p.coll)+"/1") + cost(http.MethodPatch, "/api/v2/"+string(p.coll)+"/1")
	err = e.store.EachRecord(ctx, p.kind, func(r source.Record) error {
		if !e.only.Has(p.kind, r.ID) {
			return nil
		}
		if merges.survivorOf(r.ID) == "" {
			kc.Records++
		}
		if final[r.ID] {
			return nil
		}
		kc.Remaining++
		switch _, into := merges.intoOf(r.ID); {
		case merges.survivorOf(r.ID) != "":
		case into:
			kc.Tokens += int64(update)
		default:
			kc.Tokens += int64(kc.Each)
		}
		return nil
	})
	return kc, err
}

// createCost is the token cost of one create of the phase's entity.
func createCost(p phaseSpec) int {
	switch p.entity {
	case "note":
		return cost(http.MethodPost, "/api/v1/notes")
	case "file":
		return cost(http.MethodPost, "/api/v1/files")
	}
	return cost(http.MethodPost, "/api/v2/"+string(p.coll))
}

// cost is the spec's token cost of a call, 0 for one the documents do not list.
func cost(method, path string) int {
	_, c, _ := costs.Match(method, path)
	return c
}

// schemaCost prices schema setup: its reads, plus the creates of what the journal does not
// show as created yet.
func (e *Engine) schemaCost(ctx context.Context) (int64, error) {
	reads := []string{"/api/v1/users", "/api/v2/pipelines", "/api/v2/stages"}
	for _, ent := range recordEntities {
		reads = append(reads, "/api/v2/"+string(ent)+"Fields", "/api/v1/"+string(ent)+"Fields")
	}
	var total int64
	for _, r := range reads {
		total += int64(cost(http.MethodGet, r))
	}
	made, err := e.journaledNames(ctx)
	if err != nil {
		return 0, err
	}
	for _, sp := range e.fieldSpecs() {
		if !made["field:"+string(sp.Entity)+":"+fold(sp.Name)] {
			total += int64(cost(http.MethodPost, "/api/v2/"+string(sp.Entity)+"Fields"))
		}
	}
	for _, pm := range e.decisions.Pipelines {
		if pm.Action == decide.ActionCreate && !made["pipeline:"+fold(pm.Target)] {
			total += int64(cost(http.MethodPost, "/api/v2/pipelines"))
		}
		for _, sm := range pm.Stages {
			if pm.Action == decide.ActionCreate && sm.Target != "" && !made["stage:"+fold(sm.Target)+":"+fold(pm.Target)] {
				total += int64(cost(http.MethodPost, "/api/v2/stages"))
			}
		}
	}
	return total, nil
}

// journaledNames returns the schema items the journal shows as created (and not undone),
// keyed "field:<entity>:<name>", "pipeline:<name>", "stage:<name>:<pipeline name>".
func (e *Engine) journaledNames(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	pipes := map[int64]string{}
	var stages []undoDeleteNamed
	err := e.store.EachJournal(ctx, 0, false, func(j store.JournalEntry) error {
		if j.Op != OpSchemaCreate || j.Undone {
			return nil
		}
		what, detail, _ := strings.Cut(j.Entity, ":")
		var u undoDeleteNamed
		var f undoDeleteField
		switch what {
		case "field":
			if err := unmarshalUndo(j, &f); err == nil && f.Name != "" {
				out["field:"+detail+":"+fold(f.Name)] = true
			}
		case "pipeline":
			if err := unmarshalUndo(j, &u); err == nil {
				pipes[u.ID] = fold(u.Name)
				out["pipeline:"+fold(u.Name)] = true
			}
		case "stage":
			if err := unmarshalUndo(j, &u); err == nil {
				stages = append(stages, u)
			}
		}
		return nil
	})
	for _, st := range stages {
		out["stage:"+fold(st.Name)+":"+pipes[st.PipelineID]] = true
	}
	return out, err
}
