package sandbox

import (
	"testing"
	"time"
)

func TestDealsStatusDeletedAndStages(t *testing.T) {
	e := newEnv(t, Options{})
	p2 := e.create("/api/v2/pipelines", map[string]any{"name": "Second"})
	s2 := e.create("/api/v2/stages", map[string]any{"name": "Only", "pipeline_id": p2})
	d1 := obj(e.must(200, "POST", "/api/v2/deals", map[string]any{"title": "default placement"}))
	if d1["pipeline_id"] != float64(1) || d1["stage_id"] != float64(1) {
		t.Errorf("default deal in pipeline %v stage %v, want 1/1", d1["pipeline_id"], d1["stage_id"])
	}
	d2 := obj(e.must(200, "POST", "/api/v2/deals", map[string]any{"title": "by stage", "stage_id": s2, "pipeline_id": 1}))
	if d2["pipeline_id"] != float64(p2) {
		t.Errorf("stage decides the pipeline: got %v, want %d", d2["pipeline_id"], p2)
	}
	won := obj(e.must(200, "PATCH", "/api/v2/deals/"+itoa(int64(d2["id"].(float64))), map[string]any{"status": "won"}))
	if won["won_time"] == nil || won["close_time"] == nil {
		t.Errorf("won deal lacks won_time/close_time: %v", won)
	}
	e.must(200, "DELETE", "/api/v2/deals/"+itoa(int64(d1["id"].(float64))), nil)
	tests := []struct {
		query string
		want  []float64
	}{
		{"", []float64{2}},
		{"?status=deleted", []float64{1}},
		{"?status=won", []float64{2}},
		{"?status=open", nil},
		{"?stage_id=" + itoa(s2), []float64{2}},
	}
	for _, tc := range tests {
		var got []float64
		for _, d := range list(e.must(200, "GET", "/api/v2/deals"+tc.query, nil)) {
			got = append(got, obj(d)["id"].(float64))
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("GET /deals%s ids = %v, want %v", tc.query, got, tc.want)
		}
	}
	if r := e.do("GET", "/api/v2/deals?status=gone", nil); r.status != 400 {
		t.Errorf("bad status filter: %d", r.status)
	}
	deleted := e.srv.Snapshot().Deals[0]
	if deleted["is_deleted"] != true {
		t.Errorf("snapshot deal 1 is_deleted = %v", deleted["is_deleted"])
	}
}

func TestActivityParticipants(t *testing.T) {
	e := newEnv(t, Options{})
	p1 := e.create("/api/v2/persons", map[string]any{"name": "P1"})
	p2 := e.create("/api/v2/persons", map[string]any{"name": "P2"})
	a := obj(e.must(200, "POST", "/api/v2/activities", map[string]any{"subject": "Meet", "type": "meeting", "done": true,
		"participants": []any{map[string]any{"person_id": p1}, map[string]any{"person_id": p2, "primary": true}}}))
	if a["person_id"] != float64(p2) {
		t.Errorf("person_id = %v, want primary participant %d", a["person_id"], p2)
	}
	if a["marked_as_done_time"] == nil {
		t.Error("done activity lacks marked_as_done_time")
	}
	acts := list(e.must(200, "GET", "/api/v2/activities?person_id="+itoa(p2), nil))
	if len(acts) != 1 {
		t.Errorf("activities of person %d: %d", p2, len(acts))
	}
	r := e.do("PATCH", "/api/v2/activities/"+itoa(int64(a["id"].(float64))), map[string]any{"person_id": p1})
	if r.status != 400 {
		t.Errorf("PATCH person_id: %d", r.status)
	}
}

func TestDeletedDealsPurgedAfter30Days(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Now: clock.Now})
	id := e.create("/api/v2/deals", map[string]any{"title": "old"})
	e.must(200, "DELETE", "/api/v2/deals/"+itoa(id), nil)
	clock.Advance(29 * 24 * time.Hour)
	if n := len(list(e.must(200, "GET", "/api/v2/deals?status=deleted", nil))); n != 1 {
		t.Errorf("after 29 days: %d deleted deals listed", n)
	}
	clock.Advance(2 * 24 * time.Hour)
	if n := len(list(e.must(200, "GET", "/api/v2/deals?status=deleted", nil))); n != 0 {
		t.Errorf("after 31 days: %d deleted deals listed", n)
	}
	e.must(404, "GET", "/api/v2/deals/"+itoa(id), nil)
}
