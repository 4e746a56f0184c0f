package rollback

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"ferry/internal/pipedrive"
)

// KeptReason is how the proof reports a record rollback left alone.
const KeptReason = "kept: changed in Pipedrive after the migration"

// Kept is a journal entry a rollback did not undo because users worked on its record in
// Pipedrive after the migration: they changed it, or attached new work (an activity, a note,
// a deal ferry did not create) to it, or a kept record belongs to it. --force undoes it.
type Kept struct {
	Seq      int64    `json:"seq"`
	Category Category `json:"category"`
	DestID   string   `json:"dest_id"`
	Why      string   `json:"why"`
}

// recordCats are the categories whose records users can change or attach work to.
var recordCats = []Category{CatPerson, CatOrg, CatDeal, CatActivity, CatNote}

// findKept compares each pending record step with what Pipedrive holds now (list reads)
// and returns the steps to leave alone. ours holds every item of the whole journal (all
// runs), so that work ferry created is never mistaken for users' work.
func findKept(ctx context.Context, c *pipedrive.Client, pending []Step, ours map[Category]map[int64]bool) ([]Kept, error) {
	need := false
	for _, s := range pending {
		if isRecordCat(s.Category) {
			need = true
		}
	}
	if !need {
		return nil, nil
	}
	probe := make([]Step, 0, len(recordCats))
	for _, cat := range recordCats {
		probe = append(probe, Step{Category: cat})
	}
	live, err := readLive(ctx, c, probe)
	if err != nil {
		return nil, fmt.Errorf("rollback: read what Pipedrive holds now: %w", err)
	}
	g := &guard{live: live, ours: ours, kept: map[int64]Kept{}, restoring: map[string]bool{}}
	for _, s := range pending {
		if s.Restore {
			g.restoring[key(s.Category, s.undo.ID)] = true
		}
	}
	for _, s := range pending {
		if why := g.changed(s); why != "" {
			g.keep(s, why)
		}
	}
	g.keepParents(pending)
	out := make([]Kept, 0, len(g.kept))
	for _, k := range g.kept {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

type guard struct {
	live      *liveState
	ours      map[Category]map[int64]bool
	kept      map[int64]Kept
	restoring map[string]bool // records a pending update of ferry's touched after the create
}

func key(c Category, id int64) string { return fmt.Sprintf("%s/%d", c, id) }

func isRecordCat(c Category) bool {
	for _, x := range recordCats {
		if x == c {
			return true
		}
	}
	return false
}

func (g *guard) keep(s Step, why string) {
	if _, ok := g.kept[s.Entry.Seq]; !ok {
		g.kept[s.Entry.Seq] = Kept{Seq: s.Entry.Seq, Category: s.Category, DestID: s.Entry.DestID, Why: why}
	}
}

// changed says why s's record must be left alone, "" when it may be undone.
func (g *guard) changed(s Step) string {
	if !isRecordCat(s.Category) {
		return ""
	}
	cur, ok := g.live.records[s.Category][s.undo.ID]
	if !ok {
		return ""
	}
	if s.Restore {
		return wroteChanged(s.undo.Wrote, cur)
	}
	if w := s.undo.WrittenAt; w != "" && !g.restoring[key(s.Category, s.undo.ID)] {
		if at, ok1 := parseTime(w); ok1 {
			if now, ok2 := parseTime(cur.String("update_time")); ok2 && now.After(at) {
				return fmt.Sprintf("updated in Pipedrive at %s, after ferry wrote it at %s", now.Format(time.RFC3339), at.Format(time.RFC3339))
			}
		}
	}
	if s.Category == CatPerson || s.Category == CatOrg || s.Category == CatDeal {
		return g.attached(s.Category, s.undo.ID)
	}
	return ""
}

// attached names an activity, note or deal that ferry did not create and that points at the
// record (cat, id), "" when there is none.
func (g *guard) attached(cat Category, id int64) string {
	ref := map[Category]string{CatPerson: "person_id", CatOrg: "org_id", CatDeal: "deal_id"}[cat]
	for _, child := range []Category{CatActivity, CatNote, CatDeal} {
		ids := make([]int64, 0, len(g.live.records[child]))
		for cid := range g.live.records[child] {
			ids = append(ids, cid)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, cid := range ids {
			if g.ours[child][cid] {
				continue
			}
			if refID(g.live.records[child][cid][ref]) == id {
				return fmt.Sprintf("new work attached in Pipedrive after the migration: %s %d", child, cid)
			}
		}
	}
	return ""
}

// keepParents keeps the records a kept record points at (its organization, person, deal),
// so that nothing kept is left pointing at a deleted record.
func (g *guard) keepParents(pending []Step) {
	byRecord := map[string]Step{}
	for _, s := range pending {
		if !s.Restore && isRecordCat(s.Category) {
			byRecord[key(s.Category, s.undo.ID)] = s
		}
	}
	for changed := true; changed; {
		changed = false
		for _, k := range g.kept {
			id := int64(0)
			fmt.Sscan(k.DestID, &id)
			cur := g.live.records[k.Category][id]
			for ref, cat := range map[string]Category{"org_id": CatOrg, "person_id": CatPerson, "deal_id": CatDeal} {
				p, ok := byRecord[key(cat, refID(cur[ref]))]
				if _, done := g.kept[p.Entry.Seq]; ok && !done {
					g.keep(p, fmt.Sprintf("the kept %s %s belongs to it", k.Category, k.DestID))
					changed = true
				}
			}
		}
	}
}

// wroteChanged names the first value an update of ferry's wrote that the record no longer
// holds, "" when it holds them all.
func wroteChanged(wrote map[string]any, cur pipedrive.Entity) string {
	keys := make([]string, 0, len(wrote))
	for k := range wrote {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "custom_fields" {
			m, _ := wrote[k].(map[string]any)
			have := cur.CustomFields()
			for code, v := range m {
				if !holds(v, have[code]) {
					return fmt.Sprintf("custom field %s changed in Pipedrive after the migration (ferry wrote %s, now %s)", code, show(v), show(have[code]))
				}
			}
			continue
		}
		if !holds(wrote[k], cur[k]) && !sameRef(wrote[k], cur[k]) {
			return fmt.Sprintf("%s changed in Pipedrive after the migration (ferry wrote %s, now %s)", k, show(wrote[k]), show(cur[k]))
		}
	}
	return ""
}

// holds reports whether got still carries what ferry sent: equal values, or for objects and
// lists of objects every key ferry sent with the same value (Pipedrive answers with more keys:
// an address's parts, an email's label), or an object whose "value" is what ferry sent.
func holds(sent, got any) bool {
	if same(sent, got) {
		return true
	}
	s, g := norm(sent), norm(got)
	switch x := s.(type) {
	case map[string]any:
		gm, ok := g.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range x {
			if !holds(v, gm[k]) {
				return false
			}
		}
		return true
	case []any:
		gl, ok := g.([]any)
		if !ok || len(gl) != len(x) {
			return false
		}
		for i := range x {
			if !holds(x[i], gl[i]) {
				return false
			}
		}
		return true
	}
	if gm, ok := g.(map[string]any); ok {
		return same(s, gm["value"])
	}
	return false
}

// sameRef compares an id ferry sent with the object or id Pipedrive answers for it.
func sameRef(sent, got any) bool {
	a, b := refID(sent), refID(got)
	return a != 0 && a == b
}

// refID reads an id that is a number or an object with "value" or "id".
func refID(v any) int64 {
	switch x := v.(type) {
	case json.Number, float64, int64, int:
		return pipedrive.Entity{"id": x}.ID()
	case map[string]any:
		if id := refID(x["value"]); id != 0 {
			return id
		}
		return refID(x["id"])
	}
	return 0
}

// parseTime reads v2 (RFC 3339) and v1 ("2006-01-02 15:04:05", UTC) times.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateTime, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}
