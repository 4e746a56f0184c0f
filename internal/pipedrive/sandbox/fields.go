package sandbox

import (
	"net/http"
	"strings"
)

// creatableTypes are the field_type values a custom field can be created with.
var creatableTypes = []string{"varchar", "varchar_auto", "text", "double", "monetary", "date", "daterange",
	"time", "timerange", "set", "enum", "user", "org", "people", "phone", "address"}

// v2FieldEntities maps the v2 fields path prefix to its entity.
var v2FieldEntities = map[string]string{"personFields": "person", "organizationFields": "organization",
	"dealFields": "deal", "activityFields": "activity"}

// fieldRoutes registers the v2 fields APIs (activityFields read-only).
func (s *Server) fieldRoutes() {
	for prefix, ent := range v2FieldEntities {
		base := "/api/v2/" + prefix
		h := func(pattern string, fn func(w http.ResponseWriter, r *http.Request, ent string) *apiError) {
			s.handle(pattern, s.locked(func(w http.ResponseWriter, r *http.Request) *apiError { return fn(w, r, ent) }))
		}
		h("GET "+base, s.fieldsList)
		h("GET "+base+"/{field_code}", s.fieldGet)
		if ent == "activity" {
			continue
		}
		h("POST "+base, s.fieldCreate)
		h("PATCH "+base+"/{field_code}", s.fieldUpdate)
		h("DELETE "+base+"/{field_code}", s.fieldDelete)
		h("POST "+base+"/{field_code}/options", s.optionsAdd)
		h("PATCH "+base+"/{field_code}/options", s.optionsRename)
		h("DELETE "+base+"/{field_code}/options", s.optionsDelete)
	}
}

// renderFieldV2 returns the v2 field object.
func renderFieldV2(f *fieldDef) map[string]any {
	var opts any
	if f.Options != nil || f.Type == "enum" || f.Type == "set" {
		list := make([]map[string]any, len(f.Options))
		for i, o := range f.Options {
			list[i] = map[string]any{"id": o.ID, "label": o.Label, "color": nilIfEmpty(o.Color),
				"add_time": fmtV2(o.AddTime), "update_time": fmtV2(o.UpdateTime)}
		}
		opts = list
	}
	return map[string]any{
		"field_name": f.Name, "field_code": f.Code, "field_type": f.Type, "options": opts, "subfields": nil,
		"is_custom_field": f.Custom, "is_optional_response_field": false,
		"ui_visibility":    map[string]any{"add_visible_flag": f.AddVisible, "details_visible_flag": true},
		"important_fields": map[string]any{"enabled": false, "stage_ids": []int{}},
		"required_fields":  map[string]any{"enabled": f.Code == "name" || f.Code == "title"},
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fieldGone is the 410 Pipedrive answers for a deleted field.
func fieldGone() *apiError {
	return &apiError{status: http.StatusGone, msg: "The field is not found"}
}

// fieldByCode finds the field of the {field_code} path value: 404 unknown, 410 deleted.
func (s *Server) fieldByCode(r *http.Request, ent string) (*fieldDef, *apiError) {
	f := s.field(ent, r.PathValue("field_code"))
	if f == nil {
		return nil, notFound()
	}
	if f.Deleted {
		return nil, fieldGone()
	}
	return f, nil
}

// fieldsList serves GET /api/v2/{entity}Fields (cursor pagination, deleted fields hidden).
func (s *Server) fieldsList(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	offset, limit, err := v2Page(r, 500)
	if err != nil {
		return err
	}
	var live []*fieldDef
	for _, f := range s.st.Fields[ent] {
		if !f.Deleted {
			live = append(live, f)
		}
	}
	page, next := pageSlice(live, offset, limit)
	data := make([]map[string]any, len(page))
	for i, f := range page {
		data[i] = renderFieldV2(f)
	}
	writeV2List(w, data, next)
	return nil
}

// fieldGet serves GET /api/v2/{entity}Fields/{field_code}.
func (s *Server) fieldGet(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.fieldByCode(r, ent)
	if err != nil {
		return err
	}
	writeData(w, renderFieldV2(f))
	return nil
}

// fieldCreate serves POST /api/v2/{entity}Fields; enum and set need options.
func (s *Server) fieldCreate(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	body, err := decodeBody(r)
	if err != nil {
		return err
	}
	for k := range body {
		if !containsStr([]string{"field_name", "field_type", "options", "ui_visibility", "important_fields", "required_fields", "description"}, k) ||
			(k == "description" && ent != "deal") {
			return badRequest("Validation failed: Unrecognized key %q in request body", k)
		}
	}
	name, ok := body["field_name"].(string)
	if !ok || strings.TrimSpace(name) == "" {
		return badRequest("Validation failed: field_name: Required")
	}
	typ, _ := body["field_type"].(string)
	if !containsStr(creatableTypes, typ) {
		return badRequest("Validation failed: field_type: Invalid enum value %q", typ)
	}
	f := s.newField(ent, name, typ)
	if typ == "enum" || typ == "set" {
		labels, err := optionLabels(body["options"])
		if err != nil {
			return err
		}
		s.addOptions(f, labels)
	} else if body["options"] != nil {
		return badRequest("Validation failed: options: Only enum and set fields take options")
	}
	if ui, ok := body["ui_visibility"].(map[string]any); ok {
		if b, ok := ui["add_visible_flag"].(bool); ok {
			f.AddVisible = b
		}
	}
	s.st.Fields[ent] = append(s.st.Fields[ent], f)
	writeData(w, renderFieldV2(f))
	return nil
}

// newField makes a custom field with a fresh 40-hex code (not yet stored).
func (s *Server) newField(ent, name, typ string) *fieldDef {
	now := s.now()
	return &fieldDef{ID: s.st.nextID("fields"), Code: s.fieldCode(), Name: name, Type: typ, Custom: true,
		OrderNr: len(s.st.Fields[ent]), AddVisible: true, AddTime: now, UpdateTime: now}
}

// optionLabels validates a non-empty [{label}] array (labels 1-255 characters).
func optionLabels(v any) ([]string, *apiError) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, badRequest("Validation failed: options: At least one option is required")
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		m, _ := e.(map[string]any)
		l, ok := m["label"].(string)
		if !ok || len(l) == 0 || len([]rune(l)) > 255 {
			return nil, badRequest("Validation failed: options[].label: Expected a string of 1-255 characters")
		}
		out = append(out, l)
	}
	return out, nil
}

// addOptions appends options with fresh ids and returns them.
func (s *Server) addOptions(f *fieldDef, labels []string) []*option {
	now := s.now()
	var added []*option
	for _, l := range labels {
		o := &option{ID: s.st.nextID("options"), Label: l, AddTime: now, UpdateTime: now}
		f.Options = append(f.Options, o)
		added = append(added, o)
	}
	f.UpdateTime = now
	return added
}

// fieldUpdate serves PATCH /api/v2/{entity}Fields/{field_code}: name and UI settings only.
func (s *Server) fieldUpdate(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.fieldByCode(r, ent)
	if err != nil {
		return err
	}
	body, err := decodeBody(r)
	if err != nil {
		return err
	}
	for k, v := range body {
		switch k {
		case "field_name":
			n, ok := v.(string)
			if !ok || strings.TrimSpace(n) == "" {
				return invalid("field_name", "string", v)
			}
			f.Name = n
		case "ui_visibility", "important_fields", "required_fields", "description":
		default:
			return badRequest("Validation failed: Unrecognized key %q in request body", k)
		}
	}
	f.UpdateTime = s.now()
	writeData(w, renderFieldV2(f))
	return nil
}

// fieldDelete serves DELETE /api/v2/{entity}Fields/{field_code}; built-in fields cannot go.
func (s *Server) fieldDelete(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.fieldByCode(r, ent)
	if err != nil {
		return err
	}
	if !f.Custom {
		return badRequest("System fields cannot be deleted")
	}
	f.Deleted = true
	f.UpdateTime = s.now()
	out := renderFieldV2(f)
	writeData(w, map[string]any{"field_name": out["field_name"], "field_code": f.Code, "field_type": f.Type,
		"options": out["options"], "subfields": nil, "is_custom_field": true, "is_optional_response_field": false})
	return nil
}
