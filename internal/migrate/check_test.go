package migrate

import (
	"context"
	"strings"
	"time"

	"ferry/internal/source"
)

// sandboxView indexes the sandbox snapshot by Klipy ID, independently of the engine's id map.
type sandboxView struct {
	plan        planIndex
	createdCode string                                      // field_code of the deals' "Klipy created at"
	byKlipy     map[source.Kind]map[string][]map[string]any // kind → Klipy ID → live records
	idOf        map[source.Kind]map[float64]string          // kind → Pipedrive id → Klipy ID
}

var kindColl = map[source.Kind]string{source.Company: "organization", source.Person: "person", source.Deal: "deal"}

// view reads the sandbox snapshot and checks the schema has no duplicates.
func (f *fixture) view() sandboxView {
	snap := f.sb.Snapshot()
	v := sandboxView{byKlipy: map[source.Kind]map[string][]map[string]any{}, idOf: map[source.Kind]map[float64]string{}}
	records := map[source.Kind][]map[string]any{source.Company: snap.Organizations, source.Person: snap.Persons, source.Deal: snap.Deals}
	for kind, ent := range kindColl {
		code := ""
		names := map[string]int{}
		for _, fd := range snap.Fields[ent] {
			if fd["field_code"] == "label_ids" {
				f.checkLabelOptions(ent, fd)
			}
			name, _ := fd["field_name"].(string)
			if names[strings.ToLower(name)]++; names[strings.ToLower(name)] == 2 {
				f.t.Errorf("%s field %q exists twice", ent, name)
			}
			if name == KlipyIDField {
				code, _ = fd["field_code"].(string)
			}
			if name == KlipyCreatedField && ent == "deal" {
				v.createdCode, _ = fd["field_code"].(string)
			}
		}
		if code == "" {
			f.t.Fatalf("no %q field on %s", KlipyIDField, ent)
		}
		v.byKlipy[kind], v.idOf[kind] = map[string][]map[string]any{}, map[float64]string{}
		for _, r := range records[kind] {
			if del, _ := r["is_deleted"].(bool); del {
				continue
			}
			cf, _ := r["custom_fields"].(map[string]any)
			kid, _ := cf[code].(string)
			if kid == "" {
				continue
			}
			v.byKlipy[kind][kid] = append(v.byKlipy[kind][kid], r)
			v.idOf[kind][r["id"].(float64)] = kid
		}
	}
	f.checkPipelines(snap.Pipelines, snap.Stages)
	return v
}

func (f *fixture) checkPipelines(pipes, stages []map[string]any) {
	seen := map[string]bool{}
	for _, p := range pipes {
		if seen[p["name"].(string)] {
			f.t.Errorf("pipeline %q exists twice", p["name"])
		}
		seen[p["name"].(string)] = true
	}
	seenStage := map[string]bool{}
	for _, s := range stages {
		k := strings.ToLower(s["name"].(string)) + "@" + time.Duration(s["pipeline_id"].(float64)).String()
		if seenStage[k] {
			f.t.Errorf("stage %q exists twice in pipeline %v", s["name"], s["pipeline_id"])
		}
		seenStage[k] = true
	}
}

// survivor returns the id a source id is created under (itself unless merged).
func (f *fixture) survivor(kind source.Kind, id string) string {
	for _, m := range f.merges {
		if m.Kind != kind {
			continue
		}
		for _, x := range m.Members {
			if x == id {
				return m.Survivor
			}
		}
	}
	return id
}

// checkSandbox checks, from the sandbox snapshot and the generated data only, that every
// record exists exactly once (duplicates merged, unmappable ones quarantined in the store
// and their children held), with its links and original timestamps.
func (f *fixture) checkSandbox(rep Report) {
	f.t.Helper()
	v := f.view()
	v.plan = f.planIndex()
	missing := f.allowedMissing()
	for _, kind := range []source.Kind{source.Company, source.Person, source.Deal} {
		want, absent, members, lostMembers := 0, 0, 0, 0
		err := f.data.Each(kind, func(r source.Record) error {
			if sv := f.survivor(kind, r.ID); sv != r.ID {
				if n := len(v.byKlipy[kind][r.ID]); n != 0 {
					f.t.Errorf("%s %s is a merged duplicate but exists %d times", kind, r.ID, n)
				}
				members++
				if len(v.byKlipy[kind][sv]) == 0 {
					lostMembers++
				}
				return nil
			}
			got := v.byKlipy[kind][r.ID]
			switch {
			case len(got) == 0 && missing[r.ID] != "":
				absent++
			case len(got) != 1:
				f.t.Errorf("%s %s exists %d times in Pipedrive, want 1", kind, r.ID, len(got))
			default:
				want++
				f.checkRecord(kind, r, got[0], v)
			}
			return nil
		})
		if err != nil {
			f.t.Fatal(err)
		}
		if n := len(v.byKlipy[kind]); n != want {
			f.t.Errorf("%s: %d records carry a Klipy ID in Pipedrive, want %d", kind, n, want)
		}
		for _, p := range rep.Phases {
			into := f.mergedIntoExisting(kind)
			if p.Kind == kind && (p.Created+into != want || p.Merged != members-lostMembers+into || p.Quarantined+p.Held != absent+lostMembers) {
				f.t.Errorf("%s: report %s disagrees with the sandbox (%d present, %d absent, %d duplicates of which %d lost their survivor)",
					kind, p, want, absent, members, lostMembers)
			}
		}
	}
	f.checkChildren(v, missing, rep)
	f.checkFiles(v, missing, rep)
	f.checkJournal()
}

// allowedMissing lists records the store quarantined (not the id map) and, transitively,
// deals whose person or organization is missing: id → reason.
func (f *fixture) allowedMissing() map[string]string {
	out := map[string]string{}
	items, err := f.store.QuarantineItems(context.Background(), "")
	if err != nil {
		f.t.Fatal(err)
	}
	for _, q := range items {
		out[strings.TrimPrefix(q.Raw, "klipy id ")] = q.Reason
	}
	for _, kind := range []source.Kind{source.Person, source.Deal, source.Interaction, source.Task, source.Note, source.Attachment} {
		_ = f.data.Each(kind, func(r source.Record) error {
			for _, ref := range parents(r) {
				if out[f.survivor(ref.k, ref.id)] != "" {
					out[r.ID] = "parent missing"
				}
			}
			return nil
		})
	}
	return out
}

// parentRef names a parent record.
type parentRef struct {
	k  source.Kind
	id string
}

// parents lists every parent a record links to, from the generated fields.
func parents(r source.Record) []parentRef {
	var out []parentRef
	add := func(k source.Kind, ids ...string) {
		for _, id := range ids {
			if id != "" {
				out = append(out, parentRef{k, id})
			}
		}
	}
	add(source.Company, r.Fields["company_id"])
	add(source.Company, source.List(r.Fields["company_ids"])...)
	add(source.Person, r.Fields["person_id"])
	add(source.Person, source.List(r.Fields["person_ids"])...)
	add(source.Deal, r.Fields["deal_id"])
	add(source.Interaction, r.Fields["interaction_id"])
	return out
}

// checkRecord compares one Pipedrive record with its source: links, timestamps, owner,
// labels and (deals) stage and status.
// A record merged into an existing one keeps that one's owner, labels and creation time
// (fill_blanks), so only its links are checked.
func (f *fixture) checkRecord(kind source.Kind, r source.Record, got map[string]any, v sandboxView) {
	existing := f.intoExisting(kind, r.ID)
	if !existing {
		f.checkPlanFields(v.plan, kind, r, got)
	}
	links := []struct {
		key  string
		k    source.Kind
		from string
	}{{"org_id", source.Company, r.Fields["company_id"]}}
	if kind == source.Deal {
		links = append(links, struct {
			key  string
			k    source.Kind
			from string
		}{"person_id", source.Person, r.Fields["person_id"]})
	}
	if kind != source.Company {
		for _, l := range links {
			id, _ := got[l.key].(float64)
			if want := ""; l.from != "" {
				want = f.survivor(l.k, l.from)
				if v.idOf[l.k][id] != want {
					f.t.Errorf("%s %s: %s points to Klipy %q, want %q", kind, r.ID, l.key, v.idOf[l.k][id], want)
				}
			}
		}
	}
	created := r.Fields["created_at"]
	var have string
	if kind == source.Deal {
		cf, _ := got["custom_fields"].(map[string]any)
		have, _ = cf[v.createdCode].(string)
	} else {
		have, _ = got["add_time"].(string)
	}
	if _, err := time.Parse(time.RFC3339, created); err != nil && have == "" {
		return // an unreadable creation time is left out (with a warning); the record moves
	}
	if !existing && !sameInstant(have, created) {
		f.t.Errorf("%s %s: original creation time %q, want %q", kind, r.ID, have, created)
	}
}

// sameInstant compares two RFC 3339 times; a kept value that is a date (a date custom
// field) matches the time's UTC day.
func sameInstant(a, b string) bool {
	if len(a) == len(time.DateOnly) && len(b) >= len(a) {
		tb, err := time.Parse(time.RFC3339, b)
		return err == nil && tb.UTC().Format(time.DateOnly) == a
	}
	ta, errA := time.Parse(time.RFC3339, a)
	tb, errB := time.Parse(time.RFC3339, b)
	return errA == nil && errB == nil && ta.Equal(tb)
}

// mergedIntoExisting counts the survivors of kind the plan merges into existing records.
func (f *fixture) mergedIntoExisting(kind source.Kind) int {
	n := 0
	for _, m := range f.merges {
		if m.Kind == kind && m.DestID > 0 {
			n++
		}
	}
	return n
}

// intoExisting reports whether the plan merges the record into an existing one.
func (f *fixture) intoExisting(kind source.Kind, id string) bool {
	for _, m := range f.merges {
		if m.Kind == kind && m.Survivor == id && m.DestID > 0 {
			return true
		}
	}
	return false
}

// checkLabelOptions fails on a label that exists twice in a label field.
func (f *fixture) checkLabelOptions(ent string, fd map[string]any) {
	seen := map[string]bool{}
	opts, _ := fd["options"].([]any)
	for _, o := range opts {
		l := strings.ToLower(o.(map[string]any)["label"].(string))
		if seen[l] {
			f.t.Errorf("%s label %q exists twice", ent, l)
		}
		seen[l] = true
	}
}
