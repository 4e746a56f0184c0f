package sandbox

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// leadRec is a v1 lead (UUID id).
type leadRec struct {
	ID         string         `json:"id"`
	Attrs      map[string]any `json:"attrs"`
	AddTime    time.Time      `json:"add_time"`
	UpdateTime time.Time      `json:"update_time"`
}

// leadRoutes registers /api/v1/leads.
func (s *Server) leadRoutes() {
	s.handle("GET /api/v1/leads", s.locked(s.leadsList))
	s.handle("POST /api/v1/leads", s.locked(s.leadCreate))
	s.handle("GET /api/v1/leads/{id}", s.locked(s.leadGet))
	s.handle("PATCH /api/v1/leads/{id}", s.locked(s.leadUpdate))
	s.handle("DELETE /api/v1/leads/{id}", s.locked(s.leadDelete))
}

func (s *Server) renderLead(l *leadRec) map[string]any {
	out := map[string]any{"id": l.ID, "creator_id": 1, "source_name": "API", "origin": "API",
		"origin_id": nil, "channel": nil, "channel_id": nil, "source_deal_id": nil, "is_archived": false,
		"was_seen": false, "value": nil, "expected_close_date": nil, "next_activity_id": nil,
		"person_id": nil, "organization_id": nil, "label_ids": []string{}, "visible_to": "3",
		"cc_email": "sandbox+lead@" + s.opts.CompanyDomain + ".example",
		"add_time": fmtV2(l.AddTime), "update_time": fmtV2(l.UpdateTime)}
	for k, v := range l.Attrs {
		out[k] = v
	}
	return out
}

// applyLead validates a lead body (v1 JSON; types checked like the spec's schema).
func (s *Server) applyLead(l *leadRec, body map[string]any) *apiError {
	for k, v := range body {
		var err *apiError
		switch k {
		case "title":
			v, err = checkValue(k, attrSpec{kind: kString}, v)
		case "owner_id":
			v, err = checkValue(k, attrSpec{kind: kInt, ref: "users"}, v)
		case "person_id", "organization_id":
			coll := map[string]string{"person_id": "persons", "organization_id": "organizations"}[k]
			v, err = checkValue(k, attrSpec{kind: kInt, nullable: true, ref: coll}, v)
			if id, ok := v.(int64); ok && err == nil && !s.st.refExists(coll, id) {
				err = v1Bad(refName(coll) + " with id " + strconv.FormatInt(id, 10) + " not found.")
			}
		case "value":
			v, err = checkObject(k, v, map[string]attrSpec{"amount": {kind: kNumber}, "currency": {kind: kString}}, "amount")
		case "expected_close_date":
			v, err = checkValue(k, attrSpec{kind: kDate, nullable: true}, v)
		case "visible_to":
			v, err = checkValue(k, attrSpec{kind: kString, enum: []string{"1", "3", "5", "7"}}, v)
		case "was_seen", "is_archived":
			v, err = checkValue(k, attrSpec{kind: kBool}, v)
		case "label_ids":
			v, err = s.checkLeadLabels(v)
		default:
			err = v1Bad("Invalid field(s) in the payload: " + k)
		}
		if err != nil {
			err.code = ""
			return err
		}
		l.Attrs[k] = v
	}
	if t, _ := l.Attrs["title"].(string); t == "" {
		return v1Bad("title is required")
	}
	if l.Attrs["person_id"] == nil && l.Attrs["organization_id"] == nil {
		return v1Bad("A lead must be linked to a person or an organization.")
	}
	return nil
}

// checkLeadLabels validates label_ids: lead label UUIDs that exist.
func (s *Server) checkLeadLabels(v any) (any, *apiError) {
	arr, ok := v.([]any)
	if !ok {
		return nil, invalid("label_ids", "array", v)
	}
	out := []string{}
	for _, e := range arr {
		id, _ := e.(string)
		if !slices.ContainsFunc(s.st.LeadLabels, func(l *leadLabel) bool { return l.ID == id }) {
			return nil, v1Bad("Lead label " + id + " does not exist.")
		}
		out = append(out, id)
	}
	return out, nil
}

// leadCreate serves POST /api/v1/leads (201, like the spec).
func (s *Server) leadCreate(w http.ResponseWriter, r *http.Request) *apiError {
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	now := s.now()
	l := &leadRec{ID: s.uuid(), Attrs: map[string]any{"owner_id": int64(1)}, AddTime: now, UpdateTime: now}
	if err := s.applyLead(l, body); err != nil {
		return err
	}
	s.st.Leads = append(s.st.Leads, l)
	writeJSON(w, http.StatusCreated, map[string]any{"success": true, "data": s.renderLead(l)})
	return nil
}

func (s *Server) leadIndex(r *http.Request) int {
	return slices.IndexFunc(s.st.Leads, func(l *leadRec) bool { return l.ID == r.PathValue("id") })
}

// leadGet serves GET /api/v1/leads/{id}.
func (s *Server) leadGet(w http.ResponseWriter, r *http.Request) *apiError {
	i := s.leadIndex(r)
	if i < 0 {
		return notFound()
	}
	writeData(w, s.renderLead(s.st.Leads[i]))
	return nil
}

// leadUpdate serves PATCH /api/v1/leads/{id}; all-or-nothing.
func (s *Server) leadUpdate(w http.ResponseWriter, r *http.Request) *apiError {
	i := s.leadIndex(r)
	if i < 0 {
		return notFound()
	}
	body, err := decodeV1Body(r)
	if err != nil {
		return err
	}
	cp := *s.st.Leads[i]
	cp.Attrs = maps.Clone(cp.Attrs)
	if err := s.applyLead(&cp, body); err != nil {
		return err
	}
	cp.UpdateTime = s.now()
	s.st.Leads[i] = &cp
	writeData(w, s.renderLead(&cp))
	return nil
}

// leadDelete serves DELETE /api/v1/leads/{id}: leads are deleted outright.
func (s *Server) leadDelete(w http.ResponseWriter, r *http.Request) *apiError {
	i := s.leadIndex(r)
	if i < 0 {
		return notFound()
	}
	id := s.st.Leads[i].ID
	s.st.Leads = slices.Delete(s.st.Leads, i, i+1)
	writeData(w, map[string]any{"id": id})
	return nil
}

// leadsList serves GET /api/v1/leads (not archived; owner_id/person_id/organization_id
// filters; offset pagination up to 500).
func (s *Server) leadsList(w http.ResponseWriter, r *http.Request) *apiError {
	p, err := parseV1Page(r, 500)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var keep []*leadRec
	for _, l := range s.st.Leads {
		if arch, _ := l.Attrs["is_archived"].(bool); arch {
			continue
		}
		ok := true
		for _, f := range []string{"owner_id", "person_id", "organization_id"} {
			if v := q.Get(f); v != "" && strconv.FormatInt(mustInt(l.Attrs[f]), 10) != v {
				ok = false
			}
		}
		if ok {
			keep = append(keep, l)
		}
	}
	page := v1Slice(keep, p)
	data := make([]map[string]any, len(page))
	for i, l := range page {
		data[i] = s.renderLead(l)
	}
	writeV1List(w, data, p, len(keep))
	return nil
}
