package sandbox

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	uuidRe    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	noteLinks = map[string]string{"deal_id": "deals", "person_id": "persons", "org_id": "organizations"}
	noteOther = []string{"lead_id", "project_id", "task_id"}
	notePins  = map[string]string{"pinned_to_deal_flag": "deal_id", "pinned_to_person_flag": "person_id",
		"pinned_to_organization_flag": "org_id", "pinned_to_lead_flag": "lead_id",
		"pinned_to_project_flag": "project_id", "pinned_to_task_flag": "task_id"}
)

// renderNote returns the v1 note object with its nested name objects.
func (s *Server) renderNote(rec *record) map[string]any {
	out := map[string]any{"id": rec.ID, "active_flag": !rec.Deleted, "add_time": fmtV1(rec.AddTime),
		"update_time": fmtV1(rec.UpdateTime), "content": rec.Attrs["content"]}
	for k, v := range rec.Attrs {
		if k != "content" {
			out[k] = v
		}
	}
	for pin, link := range notePins {
		if out[pin] == nil && link != "lead_id" {
			out[pin] = false // the v1 schema lists every pin flag except the lead one
		}
	}
	if d, ok := s.st.get("deals", mustInt(rec.Attrs["deal_id"])); ok {
		out["deal"] = map[string]any{"title": d.Attrs["title"]}
	}
	if p, ok := s.st.get("persons", mustInt(rec.Attrs["person_id"])); ok {
		out["person"] = map[string]any{"name": p.Attrs["name"]}
	}
	if o, ok := s.st.get("organizations", mustInt(rec.Attrs["org_id"])); ok {
		out["organization"] = map[string]any{"name": o.Attrs["name"]}
	}
	if u, ok := s.st.user(mustInt(rec.Attrs["user_id"])); ok {
		out["user"] = map[string]any{"email": u.Email, "name": u.Name, "icon_url": "", "is_you": u.ID == 1}
	}
	return out
}

// applyNote validates a v1 note body into rec.
func (s *Server) applyNote(rec *record, body map[string]any, create bool) *apiError {
	if c, ok := body["content"]; ok || create {
		str, _ := c.(string)
		if strings.TrimSpace(str) == "" {
			return v1Bad("Content must be given.")
		}
		rec.Attrs["content"] = str
	}
	for key, coll := range noteLinks {
		if v, ok := body[key]; ok && v != nil {
			id, ok := v1Int(v)
			if !ok || !s.st.refExists(coll, id) {
				return v1Bad(refName(coll) + " not found.")
			}
			rec.Attrs[key] = id
		}
	}
	for _, key := range noteOther {
		if v, ok := body[key]; ok && v != nil {
			val, err := noteOtherLink(key, v)
			if err != nil {
				return err
			}
			rec.Attrs[key] = val
		}
	}
	if v, ok := body["user_id"]; ok {
		id, ok := v1Int(v)
		if !ok || !s.st.refExists("users", id) {
			return v1Bad("User not found.")
		}
		rec.Attrs["user_id"] = id
	}
	if v, ok := body["add_time"]; ok {
		str, _ := v.(string)
		t, err := time.Parse(v1TimeFmt, str)
		if err != nil {
			return v1Bad("add_time must be in format YYYY-MM-DD HH:MM:SS")
		}
		rec.AddTime = t.UTC()
	}
	return s.applyNotePins(rec, body)
}

// noteOtherLink checks a note's lead_id (a UUID string in openapi-v1.yaml addNote) or its
// project_id and task_id (integers; v1 converts numeric strings).
func noteOtherLink(key string, v any) (any, *apiError) {
	if key == "lead_id" {
		s, ok := v.(string)
		if !ok || !uuidRe.MatchString(s) {
			return nil, v1Bad("lead_id must be a UUID string")
		}
		return s, nil
	}
	id, ok := v1Int(v)
	if !ok {
		return nil, v1Bad(key + " must be an integer")
	}
	return id, nil
}

// applyNotePins sets pinned_to_*_flag (0/1) and checks that a link exists for each.
func (s *Server) applyNotePins(rec *record, body map[string]any) *apiError {
	for pin, link := range notePins {
		if v, ok := body[pin]; ok {
			b, ok := v1Flag(v)
			if !ok {
				return v1Bad(pin + " must be 0 or 1")
			}
			if b && rec.Attrs[link] == nil {
				return v1Bad(pin + " requires " + link)
			}
			rec.Attrs[pin] = b
		}
	}
	for _, key := range append([]string{"deal_id", "person_id", "org_id"}, noteOther...) {
		if rec.Attrs[key] != nil {
			return nil
		}
	}
	return v1Bad("Note must be attached to a deal, person, organization, lead, project or task.")
}

// noteCreate serves POST /api/v1/notes (200, like Pipedrive).
func (s *Server) noteCreate(w http.ResponseWriter, r *http.Request) *apiError {
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	now := s.now()
	rec := &record{AddTime: now, UpdateTime: now, Attrs: map[string]any{"user_id": int64(1)}}
	if err := s.applyNote(rec, body, true); err != nil {
		return err
	}
	rec.Attrs["last_update_user_id"] = int64(1)
	s.st.insert("notes", rec)
	writeData(w, s.renderNote(rec))
	return nil
}

// noteGet serves GET /api/v1/notes/{id}.
func (s *Server) noteGet(w http.ResponseWriter, r *http.Request) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rec, ok := s.st.get("notes", id)
	if !ok {
		return notFound()
	}
	writeData(w, s.renderNote(rec))
	return nil
}

// noteUpdate serves PUT /api/v1/notes/{id}.
func (s *Server) noteUpdate(w http.ResponseWriter, r *http.Request) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, ok := s.st.get("notes", id)
	if !ok {
		return notFound()
	}
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	rec := cloneRecord(old)
	if err := s.applyNote(rec, body, false); err != nil {
		return err
	}
	rec.UpdateTime = s.now()
	s.st.Records["notes"][id] = rec
	writeData(w, s.renderNote(rec))
	return nil
}

// noteDelete serves DELETE /api/v1/notes/{id}: notes are deleted outright; data is true.
func (s *Server) noteDelete(w http.ResponseWriter, r *http.Request) *apiError {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, ok := s.st.get("notes", id); !ok {
		return notFound()
	}
	s.st.remove("notes", id)
	writeData(w, true)
	return nil
}

// notesList serves GET /api/v1/notes with deal_id/person_id/org_id/user_id/lead_id filters,
// sorted by id, offset-paginated (limit up to 500).
func (s *Server) notesList(w http.ResponseWriter, r *http.Request) *apiError {
	p, err := parseV1Page(r, 500)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var recs []*record
	for _, rec := range s.st.all("notes") {
		if noteMatches(rec, q) {
			recs = append(recs, rec)
		}
	}
	page := v1Slice(recs, p)
	data := make([]map[string]any, len(page))
	for i, rec := range page {
		data[i] = s.renderNote(rec)
	}
	writeV1List(w, data, p, len(recs))
	return nil
}

func noteMatches(rec *record, q map[string][]string) bool {
	for _, key := range []string{"deal_id", "person_id", "org_id", "user_id", "project_id", "task_id"} {
		if v := q[key]; len(v) > 0 && v[0] != "" {
			want, err := strconv.ParseInt(v[0], 10, 64)
			if got, ok := asInt(rec.Attrs[key]); err != nil || !ok || got != want {
				return false
			}
		}
	}
	if v := q["lead_id"]; len(v) > 0 && v[0] != "" && rec.Attrs["lead_id"] != v[0] {
		return false
	}
	return true
}
