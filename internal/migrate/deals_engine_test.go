package migrate

import (
	"encoding/json"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// dealWant is what one deal must be in Pipedrive.
type dealWant struct {
	Pipeline   string `json:"pipeline"`
	Stage      string `json:"stage"`
	Status     string `json:"status"`
	WonTime    string `json:"won_time,omitempty"`
	LostTime   string `json:"lost_time,omitempty"`
	LostReason string `json:"lost_reason,omitempty"`
}

// TestHandDealsAsSalesExpects takes the hand-written testdata/deals through plan and run with
// the proposed mapping and decisions, unedited, and reads the sandbox back through its API:
// each pipeline's stages in funnel order (by order_nr), and each deal's pipeline, stage,
// status, won or lost time from the close date and lost reason. Won deals stay in the stage
// they were last in (a "Closed Won" stage gives the status and the last open stage of the
// history); closed deals with no known stage are in their pipeline's last stage.
func TestHandDealsAsSalesExpects(t *testing.T) {
	h := runHandCase(t, "deals", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	var want struct {
		Pipelines map[string][]string `json:"pipelines"`
		Deals     map[string]dealWant `json:"deals"`
	}
	if err := json.Unmarshal(h.c.Expect, &want); err != nil {
		t.Fatal(err)
	}
	order := h.stageOrder()
	delete(order, "Pipeline") // the sandbox's own default pipeline
	if diff := cmp.Diff(want.Pipelines, order); diff != "" {
		t.Errorf("stages per pipeline by order_nr (-want +got):\n%s", diff)
	}
	stageOf := map[int64]pipedrive.Entity{}
	for _, st := range h.back.stages {
		stageOf[st.ID()] = st
	}
	for id, w := range want.Deals {
		title := recordField(h.c, source.Deal, id, "name")
		d, ok := h.back.deals[title]
		if !ok {
			t.Errorf("deal %s (%q) is not in Pipedrive", id, title)
			continue
		}
		st := stageOf[d.Int("stage_id")]
		got := dealWant{Pipeline: h.back.pipelines[d.Int("pipeline_id")], Stage: st.String("name"), Status: d.String("status"),
			WonTime: instant(d["won_time"]), LostTime: instant(d["lost_time"]), LostReason: d.String("lost_reason")}
		w.WonTime, w.LostTime = instant(w.WonTime), instant(w.LostTime)
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("deal %s %q (-want +got):\n%s", id, title, diff)
		}
		if st.Int("pipeline_id") != d.Int("pipeline_id") {
			t.Errorf("deal %s: stage %d is not in its pipeline %d", id, st.ID(), d.Int("pipeline_id"))
		}
	}
}

// stageOrder lists each pipeline's stage names by order_nr, as Pipedrive shows the funnel.
func (h *handRun) stageOrder() map[string][]string {
	byPipe := map[int64][]pipedrive.Entity{}
	for _, st := range h.back.stages {
		byPipe[st.Int("pipeline_id")] = append(byPipe[st.Int("pipeline_id")], st)
	}
	out := map[string][]string{}
	for pid, sts := range byPipe {
		sort.Slice(sts, func(i, j int) bool { return sts[i].Int("order_nr") < sts[j].Int("order_nr") })
		for _, st := range sts {
			out[h.back.pipelines[pid]] = append(out[h.back.pipelines[pid]], st.String("name"))
		}
	}
	return out
}

// instant renders a time answer as RFC 3339 UTC ("" for none), so that layouts compare.
func instant(v any) string {
	s, _ := v.(string)
	if s == "" {
		return ""
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return s
}
