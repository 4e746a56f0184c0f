package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
	"ferry/internal/store"
)

// resolver implements Resolver from the schema and the id map.
type resolver struct {
	ctx    context.Context
	e      *Engine
	schema *Schema
	owners sync.Map // owner reference as written → ownerAnswer
	names  sync.Map // kind\x00id → source.Named of a parent a link failed on
	labels sync.Map // owner reference as written → decide.Decisions.OwnerLabel
}

// ownerAnswer is a cached OwnerID result (a reference is matched against the decisions once).
type ownerAnswer struct {
	id int64
	ok bool
}

// FieldCode returns the field_code of a custom field by name.
func (r *resolver) FieldCode(ent pipedrive.FieldEntity, name string) (string, bool) {
	f, ok := r.schema.fields[ent][fold(name)]
	return f.Code, ok
}

// OptionID returns the id of an option of an enum/set field.
func (r *resolver) OptionID(ent pipedrive.FieldEntity, field, label string) (int64, bool) {
	f, ok := r.schema.fields[ent][fold(field)]
	if !ok {
		return 0, false
	}
	for _, o := range f.Options {
		if fold(o.Label) == fold(label) {
			return o.ID, true
		}
	}
	return 0, false
}

// LinkID resolves a parent through the id map: done and merged rows give their Pipedrive id.
func (r *resolver) LinkID(kind source.Kind, id string) (int64, error) {
	m, err := r.e.store.GetMapping(r.ctx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("%w: %s %s is not migrated", ErrHeld, kind, r.parentName(kind, id))
	}
	if err != nil {
		return 0, err
	}
	if (m.State == store.Done || m.State == store.Merged) && m.DestID > 0 {
		return m.DestID, nil
	}
	reason := string(m.State)
	if m.Reason != "" {
		reason += ": " + m.Reason
	}
	return 0, fmt.Errorf("%w: %s %s is %s", ErrHeld, kind, r.parentName(kind, id), reason)
}

// parentName names a parent record a link failed on by its snapshot label and id (see
// NamedRecord), read once per parent.
func (r *resolver) parentName(kind source.Kind, id string) string {
	key := string(kind) + "\x00" + id
	if n, ok := r.names.Load(key); ok {
		return n.(string)
	}
	n := NamedRecord(r.ctx, r.e.store, kind, id)
	r.names.Store(key, n)
	return n
}

// NamedRecord names a snapshot record for a reader: its label and Klipy id (source.Named),
// or the id alone when the snapshot does not hold it or cannot be read.
func NamedRecord(ctx context.Context, st store.Store, kind source.Kind, id string) string {
	rec, err := st.GetRecord(ctx, kind, id)
	if err != nil {
		return id
	}
	return source.Named(rec)
}

// OwnerID maps a Klipy owner reference through the owner decisions to a Pipedrive user.
func (r *resolver) OwnerID(ref string) (int64, bool) {
	if strings.TrimSpace(ref) == "" {
		return 0, false
	}
	if a, ok := r.owners.Load(ref); ok {
		return a.(ownerAnswer).id, a.(ownerAnswer).ok
	}
	var a ownerAnswer
	if email, ok := r.e.decisions.OwnerFor(ref); ok {
		a.id, a.ok = r.schema.users[strings.ToLower(strings.TrimSpace(email))]
	}
	r.owners.Store(ref, a)
	return a.id, a.ok
}

// OwnerLabel names an owner reference by its owner decision (see decide.Decisions.OwnerLabel).
func (r *resolver) OwnerLabel(ref string) string {
	if l, ok := r.labels.Load(ref); ok {
		return l.(string)
	}
	l := r.e.decisions.OwnerLabel(ref)
	r.labels.Store(ref, l)
	return l
}

// LabelIDs maps tags through the label groups to label option ids of ent.
func (r *resolver) LabelIDs(ent pipedrive.FieldEntity, tags []string) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, t := range tags {
		label := r.e.decisions.LabelFor(t)
		if label == "" {
			continue
		}
		if id, ok := r.schema.labels[ent][fold(label)]; ok && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Stage places a deal (see Resolver.Stage): its stage's target, else the last open stage of
// its history (Pipedrive has no won/lost stages), else the pipeline's last stage for a closed
// deal and its first for an open one.
func (r *resolver) Stage(pipeline, stage string, history []string, closed bool) (Placement, bool) {
	if strings.TrimSpace(pipeline) == "" {
		pipeline = "Pipeline" // decide's scan names the unnamed pipeline so
	}
	plan, ok := r.schema.pipelines[fold(pipeline)]
	if !ok {
		return Placement{}, false
	}
	p := Placement{PipelineID: plan.id}
	if strings.TrimSpace(stage) != "" {
		goal, ok := plan.stages[fold(stage)]
		if !ok {
			return Placement{}, false
		}
		p.StageID, p.Status = goal.stageID, goal.status
	}
	for i := len(history) - 1; p.StageID == 0 && i >= 0; i-- {
		name, _, _ := strings.Cut(history[i], "@")
		if g, ok := plan.stages[fold(name)]; ok && g.stageID != 0 {
			p.StageID = g.stageID
		}
	}
	switch {
	case p.StageID != 0:
	case closed || p.Status != "":
		p.StageID = plan.last
	default:
		p.StageID = plan.first
	}
	return p, p.StageID != 0
}
