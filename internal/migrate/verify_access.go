package migrate

import (
	"context"
	"fmt"
	"path/filepath"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// This file exposes what ferry verify needs to rebuild the bodies the engine sent: a
// read-only schema and the stamped payload of one record.

// ReadSchema reads what schema setup finds in Pipedrive (users, custom fields, label
// options, the stage map's pipelines and stages) and creates nothing. Stage-map entries
// whose pipeline or stage does not exist are left out, so records placed there cannot be
// rebuilt. It costs one request per field entity, users, pipelines and stages.
func (e *Engine) ReadSchema(ctx context.Context) (*Schema, error) {
	s := &Schema{fields: map[pipedrive.FieldEntity]map[string]pipedrive.Field{},
		labels: map[pipedrive.FieldEntity]map[string]int64{}, users: map[string]int64{},
		pipelines: map[string]*pipelinePlan{}}
	if err := e.readUsers(ctx, s); err != nil {
		return nil, fmt.Errorf("read schema: users: %w", err)
	}
	for _, ent := range recordEntities {
		if err := e.readFieldsAndLabels(ctx, s, ent); err != nil {
			return nil, fmt.Errorf("read schema: %s fields: %w", ent, err)
		}
	}
	if err := e.readPipelines(ctx, s); err != nil {
		return nil, fmt.Errorf("read schema: pipelines: %w", err)
	}
	e.schema = s
	return s, nil
}

// readFieldsAndLabels reads the custom fields of ent and its label options from one v2
// fields list (the built-in label field is "label_ids" there, with its options); only when
// that list lacks it is the v1 label field read.
func (e *Engine) readFieldsAndLabels(ctx context.Context, s *Schema, ent pipedrive.FieldEntity) error {
	fields, err := e.client.Fields(ctx, ent)
	if err != nil {
		return err
	}
	custom := map[string]pipedrive.Field{}
	var labels []pipedrive.Option
	found := false
	for _, f := range fields {
		switch {
		case f.IsCustom:
			custom[fold(f.Name)] = f
		case f.Code == "label_ids":
			labels, found = f.Options, true
		}
	}
	s.fields[ent] = custom
	if !found {
		lf, err := e.client.LabelField(ctx, ent)
		if err != nil {
			return err
		}
		labels = lf.Options
	}
	s.labels[ent] = labelIndex(labels)
	return nil
}

// readPipelines resolves the stage map against the pipelines and stages that exist.
func (e *Engine) readPipelines(ctx context.Context, s *Schema) error {
	have, err := e.destinationPipelines(ctx)
	if err != nil {
		return err
	}
	for _, pm := range e.decisions.Pipelines {
		pid := have.byName[fold(pm.Target)]
		if pid == 0 {
			continue
		}
		plan := &pipelinePlan{id: pid, stages: map[string]stageGoal{}}
		plan.first, plan.last = endStages(have.stages[pid])
		for _, sm := range pm.Stages {
			goal := stageGoal{status: sm.Status}
			if sm.Target != "" {
				if goal.stageID = have.stageID(pid, sm.Target); goal.stageID == 0 {
					continue
				}
			}
			plan.stages[fold(sm.Klipy)] = goal
		}
		s.pipelines[fold(pm.Klipy)] = plan
	}
	return nil
}

// FieldNames returns the custom fields of entity by field_code → name.
func (s *Schema) FieldNames(ent pipedrive.FieldEntity) map[string]string {
	out := map[string]string{}
	for _, f := range s.fields[ent] {
		out[f.Code] = f.Name
	}
	return out
}

// Intended returns the body the engine sends for rec of kind (not files): the mapper's
// payload resolved against s and the id map, stamped with the Klipy ID (or, for activities
// and notes, the marker line) and a deal's original creation time. Errors are the Mapper's:
// they wrap ErrHeld, ErrSkip or ErrUnmappable.
func (e *Engine) Intended(ctx context.Context, kind source.Kind, rec source.Record, s *Schema) (pipedrive.Entity, error) {
	p, ok := phaseOf(kind)
	if !ok || p.entity == "file" {
		return nil, fmt.Errorf("migrate: no record body for %q", kind)
	}
	body, err := e.mapper.Payload(kind, rec, &resolver{ctx: ctx, e: e, schema: s})
	if err != nil {
		return nil, err
	}
	e.stamp(p, rec, body, s)
	return body, nil
}

// ExpectedFile is what the engine uploads for an attachment: its name and size, and the
// Pipedrive ids of its deal, person, organization and activity (0 when none).
type ExpectedFile struct {
	Name                                string
	Size                                int64
	DealID, PersonID, OrgID, ActivityID int64
}

// IntendedFile returns what the engine uploads for attachment rec: the file is read from
// the harvest folder for its size, the links resolve through the id map. Errors wrap
// ErrHeld or ErrUnmappable as the engine's would.
func (e *Engine) IntendedFile(ctx context.Context, rec source.Record, s *Schema) (ExpectedFile, error) {
	f := rec.Fields
	data, err := e.readAttachment(f["path"])
	if err != nil {
		return ExpectedFile{}, fmt.Errorf("%w: %v", ErrUnmappable, err)
	}
	up := pipedrive.FileUpload{Name: f["file_name"]}
	if up.Name == "" {
		up.Name = filepath.Base(f["path"])
	}
	if _, err := fileLinks(&resolver{ctx: ctx, e: e, schema: s}, &up, f); err != nil {
		return ExpectedFile{}, err
	}
	return ExpectedFile{Name: up.Name, Size: int64(len(data)), DealID: up.DealID, PersonID: up.PersonID,
		OrgID: up.OrgID, ActivityID: up.ActivityID}, nil
}
