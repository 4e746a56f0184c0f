package rollback

import (
	"context"
	"fmt"

	"ferry/internal/pipedrive"
)

// liveState is what Pipedrive holds of the touched collections: live (not deleted) items.
type liveState struct {
	records map[Category]map[int64]pipedrive.Entity // v2 records, stages, pipelines, notes, files
	fields  map[string]map[string]pipedrive.Field   // entity → field code → field
	labels  map[string]map[int64]bool               // entity → label option ids
}

// readLive reads every collection the steps touch, once, through list endpoints.
func readLive(ctx context.Context, c *pipedrive.Client, steps []Step) (*liveState, error) {
	l := &liveState{records: map[Category]map[int64]pipedrive.Entity{}, fields: map[string]map[string]pipedrive.Field{},
		labels: map[string]map[int64]bool{}}
	for _, s := range steps {
		if err := l.load(ctx, c, s); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (l *liveState) load(ctx context.Context, c *pipedrive.Client, s Step) error {
	switch s.Category {
	case CatField, CatFieldOption:
		if _, ok := l.fields[s.Entity]; ok {
			return nil
		}
		fields, err := c.Fields(ctx, pipedrive.FieldEntity(s.Entity))
		if err != nil {
			return fmt.Errorf("read %s fields: %w", s.Entity, err)
		}
		m := map[string]pipedrive.Field{}
		for _, f := range fields {
			m[f.Code] = f
		}
		l.fields[s.Entity] = m
		return nil
	case CatLabelOption:
		if _, ok := l.labels[s.Entity]; ok {
			return nil
		}
		f, err := c.LabelField(ctx, pipedrive.FieldEntity(s.Entity))
		if err != nil {
			return fmt.Errorf("read %s labels: %w", s.Entity, err)
		}
		m := map[int64]bool{}
		for _, o := range f.Options {
			m[o.ID] = true
		}
		l.labels[s.Entity] = m
		return nil
	}
	if _, ok := l.records[s.Category]; ok {
		return nil
	}
	m := map[int64]pipedrive.Entity{}
	keep := func(page []pipedrive.Entity) error {
		for _, e := range page {
			if !isDeleted(e) {
				m[e.ID()] = e
			}
		}
		return nil
	}
	var err error
	switch s.Category {
	case CatFile:
		err = c.Files(ctx, pipedrive.ListOptions{}, keep)
	case CatNote:
		err = c.Notes(ctx, pipedrive.ListOptions{}, keep)
	default:
		err = c.List(ctx, v2Kinds[s.Category], pipedrive.ListOptions{}, keep)
	}
	if err != nil {
		return fmt.Errorf("read %ss: %w", s.Category, err)
	}
	l.records[s.Category] = m
	return nil
}

// isDeleted reports a soft-deleted item (v2 is_deleted, v1 active_flag false).
func isDeleted(e pipedrive.Entity) bool {
	if d, _ := e["is_deleted"].(bool); d {
		return true
	}
	if a, ok := e["active_flag"].(bool); ok && !a {
		return true
	}
	return false
}

// createdInScope reports whether the record s updated was created by ferry in the scope being
// rolled back: then deleting it is the state before the migration, whatever was updated.
func createdInScope(s Step, steps []Step) bool {
	for _, o := range steps {
		if !o.Restore && o.Category == s.Category && o.undo.ID == s.undo.ID {
			return true
		}
	}
	return false
}

// problem says how s's item differs from the state before the migration ("" if it does not).
func (l *liveState) problem(s Step, steps []Step) string {
	u := s.undo
	switch s.Category {
	case CatField:
		if _, ok := l.fields[s.Entity][u.FieldCode]; ok {
			return "custom field still exists"
		}
		return ""
	case CatFieldOption:
		for _, o := range l.fields[s.Entity][u.FieldCode].Options {
			if o.ID == u.OptionID {
				return fmt.Sprintf("option %d still exists", u.OptionID)
			}
		}
		return ""
	case CatLabelOption:
		if l.labels[s.Entity][u.OptionID] {
			return fmt.Sprintf("label %q still exists", u.Label)
		}
		return ""
	}
	cur, ok := l.records[s.Category][u.ID]
	switch {
	case s.Restore && !ok && createdInScope(s, steps):
		return "" // an update (a delta) of a record ferry created: gone is how it was before
	case s.Restore && !ok:
		return "merged-into record no longer exists"
	case s.Restore:
		return diffPreImage(preImageOf(s, steps), cur)
	case ok:
		return fmt.Sprintf("created %s %d still exists", s.Category, u.ID)
	}
	return ""
}
