package report

import (
	"context"
	"encoding/json"
	"fmt"

	"ferry/internal/plan/decide"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// Where a decisions section came from.
const (
	FromConfirmed = "confirmed"
	FromProposed  = "proposed (decisions.yaml, not confirmed)"
)

// confirmed decodes the decision ferry confirm stored under kind into v; false when none.
func confirmed(ctx context.Context, st store.Store, kind string, v any) (bool, error) {
	ds, err := st.Decisions(ctx, kind)
	if err != nil {
		return false, err
	}
	for _, d := range ds {
		if d.Key != "confirmed" {
			continue
		}
		if err := json.Unmarshal(d.Value, v); err != nil {
			return false, fmt.Errorf("confirmed %s: %w", kind, err)
		}
		return true, nil
	}
	return false, nil
}

// collectPipelines lists every Klipy stage with its Pipedrive target, from the confirmed
// decisions, else the proposal in decisions.yaml.
func collectPipelines(ctx context.Context, st store.Store, r *Report, pf planFiles) error {
	var pipes []decide.PipelineMap
	ok, err := confirmed(ctx, st, "pipelines", &pipes)
	if err != nil {
		return err
	}
	switch {
	case ok:
		r.Pipelines.From = FromConfirmed
	case pf.decisions != nil:
		r.Pipelines.From, pipes = FromProposed, pf.decisions.Pipelines
	default:
		r.Pipelines.From = StatusNotPlanned
	}
	r.Pipelines.Stages = []StageRow{}
	for _, p := range pipes {
		for _, s := range p.Stages {
			r.Pipelines.Stages = append(r.Pipelines.Stages, StageRow{KlipyPipeline: p.Klipy, PipelineDeals: p.Deals,
				Action: p.Action, PipedrivePipeline: p.Target, KlipyStage: s.Klipy, StageDeals: s.Deals,
				PipedriveStage: s.Target, Status: s.Status})
		}
	}
	return nil
}

// collectOwners lists the owner decisions, confirmed or proposed.
func collectOwners(ctx context.Context, st store.Store, r *Report, pf planFiles) error {
	var owners []decide.Owner
	ok, err := confirmed(ctx, st, "owners", &owners)
	if err != nil {
		return err
	}
	switch {
	case ok:
		r.Owners.From = FromConfirmed
	case pf.decisions != nil:
		r.Owners.From, owners = FromProposed, pf.decisions.Owners
	default:
		r.Owners.From = StatusNotPlanned
	}
	r.Owners.Rows = []OwnerRow{}
	for _, o := range owners {
		r.Owners.Rows = append(r.Owners.Rows, OwnerRow{Klipy: o.Klipy, Email: o.Email, Records: o.Records,
			Resolution: o.Resolution, Target: o.Target, MatchedBy: o.MatchedBy})
	}
	return nil
}

// collectFields lists every migrated field of mapping.yaml.
func collectFields(_ context.Context, _ store.Store, r *Report, pf planFiles) error {
	r.Fields.Rows = []FieldRow{}
	if pf.mapping == nil {
		r.Fields.From = StatusNotPlanned
		return nil
	}
	r.Fields.From = workspace.MappingFile
	for _, o := range pf.mapping.Objects {
		if o.Skip != "" {
			continue
		}
		for _, f := range o.Fields {
			if f.Skip != "" {
				continue
			}
			row := FieldRow{Object: o.Source, Entity: o.Target, KlipyField: f.Source, PipedriveField: f.Target,
				Type: f.Type, FieldCode: f.FieldCode, Transforms: f.Transforms}
			if f.CustomField != "" {
				row.PipedriveField, row.Custom = f.CustomField, true
			}
			r.Fields.Rows = append(r.Fields.Rows, row)
		}
	}
	return nil
}
