// Package plan builds ferry's migration plan from the source snapshot and the destination's
// schema: the data profile, the proposed mapping (mapping.yaml), dedupe clusters, the
// decisions a person must confirm (decisions.yaml) and a plan report a reviewer can read in
// five minutes.
package plan

import (
	"context"
	"fmt"
	"sort"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
)

// Destination is what Pipedrive already holds that the plan refers to.
type Destination struct {
	Decide decide.Destination
	Fields map[pipedrive.FieldEntity][]pipedrive.Field
}

// ReadDestination reads users, pipelines and stages, label options, activity types and
// fields: a handful of list calls, whatever the size of the company.
func ReadDestination(ctx context.Context, c *pipedrive.Client) (Destination, error) {
	d := Destination{Fields: map[pipedrive.FieldEntity][]pipedrive.Field{}}
	users, err := c.Users(ctx)
	if err != nil {
		return d, fmt.Errorf("read Pipedrive users: %w", err)
	}
	for _, u := range users {
		if u.Active {
			d.Decide.Users = append(d.Decide.Users, decide.User{Name: u.Name, Email: u.Email})
		}
	}
	if d.Decide.Pipelines, err = readPipelines(ctx, c); err != nil {
		return d, err
	}
	for _, e := range []pipedrive.FieldEntity{pipedrive.PersonFields, pipedrive.OrganizationFields, pipedrive.DealFields} {
		fields, err := c.Fields(ctx, e)
		if err != nil {
			return d, fmt.Errorf("read Pipedrive %s fields: %w", e, err)
		}
		d.Fields[e] = fields
		for _, f := range fields {
			if f.Code == "label" || f.Code == "label_ids" {
				for _, o := range f.Options {
					d.Decide.Labels = append(d.Decide.Labels, o.Label)
				}
			}
		}
	}
	types, err := c.ActivityTypes(ctx)
	if err != nil {
		return d, fmt.Errorf("read Pipedrive activity types: %w", err)
	}
	for _, t := range types {
		if k := t.String("key_string"); k != "" {
			d.Decide.ActivityTypes = append(d.Decide.ActivityTypes, k)
		}
	}
	sort.Strings(d.Decide.Labels)
	return d, nil
}

// readPipelines lists pipelines with their stages in order.
func readPipelines(ctx context.Context, c *pipedrive.Client) ([]decide.Pipeline, error) {
	pipes, err := c.Pipelines(ctx)
	if err != nil {
		return nil, fmt.Errorf("read Pipedrive pipelines: %w", err)
	}
	stages, err := c.Stages(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("read Pipedrive stages: %w", err)
	}
	sort.SliceStable(stages, func(i, j int) bool { return stages[i].Int("order_nr") < stages[j].Int("order_nr") })
	var out []decide.Pipeline
	for _, p := range pipes {
		pl := decide.Pipeline{Name: p.String("name")}
		for _, s := range stages {
			if s.Int("pipeline_id") == p.ID() {
				pl.Stages = append(pl.Stages, s.String("name"))
			}
		}
		out = append(out, pl)
	}
	return out, nil
}

// ReadSchema reads the custom and standard fields of persons, organizations and deals as
// mapping.Schema: what lint checks mapping.yaml against (a non-nil Fields map, even for an
// empty company).
func ReadSchema(ctx context.Context, c *pipedrive.Client) (mapping.Schema, error) {
	d := Destination{Fields: map[pipedrive.FieldEntity][]pipedrive.Field{}}
	for _, e := range []pipedrive.FieldEntity{pipedrive.PersonFields, pipedrive.OrganizationFields, pipedrive.DealFields} {
		fields, err := c.Fields(ctx, e)
		if err != nil {
			return mapping.Schema{}, fmt.Errorf("read Pipedrive %s fields: %w", e, err)
		}
		d.Fields[e] = fields
	}
	return schemaOf(d), nil
}
