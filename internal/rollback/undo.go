package rollback

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"ferry/internal/pipedrive"
)

// v2Kinds are the v2 collections of the record and pipeline categories.
var v2Kinds = map[Category]pipedrive.Kind{
	CatActivity: pipedrive.Activities, CatDeal: pipedrive.Deals, CatPerson: pipedrive.Persons,
	CatOrg: pipedrive.Organizations, CatStage: pipedrive.Stages, CatPipeline: pipedrive.Pipelines,
}

// request returns the call that undoes s (label options are batched, see undoLabels).
func (s Step) request() (pipedrive.Request, error) {
	u := s.undo
	id := strconv.FormatInt(u.ID, 10)
	switch s.Category {
	case CatFile:
		return pipedrive.Request{Method: http.MethodDelete, Path: "/api/v1/files/" + id}, nil
	case CatNote:
		if s.Restore { // a note a delta updated: v1 PUT takes the content back
			return pipedrive.Request{Method: http.MethodPut, Path: "/api/v1/notes/" + id, JSON: map[string]any(u.PreImage)}, nil
		}
		return pipedrive.Request{Method: http.MethodDelete, Path: "/api/v1/notes/" + id}, nil
	case CatField:
		return pipedrive.Request{Method: http.MethodDelete, Path: fieldsPath(s.Entity) + "/" + url.PathEscape(u.FieldCode)}, nil
	case CatFieldOption:
		return pipedrive.Request{Method: http.MethodDelete, Path: fieldsPath(s.Entity) + "/" + url.PathEscape(u.FieldCode) + "/options",
			JSON: []map[string]int64{{"id": u.OptionID}}}, nil
	case CatLabelOption:
		return pipedrive.Request{Method: http.MethodPut, Path: "/api/v1/" + s.Entity + "Fields/" + strconv.FormatInt(u.FieldID, 10)}, nil
	}
	k, ok := v2Kinds[s.Category]
	if !ok {
		return pipedrive.Request{}, fmt.Errorf("no undo request for %s", s.Category)
	}
	if s.Restore {
		return pipedrive.Request{Method: http.MethodPatch, Path: "/api/v2/" + string(k) + "/" + id, JSON: map[string]any(u.PreImage)}, nil
	}
	return pipedrive.Request{Method: http.MethodDelete, Path: "/api/v2/" + string(k) + "/" + id}, nil
}

func fieldsPath(entity string) string { return "/api/v2/" + entity + "Fields" }

// undoOne sends the undo of s. It reports gone when the item no longer existed (a delete
// answered 404/410, or an option the field no longer has): that counts as done as well.
func undoOne(ctx context.Context, c *pipedrive.Client, s Step) (gone bool, err error) {
	req, err := s.request()
	if err != nil {
		return false, err
	}
	_, err = c.Do(ctx, req)
	switch {
	case err == nil:
		return false, nil
	case s.Restore:
		return false, err
	case errors.Is(err, pipedrive.ErrNotFound):
		return true, nil
	case s.Category == CatFieldOption && isAPIError(err):
		// Pipedrive answers 400 for an option id the field does not have: look before judging.
		has, lerr := optionExists(ctx, c, s)
		if lerr != nil || has {
			return false, err
		}
		return true, nil
	}
	return false, err
}

func isAPIError(err error) bool {
	var ae *pipedrive.APIError
	return errors.As(err, &ae)
}

// optionExists reports whether the custom field of s still has the option of s.
func optionExists(ctx context.Context, c *pipedrive.Client, s Step) (bool, error) {
	fields, err := c.Fields(ctx, pipedrive.FieldEntity(s.Entity))
	if err != nil {
		return false, err
	}
	for _, f := range fields {
		if f.Code != s.undo.FieldCode {
			continue
		}
		for _, o := range f.Options {
			if o.ID == s.undo.OptionID {
				return true, nil
			}
		}
	}
	return false, nil
}

// undoLabels removes the label options of steps (all of one entity's label field) with one
// read of the field and one v1 PUT of the options list without them. The PUT names only
// existing option ids, so sending it again is harmless. It returns the option ids that were
// gone already.
func undoLabels(ctx context.Context, c *pipedrive.Client, entity string, steps []Step) (gone map[int64]bool, err error) {
	f, err := c.LabelField(ctx, pipedrive.FieldEntity(entity))
	if err != nil {
		return nil, err
	}
	gone = map[int64]bool{}
	for _, s := range steps {
		gone[s.undo.OptionID] = true
	}
	keep := []pipedrive.Option{}
	present := false
	for _, o := range f.Options {
		if gone[o.ID] {
			delete(gone, o.ID)
			present = true
			continue
		}
		keep = append(keep, o)
	}
	if !present {
		return gone, nil
	}
	req := pipedrive.Request{Method: http.MethodPut, Path: "/api/v1/" + entity + "Fields/" + strconv.FormatInt(f.ID, 10),
		JSON: map[string]any{"options": keep}}
	if _, err := c.Do(ctx, req); err != nil {
		return nil, err
	}
	return gone, nil
}
