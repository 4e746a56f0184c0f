package sandbox

import (
	"io"
	"net/http"
	"slices"
)

// optionsBody reads the JSON array body of the options endpoints after checking that f
// takes options.
func optionsBody(r *http.Request, f *fieldDef) ([]map[string]any, *apiError) {
	if f.Type != "enum" && f.Type != "set" {
		return nil, badRequest("Field of type %s has no options", f.Type)
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return nil, badRequest("could not read request body")
	}
	var arr []map[string]any
	if err := decodeJSON(raw, &arr); err != nil || len(arr) == 0 {
		return nil, badRequest("Validation failed: body: Expected a non-empty array of options")
	}
	return arr, nil
}

func renderOptions(opts []*option) []map[string]any {
	out := make([]map[string]any, len(opts))
	for i, o := range opts {
		out[i] = map[string]any{"id": o.ID, "label": o.Label}
	}
	return out
}

func writeOptions(w http.ResponseWriter, opts []*option) {
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": renderOptions(opts), "additional_data": nil})
}

// optionsAdd serves POST …Fields/{field_code}/options: [{label}], all or nothing.
func (s *Server) optionsAdd(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.fieldByCode(r, ent)
	if err != nil {
		return err
	}
	arr, err := optionsBody(r, f)
	if err != nil {
		return err
	}
	items := make([]any, len(arr))
	for i, m := range arr {
		if len(m) != 1 {
			return badRequest("Validation failed: [%d]: only label is allowed", i)
		}
		items[i] = m
	}
	labels, err := optionLabels(items)
	if err != nil {
		return err
	}
	if len(f.Options)+len(labels) > 10000 {
		return badRequest("A field can have at most 10000 options")
	}
	writeOptions(w, s.addOptions(f, labels))
	return nil
}

// optionIDs resolves the ids of an options body; every id must exist.
func optionIDs(f *fieldDef, arr []map[string]any) ([]*option, *apiError) {
	out := make([]*option, len(arr))
	for i, m := range arr {
		id, ok := asInt(m["id"])
		if !ok {
			return nil, badRequest("Validation failed: [%d].id: Expected integer", i)
		}
		o := optionOf(f, id)
		if o == nil {
			return nil, badRequest("Option with id %d does not exist", id)
		}
		out[i] = o
	}
	return out, nil
}

// optionsRename serves PATCH …/options: [{id, label}], all or nothing.
func (s *Server) optionsRename(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.fieldByCode(r, ent)
	if err != nil {
		return err
	}
	arr, err := optionsBody(r, f)
	if err != nil {
		return err
	}
	opts, err := optionIDs(f, arr)
	if err != nil {
		return err
	}
	labels := make([]string, len(arr))
	for i, m := range arr {
		l, ok := m["label"].(string)
		if !ok || len(l) == 0 || len([]rune(l)) > 255 {
			return badRequest("Validation failed: [%d].label: Expected a string of 1-255 characters", i)
		}
		labels[i] = l
	}
	now := s.now()
	for i, o := range opts {
		o.Label, o.UpdateTime = labels[i], now
	}
	f.UpdateTime = now
	writeOptions(w, opts)
	return nil
}

// optionsDelete serves DELETE …/options: [{id}], all or nothing; answers the removed options.
func (s *Server) optionsDelete(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.fieldByCode(r, ent)
	if err != nil {
		return err
	}
	arr, err := optionsBody(r, f)
	if err != nil {
		return err
	}
	opts, err := optionIDs(f, arr)
	if err != nil {
		return err
	}
	f.Options = slices.DeleteFunc(f.Options, func(o *option) bool { return slices.Contains(opts, o) })
	f.UpdateTime = s.now()
	writeOptions(w, opts)
	return nil
}
