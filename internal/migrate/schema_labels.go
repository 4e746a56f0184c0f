package migrate

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/pipedrive"
)

// ensureLabels makes every label of the decisions' label groups an option of the built-in
// label field of persons, organizations and deals (tags occur on all three). It adds the
// missing ones with one v1 PUT per entity; after an unknown outcome it reads the field again.
func (e *Engine) ensureLabels(ctx context.Context, s *Schema) error {
	var want []string
	for _, g := range e.decisions.Labels {
		want = append(want, g.Label)
	}
	for _, ent := range recordEntities {
		if err := e.ensureEntityLabels(ctx, s, ent, want); err != nil {
			return fmt.Errorf("%s labels: %w", ent, err)
		}
	}
	return nil
}

func (e *Engine) ensureEntityLabels(ctx context.Context, s *Schema, ent pipedrive.FieldEntity, want []string) error {
	var before pipedrive.V1Field
	for attempt := 0; ; attempt++ {
		f, err := e.client.LabelField(ctx, ent)
		if err != nil {
			return err
		}
		if attempt == 0 {
			before = f
		}
		s.labels[ent] = labelIndex(f.Options)
		missing := missingLabels(want, f.Options)
		if len(missing) == 0 {
			// Labels that appeared after an unknown outcome are ours: journal them.
			return e.journalNewLabels(ctx, s, ent, before, f.Options)
		}
		if attempt >= maxUnknownRetries {
			return fmt.Errorf("adding labels gave no answer %d times", attempt)
		}
		add := make([]pipedrive.Option, len(missing))
		for i, l := range missing {
			add[i] = pipedrive.Option{Label: l}
		}
		after, err := e.client.AddLabelOptions(ctx, ent, add)
		if errors.Is(err, pipedrive.ErrOutcomeUnknown) {
			continue
		}
		if err != nil {
			return err
		}
		s.labels[ent] = labelIndex(after)
		return e.journalNewLabels(ctx, s, ent, before, after)
	}
}

// journalNewLabels journals every option of after that the field did not have before.
func (e *Engine) journalNewLabels(ctx context.Context, s *Schema, ent pipedrive.FieldEntity, before pipedrive.V1Field, after []pipedrive.Option) error {
	old := map[int64]bool{}
	for _, o := range before.Options {
		old[o.ID] = true
	}
	for _, o := range after {
		if old[o.ID] {
			continue
		}
		undo := undoDeleteLabel{Entity: string(ent), FieldID: before.ID, OptionID: o.ID, Label: o.Label}
		if err := e.journalSchema(ctx, "label_option", string(ent), fmt.Sprint(o.ID), undo); err != nil {
			return err
		}
		s.Created++
	}
	return nil
}

func labelIndex(opts []pipedrive.Option) map[string]int64 {
	m := map[string]int64{}
	for _, o := range opts {
		m[fold(o.Label)] = o.ID
	}
	return m
}
