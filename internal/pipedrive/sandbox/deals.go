package sandbox

import (
	"net/http"
	"regexp"
	"strings"
	"time"
)

var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

// dealKind is /api/v2/deals. Its POST body has no add_time (the v2 spec and the SDK dropped
// it), so sending one is an unknown key.
var dealKind = &kind{
	coll: "deals", fieldEnt: "deal",
	attrs: map[string]attrSpec{
		"title":               {kind: kString},
		"owner_id":            {kind: kInt, ref: "users"},
		"person_id":           {kind: kInt, ref: "persons", nullable: true},
		"org_id":              {kind: kInt, ref: "organizations", nullable: true},
		"pipeline_id":         {kind: kInt, ref: "pipelines"},
		"stage_id":            {kind: kInt, ref: "stages"},
		"value":               {kind: kNumber},
		"currency":            {kind: kString},
		"is_deleted":          {kind: kBool},
		"is_archived":         {kind: kBool},
		"archive_time":        {kind: kTime, nullable: true},
		"status":              {kind: kString, enum: []string{"open", "won", "lost"}},
		"probability":         {kind: kNumber, nullable: true},
		"lost_reason":         {kind: kString, nullable: true},
		"visible_to":          {kind: kInt, ints: visibleTo},
		"close_time":          {kind: kTime, nullable: true},
		"won_time":            {kind: kTime, nullable: true},
		"lost_time":           {kind: kTime, nullable: true},
		"expected_close_date": {kind: kDate, nullable: true},
		"label_ids":           {kind: kIntList},
	},
	required: []string{"title"},
	filters:  []string{"owner_id", "person_id", "org_id", "pipeline_id", "stage_id"},
	sorts:    []string{"value", "title"},
	defaults: func(s *Server, rec *record) {
		entityDefaults(s, rec)
		rec.Attrs["value"] = float64(0)
		rec.Attrs["currency"] = "USD"
		rec.Attrs["status"] = "open"
		rec.Attrs["is_archived"] = false
	},
	rules:   dealRules,
	extra:   dealExtra,
	nullOut: []string{"probability", "lost_reason", "close_time", "origin_id", "channel", "channel_id", "source_lead_id", "arr", "mrr", "acv"},
}

// dealRules resolves pipeline and stage (the stage decides the pipeline; with neither, the
// first stage of the first pipeline) and keeps status times consistent.
func dealRules(s *Server, rec *record, body map[string]any, create bool) *apiError {
	if d, _ := rec.Attrs["is_deleted"].(bool); d {
		return badRequest("Validation failed: is_deleted: a deal cannot be deleted with this request; use DELETE")
	}
	delete(rec.Attrs, "is_deleted")
	if c, _ := rec.Attrs["currency"].(string); !currencyRe.MatchString(c) {
		return badRequest("Validation failed: currency: Expected a 3-letter currency code")
	}
	stageID, hasStage := asInt(rec.Attrs["stage_id"])
	if _, sent := body["stage_id"]; sent || create {
		if !hasStage {
			stageID = s.firstStage(rec.Attrs["pipeline_id"])
			if stageID == 0 {
				return badRequest("Pipeline has no stages")
			}
			rec.Attrs["stage_id"] = stageID
		}
		stage, _ := s.st.live("stages", stageID)
		rec.Attrs["pipeline_id"] = stage.Attrs["pipeline_id"]
		if _, ok := body["stage_id"]; ok || create {
			rec.Attrs["stage_change_time"] = s.now()
		}
	} else if _, sent := body["pipeline_id"]; sent {
		rec.Attrs["stage_id"] = s.firstStage(rec.Attrs["pipeline_id"])
	}
	return dealStatusTimes(s, rec, body)
}

// dealStatusTimes sets won/lost/close times when the status changes and they were not sent.
func dealStatusTimes(s *Server, rec *record, body map[string]any) *apiError {
	if err := statusBound(rec, body); err != nil {
		return err
	}
	if _, sent := body["status"]; !sent {
		return nil
	}
	now := s.now()
	switch rec.Attrs["status"] {
	case "won":
		setIfUnsent(rec, body, "won_time", now)
		setIfUnsent(rec, body, "close_time", now)
	case "lost":
		setIfUnsent(rec, body, "lost_time", now)
		setIfUnsent(rec, body, "close_time", now)
	case "open":
		for _, k := range []string{"won_time", "lost_time", "close_time"} {
			if _, sent := body[k]; !sent {
				delete(rec.Attrs, k)
			}
		}
	}
	return nil
}

// statusBound refuses a status-bound attribute sent for a deal whose status does not allow
// it; addDeal in openapi-v2.yaml: lost_reason and lost_time "can only be set if deal status
// is lost", won_time "... is won", close_time "... is won or lost".
func statusBound(rec *record, body map[string]any) *apiError {
	status, _ := rec.Attrs["status"].(string)
	for _, b := range []struct{ key, allowed string }{{"close_time", "won lost"}, {"lost_reason", "lost"},
		{"lost_time", "lost"}, {"won_time", "won"}} {
		if v, sent := body[b.key]; sent && v != nil && !strings.Contains(b.allowed, status) {
			return badRequest("Validation failed: %s: Can only be set if deal status is %s",
				b.key, strings.ReplaceAll(b.allowed, " ", " or "))
		}
	}
	return nil
}

func setIfUnsent(rec *record, body map[string]any, key string, t time.Time) {
	if _, sent := body[key]; !sent {
		rec.Attrs[key] = t
	}
}

// firstStage returns the first live stage of pipeline p (or of the first pipeline when p
// is nil), 0 when there is none.
func (s *Server) firstStage(p any) int64 {
	pid, ok := asInt(p)
	if !ok {
		for _, pl := range s.st.all("pipelines") {
			if !pl.Deleted {
				pid = pl.ID
				break
			}
		}
	}
	var best *record
	for _, st := range s.st.all("stages") {
		sp, _ := asInt(st.Attrs["pipeline_id"])
		if st.Deleted || sp != pid {
			continue
		}
		if o, _ := asInt(st.Attrs["order_nr"]); best == nil || o < mustInt(best.Attrs["order_nr"]) {
			best = st
		}
	}
	if best == nil {
		return 0
	}
	return best.ID
}

func mustInt(v any) int64 {
	i, _ := asInt(v)
	return i
}

// dealExtra adds the read-only deal attributes.
func dealExtra(_ *Server, _ *record, out map[string]any) {
	out["origin"] = "API"
}

// dealsList serves GET /api/v2/deals (archived=false) and /api/v2/deals/archived
// (archived=true) with status open|won|lost|deleted; deleted lists the soft-deleted deals.
func (s *Server) dealsList(archived bool) apiHandler {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		status := r.URL.Query().Get("status")
		return s.v2List(w, r, dealKind, func(f *listFilter) *apiError {
			switch status {
			case "", "deleted", "open", "won", "lost":
			default:
				return badRequest("Validation failed: status: Invalid enum value %q", status)
			}
			f.deleted = status == "deleted"
			f.match = func(rec *record) bool {
				arch, _ := rec.Attrs["is_archived"].(bool)
				return arch == archived && (status == "" || status == "deleted" || rec.Attrs["status"] == status)
			}
			return nil
		})
	}
}
