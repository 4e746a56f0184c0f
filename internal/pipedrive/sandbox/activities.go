package sandbox

import "net/http"

// activityKind is /api/v2/activities. person_id is read-only: it follows the primary
// participant, set through participants.
var activityKind = &kind{
	coll: "activities", fieldEnt: "activity",
	attrs: map[string]attrSpec{
		"subject":            {kind: kString},
		"type":               {kind: kString},
		"owner_id":           {kind: kInt, ref: "users"},
		"deal_id":            {kind: kInt, ref: "deals", nullable: true},
		"lead_id":            {kind: kString, nullable: true},
		"org_id":             {kind: kInt, ref: "organizations", nullable: true},
		"project_id":         {kind: kInt, nullable: true},
		"due_date":           {kind: kDate, nullable: true},
		"due_time":           {kind: kClock, nullable: true},
		"duration":           {kind: kClock, nullable: true},
		"busy":               {kind: kBool},
		"done":               {kind: kBool},
		"location":           {kind: kAddress, nullable: true},
		"participants":       {kind: kObjects},
		"attendees":          {kind: kObjects},
		"public_description": {kind: kString, nullable: true},
		"priority":           {kind: kInt, nullable: true},
		"note":               {kind: kString, nullable: true},
	},
	filters: []string{"owner_id", "deal_id", "person_id", "org_id"},
	sorts:   []string{"due_date"},
	defaults: func(_ *Server, rec *record) {
		rec.Attrs["owner_id"] = int64(1)
		rec.Attrs["creator_user_id"] = int64(1)
		rec.Attrs["type"] = "call"
		rec.Attrs["done"] = false
		rec.Attrs["busy"] = false
		rec.Attrs["participants"] = []any{}
		rec.Attrs["attendees"] = []any{}
	},
	rules: activityRules,
}

// activityRules rejects person_id, checks the type and participants and derives person_id
// and marked_as_done_time.
func activityRules(s *Server, rec *record, body map[string]any, create bool) *apiError {
	if typ, _ := rec.Attrs["type"].(string); !s.activityTypeExists(typ) {
		return badRequest("Validation failed: type: Activity type %q does not exist", typ)
	}
	if subj, _ := rec.Attrs["subject"].(string); subj == "" && create {
		rec.Attrs["subject"] = s.activityTypeName(rec.Attrs["type"].(string))
	}
	if _, sent := body["participants"]; sent {
		parts, err := s.checkParticipants(rec.Attrs["participants"].([]any))
		if err != nil {
			return err
		}
		rec.Attrs["participants"] = parts
	}
	delete(rec.Attrs, "person_id")
	for _, p := range rec.Attrs["participants"].([]any) {
		if m := p.(map[string]any); m["primary"] == true {
			rec.Attrs["person_id"] = m["person_id"]
		}
	}
	if _, sent := body["done"]; sent {
		if rec.Attrs["done"] == true {
			rec.Attrs["marked_as_done_time"] = s.now()
		} else {
			delete(rec.Attrs, "marked_as_done_time")
		}
	}
	return nil
}

// checkParticipants validates [{person_id, primary}]; with no primary the first becomes it.
func (s *Server) checkParticipants(arr []any) ([]any, *apiError) {
	out := make([]any, 0, len(arr))
	primaries := 0
	for _, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, invalid("participants[]", "object", e)
		}
		id, ok := asInt(m["person_id"])
		if !ok {
			return nil, invalid("participants[].person_id", "integer", m["person_id"])
		}
		if !s.st.refExists("persons", id) {
			return nil, badRequest("Person with id %d not found", id)
		}
		primary := false
		if p, present := m["primary"]; present {
			b, ok := p.(bool)
			if !ok {
				return nil, invalid("participants[].primary", "boolean", p)
			}
			primary = b
		}
		if primary {
			primaries++
		}
		out = append(out, map[string]any{"person_id": id, "primary": primary})
	}
	if primaries > 1 {
		return nil, badRequest("Validation failed: participants: Only one participant can be primary")
	}
	if primaries == 0 && len(out) > 0 {
		out[0].(map[string]any)["primary"] = true
	}
	return out, nil
}

// activityWrite rejects a person_id in the body with the message Pipedrive users reported,
// then delegates to create or update.
func (s *Server) activityWrite(create bool) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		body, err := decodeBody(r)
		if err != nil {
			return err
		}
		if _, ok := body["person_id"]; ok {
			return badRequest("'person_id' is a read-only field. Add a primary participant to set 'person_id' instead.")
		}
		r.Body = reencode(body)
		if create {
			return s.v2Create(w, r, activityKind)
		}
		return s.v2Update(w, r, activityKind)
	}
}
