package sandbox

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

var itemSearchColls = map[string]string{"person": "persons", "organization": "organizations", "deal": "deals"}

// itemSearchField serves GET /api/v2/itemSearch/field: one field of one entity type,
// case-sensitive exact/beginning/middle matching. Each hit is {id, name} (the spec's
// example; name is the entity's name or deal title).
func (s *Server) itemSearchField(w http.ResponseWriter, r *http.Request) *apiError {
	ent, f, hit, err := s.parseFieldSearch(r.URL.Query())
	if err != nil {
		return err
	}
	offset, limit, err := v2Page(r, 500)
	if err != nil {
		return err
	}
	var out []map[string]any
	for _, rec := range s.st.all(itemSearchColls[ent]) {
		if !s.searchable(rec) || !hit(s.fieldText(f, rec)) {
			continue
		}
		name := rec.Attrs["name"]
		if ent == "deal" {
			name = rec.Attrs["title"]
		}
		out = append(out, map[string]any{"id": rec.ID, "name": name})
	}
	page, next := pageSlice(out, offset, limit)
	if page == nil {
		page = []map[string]any{}
	}
	writeV2List(w, page, next)
	return nil
}

// parseFieldSearch validates entity_type, field, match and term of itemSearch/field and
// returns the entity, the field and the (case-sensitive) matcher.
func (s *Server) parseFieldSearch(q url.Values) (string, *fieldDef, func(string) bool, *apiError) {
	ent := q.Get("entity_type")
	if _, ok := itemSearchColls[ent]; !ok {
		return "", nil, nil, badRequest("Validation failed: entity_type: Invalid enum value %q", ent)
	}
	match := q.Get("match")
	if match == "" {
		match = "exact"
	}
	term, code := q.Get("term"), q.Get("field")
	hit := map[string]func(string) bool{
		"exact":     func(v string) bool { return v == term },
		"beginning": func(v string) bool { return strings.HasPrefix(v, term) },
		"middle":    func(v string) bool { return strings.Contains(v, term) },
	}[match]
	if hit == nil {
		return "", nil, nil, badRequest("Validation failed: match: Invalid enum value %q", match)
	}
	if err := searchTerm(term, match == "exact"); err != nil {
		return "", nil, nil, err
	}
	f := s.field(ent, code)
	if f == nil || f.Deleted {
		return "", nil, nil, badRequest("Validation failed: field: Unknown field %q", code)
	}
	if f.Custom && !containsStr(searchableTypes, f.Type) {
		return "", nil, nil, badRequest("Validation failed: field: Fields of type %s are not searchable", f.Type)
	}
	return ent, f, hit, nil
}

// fieldText returns the text of field f on rec for itemSearch/field.
func (s *Server) fieldText(f *fieldDef, rec *record) string {
	if f.Custom {
		return customString(rec.Custom[f.Code])
	}
	switch v := rec.Attrs[f.Code].(type) {
	case string:
		return v
	case []any:
		return strings.Join(contactValues(v), ",")
	}
	return customString(rec.Attrs[f.Code])
}

// itemSearchTypes are the item types of /itemSearch, in result order; only the first three
// exist in the sandbox, the others are accepted and find nothing.
var itemSearchTypes = []string{"deal", "person", "organization", "product", "lead", "file", "mail_attachment", "project"}

// itemSearch serves GET /api/v2/itemSearch across deals, persons and organizations
// (limit at most 100; exact_match case-insensitive; related_items is always empty).
func (s *Server) itemSearch(w http.ResponseWriter, r *http.Request) *apiError {
	q := r.URL.Query()
	exact, err := boolParam(q.Get("exact_match"), "exact_match")
	if err != nil {
		return err
	}
	if err := searchTerm(q.Get("term"), exact); err != nil {
		return err
	}
	types, err := csvEnum(q.Get("item_types"), "item_types", itemSearchTypes)
	if err != nil {
		return err
	}
	fields, err := csvEnum(q.Get("fields"), "fields", []string{"address", "code", "custom_fields", "email", "name", "notes", "phone", "title", "description"})
	if err != nil {
		return err
	}
	offset, limit, err := v2Page(r, 100)
	if err != nil {
		return err
	}
	needle := strings.ToLower(strings.TrimSpace(q.Get("term")))
	items := []map[string]any{}
	for _, typ := range types {
		coll, ok := itemSearchColls[typ]
		if !ok {
			continue
		}
		t := searchTargets[coll]
		relevant := intersect(t.fields, fields)
		for _, rec := range s.st.all(coll) {
			if !s.searchable(rec) {
				continue
			}
			if score := s.matchScore(t, rec, relevant, needle, exact); score > 0 {
				items = append(items, map[string]any{"result_score": score, "item": s.searchItem(t, rec)})
			}
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i]["result_score"].(float64) > items[j]["result_score"].(float64) })
	page, next := pageSlice(items, offset, limit)
	writeV2List(w, map[string]any{"items": page, "related_items": []any{}}, next)
	return nil
}

// csvEnum splits a comma-separated parameter, checking each value; empty means all.
func csvEnum(raw, name string, allowed []string) ([]string, *apiError) {
	if raw == "" {
		return allowed, nil
	}
	out := strings.Split(raw, ",")
	for _, v := range out {
		if !containsStr(allowed, v) {
			return nil, badRequest("Validation failed: %s: Invalid enum value %q", name, v)
		}
	}
	return out, nil
}

// intersect keeps the values of a that are in b, in a's order.
func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if containsStr(b, x) {
			out = append(out, x)
		}
	}
	return out
}
