package sandbox

// pipelineKind is /api/v2/pipelines; order_nr is read-only and new pipelines go last.
var pipelineKind = &kind{
	coll: "pipelines",
	attrs: map[string]attrSpec{
		"name":                        {kind: kString},
		"is_deal_probability_enabled": {kind: kBool},
	},
	required: []string{"name"},
	defaults: func(s *Server, rec *record) {
		rec.Attrs["is_deal_probability_enabled"] = false
		rec.Attrs["order_nr"] = int64(len(s.st.Order["pipelines"]))
	},
}

// stageKind is /api/v2/stages; order_nr is read-only and new stages go last in their pipeline.
var stageKind = &kind{
	coll: "stages",
	attrs: map[string]attrSpec{
		"name":                {kind: kString},
		"pipeline_id":         {kind: kInt, ref: "pipelines"},
		"deal_probability":    {kind: kInt},
		"is_deal_rot_enabled": {kind: kBool},
		"days_to_rotten":      {kind: kInt, nullable: true},
	},
	required: []string{"name", "pipeline_id"},
	filters:  []string{"pipeline_id"},
	sorts:    []string{"order_nr"},
	defaults: func(_ *Server, rec *record) {
		rec.Attrs["deal_probability"] = int64(100)
		rec.Attrs["is_deal_rot_enabled"] = false
	},
	rules: func(s *Server, rec *record, body map[string]any, create bool) *apiError {
		if _, moved := body["pipeline_id"]; create || moved {
			pid := mustInt(rec.Attrs["pipeline_id"])
			var last int64
			for _, st := range s.st.all("stages") {
				if mustInt(st.Attrs["pipeline_id"]) == pid && st.ID != rec.ID {
					last = max(last, mustInt(st.Attrs["order_nr"]))
				}
			}
			rec.Attrs["order_nr"] = last + 1
		}
		return nil
	},
	nullOut: []string{"days_to_rotten"},
}
