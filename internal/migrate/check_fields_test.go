package migrate

import (
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/plan/decide"
	"ferry/internal/source"
)

// planIndex holds what the plan decisions say, resolved against the sandbox snapshot by
// name (never through the engine's schema or id map).
type planIndex struct {
	users  map[string]float64            // lower-case email → user id
	labels map[string]map[string]float64 // entity → label → option id
	stages map[float64]string            // stage id → "pipeline/stage" names
}

func (f *fixture) planIndex() planIndex {
	snap := f.sb.Snapshot()
	ix := planIndex{users: map[string]float64{}, labels: map[string]map[string]float64{}, stages: map[float64]string{}}
	for _, u := range snap.Users {
		ix.users[strings.ToLower(u["email"].(string))] = u["id"].(float64)
	}
	for ent, fields := range snap.Fields {
		ix.labels[ent] = map[string]float64{}
		for _, fd := range fields {
			if fd["field_code"] != "label_ids" {
				continue
			}
			opts, _ := fd["options"].([]any)
			for _, o := range opts {
				m := o.(map[string]any)
				ix.labels[ent][m["label"].(string)] = m["id"].(float64)
			}
		}
	}
	pipes := map[float64]string{}
	for _, p := range snap.Pipelines {
		pipes[p["id"].(float64)] = p["name"].(string)
	}
	for _, s := range snap.Stages {
		ix.stages[s["id"].(float64)] = pipes[s["pipeline_id"].(float64)] + "/" + s["name"].(string)
	}
	return ix
}

// checkPlanFields checks owner, labels and (deals) stage and status against the decisions.
func (f *fixture) checkPlanFields(ix planIndex, kind source.Kind, r source.Record, got map[string]any) {
	if ref := r.Fields["owner"]; strings.TrimSpace(ref) != "" {
		email, ok := f.dec.OwnerFor(ref)
		if want := ix.users[strings.ToLower(email)]; ok && got["owner_id"] != want {
			f.t.Errorf("%s %s: owner_id %v, want %v (%s for %q)", kind, r.ID, got["owner_id"], want, email, ref)
		}
	}
	ent := kindColl[kind]
	var want, have []float64
	seen := map[float64]bool{}
	for _, tag := range source.List(r.Fields["tags"]) {
		if id, ok := ix.labels[ent][f.dec.LabelFor(tag)]; ok && !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	ids, _ := got["label_ids"].([]any)
	for _, id := range ids {
		have = append(have, id.(float64))
	}
	sort.Float64s(want)
	sort.Float64s(have)
	if diff := cmp.Diff(want, have, cmpopts.EquateEmpty()); diff != "" {
		f.t.Errorf("%s %s: label_ids for tags %q (-want +got):\n%s", kind, r.ID, r.Fields["tags"], diff)
	}
	if kind == source.Deal {
		f.checkStage(ix, r, got)
	}
}

// checkStage checks a deal's stage and status against the stage map.
func (f *fixture) checkStage(ix planIndex, r source.Record, got map[string]any) {
	pm, sm, ok := stageDecision(f.dec, r.Fields["pipeline"], r.Fields["stage"])
	if !ok {
		f.t.Errorf("deal %s: stage %q/%q not in the stage map", r.ID, r.Fields["pipeline"], r.Fields["stage"])
		return
	}
	place := ix.stages[got["stage_id"].(float64)]
	if sm.Target != "" && place != pm.Target+"/"+sm.Target {
		f.t.Errorf("deal %s: in stage %q, want %q", r.ID, place, pm.Target+"/"+sm.Target)
	}
	if sm.Target == "" && !strings.HasPrefix(place, pm.Target+"/") {
		f.t.Errorf("deal %s: in stage %q, want pipeline %q", r.ID, place, pm.Target)
	}
	status := sm.Status
	if status == "" {
		status = strings.ToLower(r.Fields["status"])
	}
	if status != "won" && status != "lost" {
		status = "open"
	}
	if got["status"] != status {
		f.t.Errorf("deal %s: status %v, want %s", r.ID, got["status"], status)
	}
}

func stageDecision(d decide.Decisions, pipeline, stage string) (decide.PipelineMap, decide.StageMap, bool) {
	if strings.TrimSpace(pipeline) == "" {
		pipeline = "Pipeline"
	}
	for _, pm := range d.Pipelines {
		if pm.Klipy != strings.TrimSpace(pipeline) {
			continue
		}
		for _, sm := range pm.Stages {
			if sm.Klipy == strings.TrimSpace(stage) {
				return pm, sm, true
			}
		}
	}
	return decide.PipelineMap{}, decide.StageMap{}, false
}
