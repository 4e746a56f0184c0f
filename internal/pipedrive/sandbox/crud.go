package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiHandler is a handler that reports failures as *apiError; it runs under the state lock.
type apiHandler func(w http.ResponseWriter, r *http.Request) *apiError

// locked adapts h to http.HandlerFunc: it holds the state lock and renders errors.
func (s *Server) locked(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		err := h(w, r)
		s.mu.Unlock()
		if err != nil {
			writeError(w, err)
		}
	}
}

// pathID parses the {id} path value; a non-integer id is a 400 like Pipedrive's validation.
func pathID(r *http.Request) (int64, *apiError) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("Validation failed: id: Expected number, received string")
	}
	return id, nil
}

// registerV2 routes the v2 CRUD operations of k under /api/v2/<path>, except the
// patterns in custom, which the caller registers itself.
func (s *Server) registerV2(path string, k *kind, custom ...string) {
	base := "/api/v2/" + path
	ops := map[string]apiHandler{
		"GET " + base:              func(w http.ResponseWriter, r *http.Request) *apiError { return s.v2List(w, r, k, nil) },
		"POST " + base:             func(w http.ResponseWriter, r *http.Request) *apiError { return s.v2Create(w, r, k) },
		"GET " + base + "/{id}":    func(w http.ResponseWriter, r *http.Request) *apiError { return s.v2Get(w, r, k) },
		"PATCH " + base + "/{id}":  func(w http.ResponseWriter, r *http.Request) *apiError { return s.v2Update(w, r, k) },
		"DELETE " + base + "/{id}": func(w http.ResponseWriter, r *http.Request) *apiError { return s.v2Delete(w, r, k) },
	}
	for pattern, h := range ops {
		if !containsStr(custom, pattern) {
			s.handle(pattern, s.locked(h))
		}
	}
}

// v2List serves a cursor-paginated, filtered, sorted list; adjust may tweak the filter.
func (s *Server) v2List(w http.ResponseWriter, r *http.Request, k *kind, adjust func(*listFilter) *apiError) *apiError {
	offset, limit, err := v2Page(r, 500)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, err := parseListFilter(k, q)
	if err != nil {
		return err
	}
	if adjust != nil {
		if err := adjust(f); err != nil {
			return err
		}
	}
	var recs []*record
	for _, id := range s.st.Order[k.coll] {
		if rec := s.st.Records[k.coll][id]; f.keep(rec) && !s.purged(rec) {
			recs = append(recs, rec)
		}
	}
	if err := sortRecords(k, recs, q.Get("sort_by"), q.Get("sort_direction")); err != nil {
		return err
	}
	keys, err := customSelection(r)
	if err != nil {
		return err
	}
	page, next := pageSlice(recs, offset, limit)
	data := make([]map[string]any, len(page))
	for i, rec := range page {
		data[i] = selectCustom(s.render(k, rec), keys)
	}
	writeV2List(w, data, next)
	return nil
}

// customSelection parses the custom_fields query parameter (at most 15 keys); nil means all.
func customSelection(r *http.Request) (map[string]bool, *apiError) {
	raw := r.URL.Query().Get("custom_fields")
	if raw == "" {
		return nil, nil
	}
	keys := map[string]bool{}
	for _, k := range strings.Split(raw, ",") {
		keys[strings.TrimSpace(k)] = true
	}
	if len(keys) > 15 {
		return nil, badRequest("Validation failed: custom_fields: A maximum of 15 keys is allowed")
	}
	return keys, nil
}

// selectCustom keeps only the selected custom field keys of a rendered record.
func selectCustom(out map[string]any, keys map[string]bool) map[string]any {
	cf, ok := out["custom_fields"].(map[string]any)
	if keys == nil || !ok {
		return out
	}
	for k := range cf {
		if !keys[k] {
			delete(cf, k)
		}
	}
	return out
}

// v2Get serves one record; a soft-deleted one is still returned, with is_deleted true.
func (s *Server) v2Get(w http.ResponseWriter, r *http.Request, k *kind) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rec, ok := s.st.get(k.coll, id)
	if !ok || s.purged(rec) {
		return notFound()
	}
	keys, err := customSelection(r)
	if err != nil {
		return err
	}
	writeData(w, selectCustom(s.render(k, rec), keys))
	return nil
}

// v2Create validates the body, fills defaults and stores a new record; 200 like Pipedrive.
func (s *Server) v2Create(w http.ResponseWriter, r *http.Request, k *kind) *apiError {
	body, err := decodeBody(r)
	if err != nil {
		return err
	}
	now := s.now()
	rec := &record{AddTime: now, UpdateTime: now, Attrs: map[string]any{}}
	if k.defaults != nil {
		k.defaults(s, rec)
	}
	if err := s.applyBody(k, rec, body, true); err != nil {
		return err
	}
	if k.rules != nil {
		if err := k.rules(s, rec, body, true); err != nil {
			return err
		}
	}
	if t, ok := rec.Attrs["add_time"]; ok {
		rec.AddTime = t.(time.Time)
		delete(rec.Attrs, "add_time")
	}
	if s.opts.SearchLag > 0 {
		rec.IndexedAt = s.now().Add(s.opts.SearchLag)
	}
	s.st.insert(k.coll, rec)
	writeData(w, s.render(k, rec))
	return nil
}

// searchable reports whether search finds rec yet: it is live and its creation is at least
// Options.SearchLag old.
func (s *Server) searchable(rec *record) bool {
	return !rec.Deleted && !s.now().Before(rec.IndexedAt)
}

// v2Update applies a PATCH body to a live record; all-or-nothing.
func (s *Server) v2Update(w http.ResponseWriter, r *http.Request, k *kind) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, ok := s.st.live(k.coll, id)
	if !ok {
		return notFound()
	}
	body, err := decodeBody(r)
	if err != nil {
		return err
	}
	rec := cloneRecord(old)
	if err := s.applyBody(k, rec, body, false); err != nil {
		return err
	}
	if k.rules != nil {
		if err := k.rules(s, rec, body, false); err != nil {
			return err
		}
	}
	rec.UpdateTime = s.now()
	s.st.Records[k.coll][id] = rec
	writeData(w, s.render(k, rec))
	return nil
}

// v2Delete soft-deletes a live record and answers {"id": N}.
func (s *Server) v2Delete(w http.ResponseWriter, r *http.Request, k *kind) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rec, ok := s.st.live(k.coll, id)
	if !ok {
		return notFound()
	}
	rec.Deleted = true
	rec.UpdateTime = s.now()
	writeData(w, map[string]any{"id": id})
	return nil
}

// purgeAfter is how long Pipedrive keeps soft-deleted persons, organizations, deals and
// activities before removing them for good.
const purgeAfter = 30 * 24 * time.Hour

// purged reports whether a soft-deleted record is past the 30 days (deleted records are never
// updated, so update_time is the deletion time); it then behaves as if it never existed.
func (s *Server) purged(rec *record) bool {
	return rec.Deleted && s.now().Sub(rec.UpdateTime) > purgeAfter
}
