package migrate

import (
	"regexp"
	"time"

	"ferry/internal/source"
)

var markerRe = regexp.MustCompile(`\(Klipy ID ([^)]+)\)`)

// childIndex indexes the sandbox's activities and notes by the Klipy ID in their text.
func (f *fixture) childIndex() map[source.Kind]map[string][]map[string]any {
	snap := f.sb.Snapshot()
	out := map[source.Kind]map[string][]map[string]any{source.Interaction: {}, source.Task: {}, source.Note: {}}
	for _, a := range snap.Activities {
		if del, _ := a["is_deleted"].(bool); del {
			continue
		}
		text, _ := a["note"].(string)
		for _, m := range markerRe.FindAllStringSubmatch(text, -1) {
			k := source.Interaction
			if len(m[1]) > 5 && m[1][:5] == "task_" {
				k = source.Task
			}
			out[k][m[1]] = append(out[k][m[1]], a)
		}
	}
	for _, n := range snap.Notes {
		text, _ := n["content"].(string)
		for _, m := range markerRe.FindAllStringSubmatch(text, -1) {
			out[source.Note][m[1]] = append(out[source.Note][m[1]], n)
		}
	}
	return out
}

// checkChildren checks activities and notes: each exactly once unless allowed missing, with
// its deal and person links and its original day or time.
func (f *fixture) checkChildren(v sandboxView, missing map[string]string, rep Report) {
	idx := f.childIndex()
	for _, kind := range []source.Kind{source.Interaction, source.Task, source.Note} {
		present, absent := 0, 0
		_ = f.data.Each(kind, func(r source.Record) error {
			got := idx[kind][r.ID]
			switch {
			case len(got) == 0 && missing[r.ID] != "":
				absent++
			case len(got) != 1:
				f.t.Errorf("%s %s exists %d times in Pipedrive, want 1", kind, r.ID, len(got))
			default:
				present++
				f.checkChild(kind, r, got[0], v)
			}
			return nil
		})
		if n := len(idx[kind]); n != present {
			f.t.Errorf("%s: %d Pipedrive records carry a marker, want %d", kind, n, present)
		}
		for _, p := range rep.Phases {
			if p.Kind == kind && (p.Created != present || p.Quarantined+p.Held != absent) {
				f.t.Errorf("%s: report %s disagrees with the sandbox (%d present, %d absent)", kind, p, present, absent)
			}
		}
	}
}

func (f *fixture) checkChild(kind source.Kind, r source.Record, got map[string]any, v sandboxView) {
	if d := r.Fields["deal_id"]; d != "" {
		id, _ := got["deal_id"].(float64)
		if v.idOf[source.Deal][id] != d {
			f.t.Errorf("%s %s: deal_id points to Klipy %q, want %q", kind, r.ID, v.idOf[source.Deal][id], d)
		}
	}
	person := r.Fields["person_id"]
	if ps := source.List(r.Fields["person_ids"]); len(ps) > 0 {
		person = ps[0]
	}
	if person != "" {
		id, _ := got["person_id"].(float64)
		want := f.survivor(source.Person, person)
		if !v.has(source.Person, want) {
			want = "" // the person was not migrated: the child moves unlinked (on_missing_parent: unlink)
		}
		if v.idOf[source.Person][id] != want {
			f.t.Errorf("%s %s: person_id points to Klipy %q, want %q", kind, r.ID, v.idOf[source.Person][id], want)
		}
	}
	switch kind {
	case source.Interaction:
		t, _ := time.Parse(time.RFC3339, r.Fields["interaction_date"])
		if got["due_date"] != t.UTC().Format(time.DateOnly) {
			f.t.Errorf("%s %s: due_date %v, want the day of %s", kind, r.ID, got["due_date"], r.Fields["interaction_date"])
		}
	case source.Note:
		t, _ := time.Parse(time.RFC3339, r.Fields["created_at"])
		if got["add_time"] != t.UTC().Format(time.DateTime) {
			f.t.Errorf("%s %s: add_time %v, want %s", kind, r.ID, got["add_time"], r.Fields["created_at"])
		}
	}
}

// has reports whether the sandbox holds the record of Klipy id.
func (v sandboxView) has(kind source.Kind, id string) bool {
	for _, k := range v.idOf[kind] {
		if k == id {
			return true
		}
	}
	return false
}
