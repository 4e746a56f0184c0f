package estimate

import (
	"context"
	"ferry/internal/plan/mapping"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/store"
)

// simResolver answers a Mapper as the engine's resolver would after schema setup, from the
// plan instead of Pipedrive: fields and options the mapping creates or reuses exist, owners
// with a decision resolve, links resolve to records the dry run migrated.
type simResolver struct {
	ctx       context.Context
	st        store.Store
	decisions decide.Decisions
	fields    map[string]map[string]bool // entity\x00folded name → folded option labels
	migrated  map[source.Kind]map[string]bool
	merges    map[source.Kind]map[string]string // member → survivor
	names     map[string]map[string]string      // kind\x00by → reference index
	owners    map[string]ownerAnswer            // owner reference as written → its decision
	parents   map[string]string                 // kind\x00id → migrate.NamedRecord of a parent not migrated
}

// parentName names a parent record not migrated, read from the snapshot once (many children
// link to one parent).
func (r *simResolver) parentName(kind source.Kind, id string) string {
	key := string(kind) + "\x00" + id
	if n, ok := r.parents[key]; ok {
		return n
	}
	if r.parents == nil {
		r.parents = map[string]string{}
	}
	n := migrate.NamedRecord(r.ctx, r.st, kind, id)
	r.parents[key] = n
	return n
}

// ownerAnswer is what the decisions say of one owner reference (matched once: a reference is
// compared with every owner, and a snapshot names a few owners on every record).
type ownerAnswer struct {
	email string
	ok    bool
	label string
}

// owner returns the cached decision of an owner reference.
func (r *simResolver) owner(ref string) ownerAnswer {
	if a, ok := r.owners[ref]; ok {
		return a
	}
	if r.owners == nil {
		r.owners = map[string]ownerAnswer{}
	}
	var a ownerAnswer
	a.email, a.ok = r.decisions.OwnerFor(ref)
	a.label = r.decisions.OwnerLabel(ref)
	r.owners[ref] = a
	return a
}

func fieldKey(ent pipedrive.FieldEntity, name string) string {
	return string(ent) + "\x00" + mapping.FieldKey(name)
}

// fakeID gives a stable positive id for a name (labels, options).
func fakeID(s string) int64 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int64(h.Sum32()) + 1
}

// FieldCode reports the custom fields schema setup finds or creates.
func (r *simResolver) FieldCode(ent pipedrive.FieldEntity, name string) (string, bool) {
	_, ok := r.fields[fieldKey(ent, name)]
	return simCode(name), ok
}

// simCode is the field code the dry run gives a custom field schema setup would create.
func simCode(name string) string { return "sim:" + mapping.FieldKey(name) }

// OptionID reports options the mapping lists; a reused field without listed options is
// assumed to hold its values.
func (r *simResolver) OptionID(ent pipedrive.FieldEntity, field, label string) (int64, bool) {
	opts, ok := r.fields[fieldKey(ent, field)]
	if !ok {
		return 0, false
	}
	return fakeID(mapping.FieldKey(label)), len(opts) == 0 || opts[mapping.FieldKey(label)]
}

// LinkID resolves parents the dry run migrated; others hold the record, as in the engine.
func (r *simResolver) LinkID(kind source.Kind, id string) (int64, error) {
	if r.migrated[kind][id] {
		return fakeID(string(kind) + ":" + id), nil
	}
	return 0, fmt.Errorf("%w: %s %s is not migrated", migrate.ErrHeld, kind, r.parentName(kind, id))
}

// LinkBy resolves a parent by its name, email or domain through the same snapshot index as
// the engine's.
func (r *simResolver) LinkBy(kind source.Kind, by, value string) (int64, error) {
	key := string(kind) + "\x00" + by
	ix, ok := r.names[key]
	if !ok {
		var err error
		ix, err = migrate.BuildRefIndex(r.ctx, r.st, kind, by, func(id string) string { return r.root(kind, id) })
		if err != nil {
			return 0, fmt.Errorf("estimate: %w", err)
		}
		r.names[key] = ix
	}
	id, err := migrate.ResolveRef(ix, kind, by, value)
	if err != nil {
		return 0, err
	}
	return r.LinkID(kind, id)
}

func (r *simResolver) root(kind source.Kind, id string) string {
	if s := r.merges[kind][id]; s != "" {
		return s
	}
	return id
}

// OwnerID resolves owners the decisions give a Pipedrive user (assumed active by the run).
func (r *simResolver) OwnerID(ref string) (int64, bool) {
	if strings.TrimSpace(ref) == "" {
		return 0, false
	}
	a := r.owner(ref)
	return fakeID(a.email), a.ok
}

// OwnerLabel names an owner reference as the engine's resolver does.
func (r *simResolver) OwnerLabel(ref string) string { return r.owner(ref).label }

// LabelIDs maps tags through the label groups; every group's label exists after setup.
func (r *simResolver) LabelIDs(_ pipedrive.FieldEntity, tags []string) []int64 {
	var out []int64
	seen := map[string]bool{}
	for _, t := range tags {
		if l := r.decisions.LabelFor(t); l != "" && !seen[mapping.FieldKey(l)] {
			seen[mapping.FieldKey(l)] = true
			out = append(out, fakeID(mapping.FieldKey(l)))
		}
	}
	return out
}

// Stage places a deal as the engine's resolver does, over the stage map.
func (r *simResolver) Stage(pipeline, stage string, history []string, closed bool) (migrate.Placement, bool) {
	if strings.TrimSpace(pipeline) == "" {
		pipeline = "Pipeline"
	}
	for _, pm := range r.decisions.Pipelines {
		if mapping.FieldKey(pm.Klipy) == mapping.FieldKey(pipeline) {
			return placeIn(pm, stage, history, closed)
		}
	}
	return migrate.Placement{}, false
}

func placeIn(pm decide.PipelineMap, stage string, history []string, closed bool) (migrate.Placement, bool) {
	goals := map[string]decide.StageMap{}
	var first, last int64 // an existing pipeline has stages; a created one those with a target
	if pm.Action == decide.ActionCollapse {
		first, last = 1, 2
	}
	for _, sm := range pm.Stages {
		goals[mapping.FieldKey(sm.Klipy)] = sm
		if sm.Target != "" {
			if first == 0 {
				first = fakeID(sm.Target)
			}
			last = fakeID(sm.Target)
		}
	}
	p := migrate.Placement{PipelineID: 1}
	if strings.TrimSpace(stage) != "" {
		g, ok := goals[mapping.FieldKey(stage)]
		if !ok {
			return migrate.Placement{}, false
		}
		p.Status = g.Status
		if g.Target != "" {
			p.StageID = fakeID(g.Target)
		}
	}
	for i := len(history) - 1; p.StageID == 0 && i >= 0; i-- {
		name, _, _ := strings.Cut(history[i], "@")
		if h, ok := goals[mapping.FieldKey(name)]; ok && h.Target != "" {
			p.StageID = fakeID(h.Target)
		}
	}
	switch {
	case p.StageID != 0:
	case closed || p.Status != "":
		p.StageID = last
	default:
		p.StageID = first
	}
	return p, p.StageID != 0
}

// ActivityType maps an interaction type through the activity type decisions.
func (r *simResolver) ActivityType(typ, channel string) (string, bool, bool) {
	t, inNote := r.decisions.ActivityTypeFor(typ, channel)
	return t, inNote, t != ""
}

// Now is the wall clock: the dry run sends nothing, so done flags do not change its cost.
func (r *simResolver) Now() time.Time { return time.Now() }
