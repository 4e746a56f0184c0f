package migrate

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
)

// FileMapper is the Mapper of a parsed mapping file (mapping.yaml): bodies come from
// mapping.Apply with the engine's Resolver behind mapping.Resolver.
type FileMapper struct {
	M mapping.Mapping
}

// fieldEntities maps the mapping's entity names to field entities (those with custom fields).
var fieldEntities = map[string]pipedrive.FieldEntity{
	mapping.EntityPerson: pipedrive.PersonFields, mapping.EntityOrganization: pipedrive.OrganizationFields,
	mapping.EntityDeal: pipedrive.DealFields,
}

// entityKinds maps the mapping's entity names to the source kinds that become them.
var entityKinds = map[string]source.Kind{
	mapping.EntityPerson: source.Person, mapping.EntityOrganization: source.Company, mapping.EntityDeal: source.Deal,
}

// Fields lists the custom fields schema setup must create: those without an existing
// field_code.
func (fm FileMapper) Fields() []FieldSpec {
	var out []FieldSpec
	for _, o := range fm.M.Objects {
		ent, ok := fieldEntities[o.Target]
		if !ok || o.Skip != "" {
			continue
		}
		for _, f := range o.Fields {
			if f.CustomField != "" && f.FieldCode == "" && f.Skip == "" {
				out = append(out, FieldSpec{Entity: ent, Name: f.CustomField, Type: f.Type, Options: f.Options})
			}
		}
	}
	return out
}

// Reused returns the custom fields the mapping maps onto existing Pipedrive fields (by
// field_code): schema setup creates none of them, nor one of its own of the same name.
func (fm FileMapper) Reused() []FieldSpec {
	var out []FieldSpec
	for _, o := range fm.M.Objects {
		ent, ok := fieldEntities[o.Target]
		if !ok || o.Skip != "" {
			continue
		}
		for _, f := range o.Fields {
			if f.CustomField != "" && f.FieldCode != "" && f.Skip == "" {
				out = append(out, FieldSpec{Entity: ent, Name: f.CustomField, Type: f.Type, Options: f.Options})
			}
		}
	}
	return out
}

// Payload applies the mapping. A parent that is not migrated makes the record held; any
// other error problem quarantines it (warnings pass); a kind the mapping skips is skipped.
func (fm FileMapper) Payload(kind source.Kind, rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	body, _, err := fm.PayloadWarnings(kind, rec, refs)
	return body, err
}

// PayloadWarnings is Payload with the warnings of the body (unresolved references, phones
// kept as written), each formatted with its mapping.yaml line.
func (fm FileMapper) PayloadWarnings(kind source.Kind, rec source.Record, refs Resolver) (pipedrive.Entity, []string, error) {
	if o, ok := fm.M.Object(kind); ok && o.Skip != "" {
		return nil, nil, fmt.Errorf("%w: %s", ErrSkip, o.Skip)
	}
	ar := &applyResolver{refs: refs}
	body, problems := mapping.Apply(fm.M, kind, rec, ar)
	if ar.held != nil && fm.M.HoldsOnMissingParent(kind) {
		return nil, nil, ar.held
	}
	var msgs, warns []string
	for _, p := range problems {
		if p.Warning {
			warns = append(warns, p.Format("mapping.yaml"))
		} else {
			msgs = append(msgs, p.Format("mapping.yaml"))
		}
	}
	if len(msgs) > 0 {
		return nil, nil, fmt.Errorf("%w: %s", ErrUnmappable, strings.Join(msgs, "; "))
	}
	if body == nil {
		return nil, nil, fmt.Errorf("%w: the mapping has no body for %s", ErrUnmappable, kind)
	}
	return pipedrive.Entity(body), warns, nil
}

// applyResolver adapts the engine's Resolver to mapping.Resolver and remembers the first
// link that failed because its parent is not migrated.
type applyResolver struct {
	refs Resolver
	held error
}

// FieldCode returns the mapping's field_code, or the code of the field schema setup made.
func (a *applyResolver) FieldCode(entity, name, code string) (string, error) {
	if code != "" {
		return code, nil
	}
	if c, ok := a.refs.FieldCode(fieldEntities[entity], name); ok {
		return c, nil
	}
	return "", fmt.Errorf("custom field %q of %s was not set up", name, entity)
}

// OptionID returns the id of an enum/set option.
func (a *applyResolver) OptionID(entity, field, label string) (any, error) {
	if id, ok := a.refs.OptionID(fieldEntities[entity], field, label); ok {
		return id, nil
	}
	return nil, fmt.Errorf("%q is not an option of %s field %q", label, entity, field)
}

// link converts a resolver answer and remembers the first held parent; a parent that is not
// migrated is reported to the mapping as mapping.ErrMissingParent, which moves the record
// without the link unless the object's on_missing_parent is hold.
func (a *applyResolver) link(id int64, err error) (any, error) {
	if errors.Is(err, ErrHeld) {
		if a.held == nil {
			a.held = err
		}
		return nil, missingParent{err}
	}
	if err != nil {
		return nil, err
	}
	return id, nil
}

// missingParent is a held link as the mapping sees it: errors.Is(mapping.ErrMissingParent).
type missingParent struct{ err error }

func (m missingParent) Error() string        { return m.err.Error() }
func (m missingParent) Unwrap() error        { return m.err }
func (m missingParent) Is(target error) bool { return target == mapping.ErrMissingParent }

// LinkID resolves a parent through the id map; a parent not migrated holds the record.
func (a *applyResolver) LinkID(entity, sourceID string) (any, error) {
	kind, ok := entityKinds[entity]
	if !ok {
		return nil, fmt.Errorf("links to %s are not supported", entity)
	}
	return a.link(a.refs.LinkID(kind, sourceID))
}

// LinkBy resolves a parent by its name, email or domain.
func (a *applyResolver) LinkBy(entity, by, value string) (any, error) {
	kind, ok := entityKinds[entity]
	if !ok {
		return nil, fmt.Errorf("links to %s are not supported", entity)
	}
	return a.link(a.refs.LinkBy(kind, by, value))
}

// OwnerID resolves a Klipy owner through the owner decisions.
func (a *applyResolver) OwnerID(owner string) (any, error) {
	if id, ok := a.refs.OwnerID(owner); ok {
		return id, nil
	}
	return nil, fmt.Errorf("owner %s has no Pipedrive user in the owner decisions", ownerLabel(a.refs, owner))
}

// OwnerNamer is implemented by a Resolver that can name a Klipy owner reference for a
// reader ("Jane Roe <jane@acme.com> (o2)"); reasons then name the owner, not only its id.
type OwnerNamer interface {
	OwnerLabel(ref string) string
}

// ownerLabel names an owner reference through refs when it can, else quotes it.
func ownerLabel(refs Resolver, ref string) string {
	if n, ok := refs.(OwnerNamer); ok {
		return n.OwnerLabel(ref)
	}
	return fmt.Sprintf("%q", ref)
}

// LabelID resolves a tag through the label groups.
func (a *applyResolver) LabelID(entity, tag string) (any, error) {
	if ids := a.refs.LabelIDs(fieldEntities[entity], []string{tag}); len(ids) > 0 {
		return ids[0], nil
	}
	return nil, fmt.Errorf("tag %q has no label in the label decisions", tag)
}

// DealStage places a deal through the stage map (see Resolver.Stage).
func (a *applyResolver) DealStage(pipeline, stage string, history []string, closed bool) (any, string, error) {
	if p, ok := a.refs.Stage(pipeline, stage, history, closed); ok {
		return p.StageID, p.Status, nil
	}
	return nil, "", fmt.Errorf("pipeline %q stage %q is not in the stage map", pipeline, stage)
}

// ActivityType resolves an interaction type through the activity type decisions.
func (a *applyResolver) ActivityType(klipyType, channel string) (string, bool, error) {
	if t, inNote, ok := a.refs.ActivityType(klipyType, channel); ok {
		return t, inNote, nil
	}
	return "", false, fmt.Errorf("interaction type %q has no activity type in the decisions", klipyType)
}

// Now is the run's clock.
func (a *applyResolver) Now() time.Time { return a.refs.Now() }

// recordSource is a Resolver that can read snapshot records (the engine's can).
type recordSource interface {
	SourceRecord(kind source.Kind, id string) (source.Record, bool)
}

// Interaction returns a snapshot interaction's fields, when the engine's resolver can read them.
func (a *applyResolver) Interaction(id string) (map[string]string, bool) {
	rs, ok := a.refs.(recordSource)
	if !ok || id == "" {
		return nil, false
	}
	r, ok := rs.SourceRecord(source.Interaction, id)
	return r.Fields, ok
}
