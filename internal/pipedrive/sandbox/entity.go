package sandbox

import (
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"
)

// kind describes one v2 entity collection: its writable attributes, filters and rules.
type kind struct {
	coll     string              // record collection, e.g. "persons"
	fieldEnt string              // entity name of its fields API ("person"), "" when none
	attrs    map[string]attrSpec // writable attributes
	required []string            // attributes required on create
	filters  []string            // integer query filters matching attributes of the same name
	sorts    []string            // sort_by values besides id, add_time and update_time
	// defaults fills attributes a create leaves unset (may be nil).
	defaults func(s *Server, rec *record)
	// rules checks cross-attribute rules after the body is applied (may be nil).
	rules func(s *Server, rec *record, body map[string]any, create bool) *apiError
	// extra adds computed output attributes (may be nil).
	extra func(s *Server, rec *record, out map[string]any)
	// nullOut lists attributes emitted as null when unset (the spec marks them nullable);
	// other unset attributes are omitted.
	nullOut []string
}

// applyBody validates a v2 body against k and writes it into rec (a copy on update).
func (s *Server) applyBody(k *kind, rec *record, body map[string]any, create bool) *apiError {
	for key, v := range body {
		if key == "custom_fields" {
			if err := s.applyCustom(k, rec, v); err != nil {
				return err
			}
			continue
		}
		spec, ok := k.attrs[key]
		if !ok || (spec.create && !create) {
			return badRequest("Validation failed: Unrecognized key %q in request body", key)
		}
		val, err := checkValue(key, spec, v)
		if err != nil {
			return err
		}
		if err := s.checkRefs(k, key, spec, val); err != nil {
			return err
		}
		rec.Attrs[key] = val
	}
	if create {
		for _, req := range k.required {
			if rec.Attrs[req] == nil || rec.Attrs[req] == "" {
				return badRequest("Validation failed: %s: Required", req)
			}
		}
	}
	return nil
}

// checkRefs verifies that referenced ids and label ids exist.
func (s *Server) checkRefs(k *kind, key string, spec attrSpec, val any) *apiError {
	if key == "label_ids" {
		for _, id := range val.([]int64) {
			if s.findOption(k.fieldEnt, "label_ids", id) == nil {
				return badRequest("Validation failed: label_ids: Label with id %d does not exist", id)
			}
		}
		return nil
	}
	if spec.ref == "" || val == nil {
		return nil
	}
	id := val.(int64)
	if !s.st.refExists(spec.ref, id) {
		return badRequest("%s with id %d not found", refName(spec.ref), id)
	}
	return nil
}

// render returns the v2 representation of rec.
func (s *Server) render(k *kind, rec *record) map[string]any {
	out := make(map[string]any, len(rec.Attrs)+6)
	for key, v := range rec.Attrs {
		if v == nil {
			continue
		}
		if t, ok := v.(time.Time); ok {
			out[key] = fmtV2(t)
			continue
		}
		out[key] = v
	}
	for _, key := range k.nullOut {
		if _, ok := out[key]; !ok {
			out[key] = nil
		}
	}
	out["id"] = rec.ID
	out["add_time"] = fmtV2(rec.AddTime)
	out["update_time"] = fmtV2(rec.UpdateTime)
	out["is_deleted"] = rec.Deleted
	if k.fieldEnt != "" && k.fieldEnt != "activity" {
		out["custom_fields"] = s.renderCustom(k.fieldEnt, rec)
	}
	if k.extra != nil {
		k.extra(s, rec, out)
	}
	return out
}

// cloneRecord copies rec so a failed update leaves the original untouched.
func cloneRecord(rec *record) *record {
	c := *rec
	c.Attrs = maps.Clone(rec.Attrs)
	c.Custom = maps.Clone(rec.Custom)
	return &c
}

// listFilter selects records for a v2 list from query parameters.
type listFilter struct {
	ids     map[int64]bool
	ints    map[string]int64
	since   time.Time
	until   time.Time
	deleted bool // list only deleted records (deals?status=deleted)
	match   func(*record) bool
}

// parseListFilter reads ids, the kind's integer filters and updated_since/until.
func parseListFilter(k *kind, q map[string][]string) (*listFilter, *apiError) {
	get := func(n string) string {
		if v := q[n]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	f := &listFilter{ints: map[string]int64{}}
	if s := get("ids"); s != "" {
		f.ids = map[int64]bool{}
		parts := strings.Split(s, ",")
		if len(parts) > 100 {
			return nil, badRequest("Validation failed: ids: At most 100 ids are allowed")
		}
		for _, p := range parts {
			id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
			if err != nil {
				return nil, badRequest("Validation failed: ids: Expected comma separated integers")
			}
			f.ids[id] = true
		}
	}
	for _, name := range k.filters {
		if s := get(name); s != "" {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, badRequest("Validation failed: %s: Expected number, received string", name)
			}
			f.ints[name] = id
		}
	}
	for name, dst := range map[string]*time.Time{"updated_since": &f.since, "updated_until": &f.until} {
		if s := get(name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return nil, badRequest("Validation failed: %s: Invalid datetime, expected RFC 3339", name)
			}
			*dst = t
		}
	}
	return f, nil
}

// keep reports whether rec passes the filter.
func (f *listFilter) keep(rec *record) bool {
	if rec.Deleted != f.deleted {
		return false
	}
	if f.ids != nil && !f.ids[rec.ID] {
		return false
	}
	for name, want := range f.ints {
		got, ok := asInt(rec.Attrs[name])
		if !ok || got != want {
			return false
		}
	}
	if !f.since.IsZero() && rec.UpdateTime.Before(f.since) {
		return false
	}
	if !f.until.IsZero() && !rec.UpdateTime.Before(f.until) {
		return false
	}
	return f.match == nil || f.match(rec)
}

// sortRecords orders recs by sort_by/sort_direction (id asc by default).
func sortRecords(k *kind, recs []*record, by, dir string) *apiError {
	if by == "" {
		by = "id"
	}
	if by == "id" && dir != "desc" {
		return nil // records are kept in id order
	}
	if dir != "" && dir != "asc" && dir != "desc" {
		return badRequest("Validation failed: sort_direction: Invalid enum value %q", dir)
	}
	key := func(r *record) (float64, string) { return float64(r.ID), "" }
	switch by {
	case "id":
	case "add_time":
		key = func(r *record) (float64, string) { return float64(r.AddTime.Unix()), "" }
	case "update_time":
		key = func(r *record) (float64, string) { return float64(r.UpdateTime.Unix()), "" }
	default:
		if !containsStr(k.sorts, by) {
			return badRequest("Validation failed: sort_by: Invalid enum value %q", by)
		}
		key = func(r *record) (float64, string) {
			if f, ok := asFloat(r.Attrs[by]); ok {
				return f, ""
			}
			str, _ := r.Attrs[by].(string)
			return 0, str
		}
	}
	less := func(a, b *record) bool {
		fa, sa := key(a)
		fb, sb := key(b)
		return fa < fb || (fa == fb && sa < sb) || (fa == fb && sa == sb && a.ID < b.ID)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if dir == "desc" {
			return less(recs[j], recs[i])
		}
		return less(recs[i], recs[j])
	})
	return nil
}
