package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/mapping"
)

// Names of the fields ferry adds to persons, organizations and deals.
const (
	// KlipyIDField holds the Klipy id of a migrated record: the key of the exactly-once lookup.
	KlipyIDField = "Klipy ID"
	// KlipyCreatedField holds a deal's original creation time (RFC 3339): v2 deals have no
	// settable add_time.
	KlipyCreatedField = "Klipy created at"
)

// recordEntities are the field entities that carry a Klipy ID.
var recordEntities = []pipedrive.FieldEntity{pipedrive.OrganizationFields, pipedrive.PersonFields, pipedrive.DealFields}

// Schema is what schema setup found or created in Pipedrive, as the phases need it.
type Schema struct {
	fields    map[pipedrive.FieldEntity]map[string]pipedrive.Field // by folded name, custom only
	labels    map[pipedrive.FieldEntity]map[string]int64           // by folded label
	users     map[string]int64                                     // by lower-case email
	pipelines map[string]*pipelinePlan                             // by Klipy pipeline name
	Created   int                                                  // items created by this setup
}

// KlipyIDCode returns the field_code of the Klipy ID field of entity.
func (s *Schema) KlipyIDCode(e pipedrive.FieldEntity) string {
	return s.fields[e][fold(KlipyIDField)].Code
}

// fold is the one name fold plan, lint and the engine share (mapping.FieldKey).
func fold(s string) string { return mapping.FieldKey(s) }

// setupSchema reads the destination and creates what the plan needs and it lacks.
func (e *Engine) setupSchema(ctx context.Context) (*Schema, error) {
	s := &Schema{fields: map[pipedrive.FieldEntity]map[string]pipedrive.Field{},
		labels: map[pipedrive.FieldEntity]map[string]int64{}, users: map[string]int64{},
		pipelines: map[string]*pipelinePlan{}}
	steps := []struct {
		name string
		fn   func(context.Context, *Schema) error
	}{
		{"users", e.readUsers},
		{"custom fields", e.ensureFields},
		{"labels", e.ensureLabels},
		{"pipelines and stages", e.ensurePipelines},
	}
	for _, st := range steps {
		if err := st.fn(ctx, s); err != nil {
			return nil, fmt.Errorf("schema setup: %s: %w", st.name, err)
		}
	}
	return s, nil
}

func (e *Engine) readUsers(ctx context.Context, s *Schema) error {
	users, err := e.client.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Active && u.Email != "" {
			s.users[strings.ToLower(strings.TrimSpace(u.Email))] = u.ID
		}
	}
	return nil
}

// fieldSpecs returns the fields ferry needs: the mapping's, plus its own where the mapping
// does not define a field of the same name (the mapping may keep "Klipy created at" as a
// date; the Klipy ID must stay a searchable varchar, which ensureField checks).
func (e *Engine) fieldSpecs() []FieldSpec {
	specs := e.mapper.Fields()
	has := map[string]bool{}
	for _, sp := range specs {
		has[string(sp.Entity)+"\x00"+fold(sp.Name)] = true
	}
	if r, ok := e.mapper.(interface{ Reused() []FieldSpec }); ok {
		for _, sp := range r.Reused() {
			has[string(sp.Entity)+"\x00"+fold(sp.Name)] = true
		}
	}
	own := []FieldSpec{{Entity: pipedrive.DealFields, Name: KlipyCreatedField, Type: "varchar"}}
	for _, ent := range recordEntities {
		own = append(own, FieldSpec{Entity: ent, Name: KlipyIDField, Type: "varchar"})
	}
	for _, sp := range own {
		if !has[string(sp.Entity)+"\x00"+fold(sp.Name)] {
			specs = append(specs, sp)
		}
	}
	return specs
}

// ensureFields reads the custom fields of each entity and creates missing ones and options.
func (e *Engine) ensureFields(ctx context.Context, s *Schema) error {
	for _, ent := range recordEntities {
		if err := e.readFields(ctx, s, ent); err != nil {
			return err
		}
	}
	for _, spec := range e.fieldSpecs() {
		if err := e.ensureField(ctx, s, spec); err != nil {
			return fmt.Errorf("%s field %q: %w", spec.Entity, spec.Name, err)
		}
	}
	return nil
}

func (e *Engine) readFields(ctx context.Context, s *Schema, ent pipedrive.FieldEntity) error {
	fields, err := e.client.Fields(ctx, ent)
	if err != nil {
		return err
	}
	m := map[string]pipedrive.Field{}
	for _, f := range fields {
		if f.IsCustom {
			m[fold(f.Name)] = f
		}
	}
	s.fields[ent] = m
	return nil
}

// ensureField finds spec by name (and checks its type) or creates it, then adds missing
// options. A create with an unknown outcome re-reads the fields before trying again; a field
// that appears then is ours and is journaled.
func (e *Engine) ensureField(ctx context.Context, s *Schema, spec FieldSpec) error {
	unknown := false
	for attempt := 0; ; attempt++ {
		f, ok := s.fields[spec.Entity][fold(spec.Name)]
		if ok && unknown {
			if err := e.journalField(ctx, s, spec.Entity, f); err != nil {
				return err
			}
		}
		if ok {
			if !mapping.Compatible(f.Type, spec.Type) {
				return fmt.Errorf("exists with type %s, the plan needs %s: rename one of them", f.Type, spec.Type)
			}
			return e.ensureOptions(ctx, s, spec, f)
		}
		if attempt >= maxUnknownRetries {
			return fmt.Errorf("create gave no answer %d times", attempt)
		}
		created, err := e.client.CreateField(ctx, spec.Entity, pipedrive.NewField{Name: spec.Name, Type: spec.Type, Options: spec.Options})
		if errors.Is(err, pipedrive.ErrOutcomeUnknown) {
			unknown = true
			if err := e.readFields(ctx, s, spec.Entity); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := e.journalField(ctx, s, spec.Entity, created); err != nil {
			return err
		}
		s.fields[spec.Entity][fold(spec.Name)] = created
		unknown = false
	}
}

func (e *Engine) journalField(ctx context.Context, s *Schema, ent pipedrive.FieldEntity, f pipedrive.Field) error {
	s.Created++
	return e.journalSchema(ctx, "field", string(ent), f.Code, undoDeleteField{Entity: string(ent), Code: f.Code, Name: f.Name})
}

// ensureOptions adds the options of spec that field f lacks. After an unknown outcome it
// reads the field again; options that appeared then are ours and are journaled.
func (e *Engine) ensureOptions(ctx context.Context, s *Schema, spec FieldSpec, f pipedrive.Field) error {
	before := f.Options
	for attempt := 0; ; attempt++ {
		missing := missingLabels(spec.Options, f.Options)
		if len(missing) == 0 {
			return e.journalOptions(ctx, s, spec.Entity, f.Code, before, f.Options)
		}
		if attempt >= maxUnknownRetries {
			return fmt.Errorf("adding options gave no answer %d times", attempt)
		}
		added, err := e.client.AddFieldOptions(ctx, spec.Entity, f.Code, missing)
		if errors.Is(err, pipedrive.ErrOutcomeUnknown) {
			if err := e.readFields(ctx, s, spec.Entity); err != nil {
				return err
			}
			f = s.fields[spec.Entity][fold(spec.Name)]
			continue
		}
		if err != nil {
			return err
		}
		f.Options = append(f.Options, added...)
		s.fields[spec.Entity][fold(spec.Name)] = f
	}
}

// journalOptions journals every option of after that before lacks.
func (e *Engine) journalOptions(ctx context.Context, s *Schema, ent pipedrive.FieldEntity, code string, before, after []pipedrive.Option) error {
	old := map[int64]bool{}
	for _, o := range before {
		old[o.ID] = true
	}
	for _, o := range after {
		if old[o.ID] {
			continue
		}
		undo := undoDeleteOption{Entity: string(ent), Code: code, OptionID: o.ID}
		if err := e.journalSchema(ctx, "field_option", string(ent)+"."+code, fmt.Sprint(o.ID), undo); err != nil {
			return err
		}
		s.Created++
	}
	return nil
}

// missingLabels returns the labels of want that have no option in have (folded compare).
func missingLabels(want []string, have []pipedrive.Option) []string {
	seen := map[string]bool{}
	for _, o := range have {
		seen[fold(o.Label)] = true
	}
	var out []string
	for _, l := range want {
		if k := fold(l); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}
