package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// v1FieldEntities maps the v1 fields path prefix to its entity.
var v1FieldEntities = map[string]string{"personFields": "person", "organizationFields": "organization",
	"dealFields": "deal", "activityFields": "activity", "noteFields": "note", "leadFields": "lead"}

// v1FieldRoutes registers the v1 fields APIs (activityFields, noteFields and leadFields read-only).
func (s *Server) v1FieldRoutes() {
	for prefix, ent := range v1FieldEntities {
		base := "/api/v1/" + prefix
		h := func(pattern string, fn func(w http.ResponseWriter, r *http.Request, ent string) *apiError) {
			s.handle(pattern, s.locked(func(w http.ResponseWriter, r *http.Request) *apiError { return fn(w, r, ent) }))
		}
		h("GET "+base, s.v1FieldsList)
		if ent == "activity" || ent == "note" || ent == "lead" {
			continue
		}
		h("GET "+base+"/{id}", s.v1FieldGet)
		h("POST "+base, s.v1FieldCreate)
		h("PUT "+base+"/{id}", s.v1FieldUpdate)
		h("DELETE "+base+"/{id}", s.v1FieldDelete)
		h("DELETE "+base, s.v1FieldsBulkDelete)
	}
}

// v1Key returns the v1 key of f (a few built-ins differ from their v2 code).
func v1Key(ent string, f *fieldDef) string {
	for _, b := range builtins[ent] {
		if b.code == f.Code && b.v1key != "" {
			return b.v1key
		}
	}
	return f.Code
}

// renderFieldV1 returns the v1 field object (integer id, key, name, options).
func renderFieldV1(ent string, f *fieldDef) map[string]any {
	var opts any
	if f.Type == "enum" || f.Type == "set" {
		list := make([]map[string]any, len(f.Options))
		for i, o := range f.Options {
			list[i] = map[string]any{"id": o.ID, "label": o.Label}
			if o.Color != "" {
				list[i]["color"] = o.Color
			}
		}
		opts = list
	}
	return map[string]any{"id": f.ID, "key": v1Key(ent, f), "name": f.Name, "order_nr": f.OrderNr,
		"field_type": f.Type, "add_time": fmtV1(f.AddTime), "update_time": fmtV1(f.UpdateTime),
		"last_updated_by_user_id": 1, "created_by_user_id": 1, "active_flag": !f.Deleted, "edit_flag": f.Custom,
		"index_visible_flag": true, "details_visible_flag": true, "add_visible_flag": f.AddVisible,
		"important_flag": false, "bulk_edit_allowed": true, "searchable_flag": f.Custom, "filtering_allowed": true,
		"sortable_flag": true, "mandatory_flag": f.Code == "name" || f.Code == "title", "options": opts}
}

// v1FieldByID finds a field by its integer id: 404 unknown, 410 deleted.
func (s *Server) v1FieldByID(r *http.Request, ent string) (*fieldDef, *apiError) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	for _, f := range s.st.Fields[ent] {
		if f.ID == id {
			if f.Deleted {
				return nil, fieldGone()
			}
			return f, nil
		}
	}
	return nil, notFound()
}

// v1FieldsList serves GET /api/v1/{entity}Fields (offset pagination).
func (s *Server) v1FieldsList(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	p, err := parseV1Page(r, 500)
	if err != nil {
		return err
	}
	var live []*fieldDef
	for _, f := range s.st.Fields[ent] {
		if !f.Deleted {
			live = append(live, f)
		}
	}
	page := v1Slice(live, p)
	data := make([]map[string]any, len(page))
	for i, f := range page {
		data[i] = renderFieldV1(ent, f)
	}
	writeV1List(w, data, p, len(live))
	return nil
}

// v1FieldGet serves GET /api/v1/{entity}Fields/{id}.
func (s *Server) v1FieldGet(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.v1FieldByID(r, ent)
	if err != nil {
		return err
	}
	writeData(w, renderFieldV1(ent, f))
	return nil
}

// v1FieldCreate serves POST /api/v1/{entity}Fields (name, field_type, options).
func (s *Server) v1FieldCreate(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	name, _ := body["name"].(string)
	typ, _ := body["field_type"].(string)
	if strings.TrimSpace(name) == "" {
		return v1Bad("Name must be given.")
	}
	if !containsStr(creatableTypes, typ) {
		return v1Bad("Field type is not valid.")
	}
	f := s.newField(ent, name, typ)
	if typ == "enum" || typ == "set" {
		labels, err := optionLabels(body["options"])
		if err != nil {
			return v1Bad("Options must be given for enum and set fields.")
		}
		s.addOptions(f, labels)
	}
	if b, ok := v1Flag(body["add_visible_flag"]); ok {
		f.AddVisible = b
	}
	s.st.Fields[ent] = append(s.st.Fields[ent], f)
	writeData(w, renderFieldV1(ent, f))
	return nil
}

// v1FieldUpdate serves PUT /api/v1/{entity}Fields/{id}: name, add_visible_flag and the full
// options list (kept options with their id, new ones without; omitted ones are removed).
// This is how label options are added to the built-in label field.
func (s *Server) v1FieldUpdate(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.v1FieldByID(r, ent)
	if err != nil {
		return err
	}
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	if raw, ok := body["options"]; ok {
		opts, err := s.replaceOptions(f, raw)
		if err != nil {
			return err
		}
		f.Options = opts
	}
	if n, ok := body["name"].(string); ok && strings.TrimSpace(n) != "" {
		f.Name = n
	}
	if b, ok := v1Flag(body["add_visible_flag"]); ok {
		f.AddVisible = b
	}
	f.UpdateTime = s.now()
	writeData(w, renderFieldV1(ent, f))
	return nil
}

// replaceOptions builds f's new option list from a v1 options array (JSON array or a
// JSON-encoded string of one).
func (s *Server) replaceOptions(f *fieldDef, raw any) ([]*option, *apiError) {
	if str, ok := raw.(string); ok {
		var arr []any
		if err := decodeJSON([]byte(str), &arr); err != nil {
			return nil, v1Bad("options must be a JSON array")
		}
		raw = arr
	}
	arr, ok := raw.([]any)
	if !ok || (f.Type != "enum" && f.Type != "set") {
		return nil, v1Bad("options can only be given for enum and set fields, as an array")
	}
	now := s.now()
	var out []*option
	for _, e := range arr {
		m, _ := e.(map[string]any)
		label, _ := m["label"].(string)
		if label == "" || len([]rune(label)) > 255 {
			return nil, v1Bad("Option label must be 1-255 characters.")
		}
		color, _ := m["color"].(string)
		if idv, has := m["id"]; has {
			id, ok := v1Int(idv)
			old := optionOf(f, id)
			if !ok || old == nil {
				return nil, v1Bad("Option with id " + strconv.FormatInt(id, 10) + " does not exist.")
			}
			cp := *old
			cp.Label, cp.UpdateTime = label, now
			if color != "" {
				cp.Color = color
			}
			out = append(out, &cp)
			continue
		}
		out = append(out, &option{ID: s.st.nextID("options"), Label: label, Color: color, AddTime: now, UpdateTime: now})
	}
	return out, nil
}

// v1FieldDelete serves DELETE /api/v1/{entity}Fields/{id}.
func (s *Server) v1FieldDelete(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	f, err := s.v1FieldByID(r, ent)
	if err != nil {
		return err
	}
	if !f.Custom {
		return v1Bad("System fields cannot be deleted.")
	}
	f.Deleted = true
	f.UpdateTime = s.now()
	writeData(w, map[string]any{"id": f.ID})
	return nil
}

// v1FieldsBulkDelete serves DELETE /api/v1/{entity}Fields?ids=1,2.
func (s *Server) v1FieldsBulkDelete(w http.ResponseWriter, r *http.Request, ent string) *apiError {
	var ids []int64
	for _, p := range strings.Split(r.URL.Query().Get("ids"), ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return v1Bad("ids must be a comma-separated list of integers")
		}
		var f *fieldDef
		for _, x := range s.st.Fields[ent] {
			if x.ID == id && x.Custom && !x.Deleted {
				f = x
			}
		}
		if f == nil {
			return notFound()
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		for _, f := range s.st.Fields[ent] {
			if f.ID == id {
				f.Deleted, f.UpdateTime = true, s.now()
			}
		}
	}
	writeData(w, map[string]any{"id": ids})
	return nil
}
