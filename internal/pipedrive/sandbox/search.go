package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// searchTarget describes what an entity search may look in.
type searchTarget struct {
	kind   *kind
	typ    string   // item type in results
	fields []string // allowed values of fields=
}

var searchTargets = map[string]searchTarget{
	"persons":       {personKind, "person", []string{"name", "email", "phone", "notes", "custom_fields"}},
	"organizations": {orgKind, "organization", []string{"name", "address", "notes", "custom_fields"}},
	"deals":         {dealKind, "deal", []string{"title", "notes", "custom_fields"}},
}

// searchableTypes are the custom field types search looks into.
var searchableTypes = []string{"address", "varchar", "text", "varchar_auto", "double", "monetary", "phone"}

// searchRoutes registers /persons|organizations|deals/search, /itemSearch and /itemSearch/field.
func (s *Server) searchRoutes() {
	for coll, t := range searchTargets {
		s.handle("GET /api/v2/"+coll+"/search", s.locked(func(w http.ResponseWriter, r *http.Request) *apiError {
			return s.entitySearch(w, r, t)
		}))
	}
	s.handle("GET /api/v2/itemSearch/field", s.locked(s.itemSearchField))
	s.handle("GET /api/v2/itemSearch", s.locked(s.itemSearch))
}

// searchTerm validates term: at least 2 characters, or 1 with exact matching.
func searchTerm(term string, exact bool) *apiError {
	n := len([]rune(strings.TrimSpace(term)))
	if n == 0 || (n < 2 && !exact) {
		return badRequest("Validation failed: term: Search term must be at least 2 characters long (1 with exact match)")
	}
	return nil
}

// entitySearch serves the v2 entity searches; exact_match is case-insensitive equality,
// otherwise a case-insensitive substring.
func (s *Server) entitySearch(w http.ResponseWriter, r *http.Request, t searchTarget) *apiError {
	q := r.URL.Query()
	exact, err := boolParam(q.Get("exact_match"), "exact_match")
	if err != nil {
		return err
	}
	term := q.Get("term")
	if err := searchTerm(term, exact); err != nil {
		return err
	}
	fields := t.fields
	if f := q.Get("fields"); f != "" {
		fields = strings.Split(f, ",")
		for _, x := range fields {
			if !containsStr(t.fields, x) {
				return badRequest("Validation failed: fields: Invalid enum value %q", x)
			}
		}
	}
	offset, limit, err := v2Page(r, 500)
	if err != nil {
		return err
	}
	needle := strings.ToLower(strings.TrimSpace(term))
	var items []map[string]any
	for _, rec := range s.st.all(t.kind.coll) {
		if !s.searchable(rec) || !searchFilter(rec, q) {
			continue
		}
		if score := s.matchScore(t, rec, fields, needle, exact); score > 0 {
			items = append(items, map[string]any{"result_score": score, "item": s.searchItem(t, rec)})
		}
	}
	page, next := pageSlice(items, offset, limit)
	if page == nil {
		page = []map[string]any{}
	}
	writeV2List(w, map[string]any{"items": page}, next)
	return nil
}

// searchFilter applies organization_id, person_id and status filters.
func searchFilter(rec *record, q map[string][]string) bool {
	for param, attr := range map[string]string{"organization_id": "org_id", "person_id": "person_id"} {
		if v := q[param]; len(v) > 0 && v[0] != "" && strconv.FormatInt(mustInt(rec.Attrs[attr]), 10) != v[0] {
			return false
		}
	}
	if v := q["status"]; len(v) > 0 && v[0] != "" && rec.Attrs["status"] != v[0] {
		return false
	}
	return true
}

// matchScore returns a relevance score (>0 when rec matches in one of fields).
func (s *Server) matchScore(t searchTarget, rec *record, fields []string, needle string, exact bool) float64 {
	hit := func(v string) bool {
		v = strings.ToLower(v)
		return (exact && v == needle) || (!exact && strings.Contains(v, needle))
	}
	for _, f := range fields {
		for _, v := range s.searchValues(t, rec, f) {
			if hit(v) {
				if strings.EqualFold(v, needle) {
					return 1
				}
				return 0.5
			}
		}
	}
	return 0
}

// searchValues returns the strings of rec a search field looks at.
func (s *Server) searchValues(t searchTarget, rec *record, field string) []string {
	str := func(v any) string { x, _ := v.(string); return x }
	switch field {
	case "name", "title", "notes":
		return []string{str(rec.Attrs[field])}
	case "email", "phone":
		return contactValues(rec.Attrs[field+"s"])
	case "address":
		if m, ok := rec.Attrs["address"].(map[string]any); ok {
			return []string{str(m["value"])}
		}
	case "custom_fields":
		var out []string
		for _, f := range s.st.Fields[t.kind.fieldEnt] {
			if f.Custom && !f.Deleted && containsStr(searchableTypes, f.Type) {
				out = append(out, customString(rec.Custom[f.Code]))
			}
		}
		return out
	}
	return nil
}

// contactValues returns the value strings of an emails/phones list.
func contactValues(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			s, _ := m["value"].(string)
			out = append(out, s)
		}
	}
	return out
}

// customString renders a searchable custom value as text.
func customString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case map[string]any:
		return customString(x["value"])
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// searchItem renders the search result item of rec (emails and phones as plain strings).
func (s *Server) searchItem(t searchTarget, rec *record) map[string]any {
	item := map[string]any{"id": rec.ID, "type": t.typ, "visible_to": rec.Attrs["visible_to"],
		"owner": map[string]any{"id": rec.Attrs["owner_id"]}, "custom_fields": []any{}, "notes": []any{}}
	switch t.typ {
	case "person":
		item["name"] = rec.Attrs["name"]
		item["emails"] = contactValues(rec.Attrs["emails"])
		item["phones"] = contactValues(rec.Attrs["phones"])
		if org, ok := s.st.get("organizations", mustInt(rec.Attrs["org_id"])); ok {
			item["organization"] = map[string]any{"id": org.ID, "name": org.Attrs["name"], "address": addrValue(org)}
		}
	case "organization":
		item["name"] = rec.Attrs["name"]
		if a := addrValue(rec); a != nil {
			item["address"] = a
		}
	case "deal":
		for _, k := range []string{"title", "value", "currency", "status", "is_archived"} {
			item[k] = rec.Attrs[k]
		}
		if st, ok := s.st.get("stages", mustInt(rec.Attrs["stage_id"])); ok {
			item["stage"] = map[string]any{"id": st.ID, "name": st.Attrs["name"]}
		}
		item["person"], item["organization"] = s.nameRef("persons", rec.Attrs["person_id"]), s.nameRef("organizations", rec.Attrs["org_id"])
	}
	return item
}

func (s *Server) nameRef(coll string, id any) any {
	rec, ok := s.st.get(coll, mustInt(id))
	if !ok {
		return nil
	}
	return map[string]any{"id": rec.ID, "name": rec.Attrs["name"]}
}

func addrValue(rec *record) any {
	if m, ok := rec.Attrs["address"].(map[string]any); ok {
		return m["value"]
	}
	return nil
}

// boolParam parses a true/false query parameter (v2 rejects 1/0).
func boolParam(v, name string) (bool, *apiError) {
	switch v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, badRequest("Validation failed: %s: Expected boolean, received %q", name, v)
}
