package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// journeyDiff is one difference between the Pipedrive sandbox read back and the answer
// (expected.json or the generator's key). Check names the kind of difference, e.g.
// "deals:status" or "step:extract"; the known-gaps list is keyed by it.
type journeyDiff struct {
	Check, Msg string
}

// journeyFacts is what the journey itself observed that the comparison needs besides the
// read-back: which owners ferry left open (and the test sent to the fallback user), and
// whether a step reported something refused or incomplete (exit code 6).
type journeyFacts struct {
	dir            string          // the harvest folder
	fallbackOwners map[string]bool // lower-cased Klipy owner strings resolved by --fallback
	fallbackEmail  string
	exit6          bool
	output         string // every step's output, in order
}

// compareExport compares the read-back with expected.json and returns every difference;
// logf is told what expected.json leaves unchecked (a null org_name).
func compareExport(rb *pdReadback, exp expectedExport, f journeyFacts, logf func(string, ...any)) []journeyDiff {
	var d []journeyDiff
	add := func(check, format string, args ...any) {
		d = append(d, journeyDiff{check, fmt.Sprintf(format, args...)})
	}
	compareCounts(rb, exp, add)
	compareDeals(rb, exp, add, logf)
	compareActivities(rb, exp, add)
	comparePipelines(rb, exp, add)
	compareLabels(rb, exp, add)
	compareOwners(rb, exp, f, add)
	compareCustomFields(rb, exp, add)
	compareRefused(rb, exp, f, add)
	compareDuplicates(rb, exp, add)
	compareNames(rb, exp, add)
	return d
}

// compareNames checks the person of each email in expected.json's names has that name.
func compareNames(rb *pdReadback, exp expectedExport, add addFunc) {
	names := map[string][]string{}
	for _, p := range rb.Persons {
		e := pdPrimaryEmail(p)
		names[e] = append(names[e], pdStr(p["name"]))
	}
	for _, email := range journeyKeys(exp.Names) {
		if got := names[email]; len(got) != 1 || got[0] != exp.Names[email] {
			add("names", "person %s: names %q in Pipedrive, want %q", email, got, exp.Names[email])
		}
	}
}

type addFunc func(check, format string, args ...any)

func compareCounts(rb *pdReadback, exp expectedExport, add addFunc) {
	got := map[string]int{"persons": len(rb.Persons), "organizations": len(rb.Orgs), "deals": len(rb.Deals),
		"activities": len(rb.Activities), "notes": len(rb.Notes), "files": len(rb.Files)}
	for _, k := range countKinds {
		c, ok := exp.Counts[k]
		if !ok {
			continue
		}
		ok = got[k] == c.Count || slices.Contains(c.Acceptable, got[k])
		if !ok {
			add("counts:"+k, "%d %s in Pipedrive, want %d (acceptable %v: %s)", got[k], k, c.Count, c.Acceptable, c.Why)
		}
	}
}

func compareDeals(rb *pdReadback, exp expectedExport, add addFunc, logf func(string, ...any)) {
	deals := map[string]map[string]any{}
	for _, dl := range rb.Deals {
		deals[rb.klipyID("deal", dl)] = dl
	}
	persons, orgs := pdByID(rb.Persons), pdByID(rb.Orgs)
	pipes, stages := pdByID(rb.Pipelines), pdByID(rb.Stages)
	for _, id := range journeyKeys(exp.Deals) {
		want := exp.Deals[id]
		dl, ok := deals[id]
		if !ok {
			add("deals:missing", "deal %s: no Pipedrive deal has Klipy ID %q", id, id)
			continue
		}
		title := fmt.Sprintf("deal %s %q", id, pdStr(dl["title"]))
		if got := pdPrimaryEmail(persons[int64(pdNum(dl["person_id"]))]); got != strings.ToLower(want.PersonEmail) {
			add("deals:person_email", "%s: person %q, want %q", title, got, want.PersonEmail)
		}
		// A null org_name is "no organization" — except sheets-export D-108, whose expected.json
		// says null although "Fjord Analytics" is expected to be created from the person and the
		// deal naming it (a fixture inconsistency): compareDeals treats null as "not checked"
		// and logs what Pipedrive holds, so that the unchecked link stays visible.
		got := pdStr(orgs[int64(pdNum(dl["org_id"]))]["name"])
		switch {
		case want.OrgName == nil:
			logf("NOT CHECKED: %s: expected.json has org_name null (read as \"not checked\"); Pipedrive links organization %q", title, got)
		case got != *want.OrgName:
			add("deals:org_name", "%s: organization %q, want %q", title, got, *want.OrgName)
		}
		if want.Value != nil && pdNum(dl["value"]) != *want.Value {
			add("deals:value", "%s: value %v, want %v", title, dl["value"], *want.Value)
		}
		if got := pdStr(dl["currency"]); want.Currency != nil && got != *want.Currency {
			add("deals:currency", "%s: currency %q, want %q", title, got, *want.Currency)
		}
		if got := pdStr(dl["status"]); got != want.Status {
			add("deals:status", "%s: status %q, want %q", title, got, want.Status)
		}
		if got, w := dealCloseDate(dl), journeyDeref(want.CloseDate); got != w {
			add("deals:close_date", "%s: close date %q (won_time %v, lost_time %v), want %q", title, got, dl["won_time"], dl["lost_time"], w)
		}
		if got := pdStr(pipes[int64(pdNum(dl["pipeline_id"]))]["name"]); got != want.Pipeline {
			add("deals:pipeline", "%s: pipeline %q, want %q", title, got, want.Pipeline)
		}
		if got := pdStr(stages[int64(pdNum(dl["stage_id"]))]["name"]); got != want.Stage {
			add("deals:stage", "%s: stage %q, want %q", title, got, want.Stage)
		}
	}
}

// dealCloseDate is the UTC date of a won deal's won_time or a lost deal's lost_time.
func dealCloseDate(dl map[string]any) string {
	var t string
	switch pdStr(dl["status"]) {
	case "won":
		t = pdStr(dl["won_time"])
	case "lost":
		t = pdStr(dl["lost_time"])
	default:
		t = pdStr(dl["close_time"])
	}
	if len(t) >= 10 {
		return t[:10]
	}
	return t
}

func compareActivities(rb *pdReadback, exp expectedExport, add addFunc) {
	acts := map[string]map[string]any{}
	for _, a := range rb.Activities {
		acts[pdMarkerID(pdStr(a["note"]))] = a
	}
	persons := pdByID(rb.Persons)
	for _, id := range journeyKeys(exp.Activities) {
		want := exp.Activities[id]
		a, ok := acts[id]
		if !ok {
			add("activities:missing", "activity %s: no Pipedrive activity carries the marker (Klipy ID %s)", id, id)
			continue
		}
		title := fmt.Sprintf("activity %s %q", id, pdStr(a["subject"]))
		if got := pdStr(a["type"]); got != want.Type {
			add("activities:type", "%s: type %q, want %q", title, got, want.Type)
		}
		var emails []string
		parts, _ := a["participants"].([]any)
		for _, p := range parts {
			m, _ := p.(map[string]any)
			emails = append(emails, pdPrimaryEmail(persons[int64(pdNum(m["person_id"]))]))
		}
		if !slices.Contains(emails, strings.ToLower(want.ParticipantEmail)) {
			add("activities:participant_email", "%s: participants %q, want %q among them", title, emails, want.ParticipantEmail)
		}
		got := pdStr(a["due_date"])
		if strings.Contains(want.Due, " ") {
			got += " " + trimSeconds(pdStr(a["due_time"]))
		}
		if got != want.Due {
			add("activities:due", "%s: due %q, want %q", title, got, want.Due)
		}
	}
}

// trimSeconds turns "HH:MM:SS" into "HH:MM".
func trimSeconds(t string) string {
	if len(t) > 5 {
		return t[:5]
	}
	return t
}

func comparePipelines(rb *pdReadback, exp expectedExport, add addFunc) {
	for _, name := range journeyKeys(exp.Pipelines) {
		var pipe map[string]any
		for _, p := range rb.Pipelines {
			if pdStr(p["name"]) == name {
				pipe = p
			}
		}
		if pipe == nil {
			add("pipelines", "pipeline %q: not in Pipedrive", name)
			continue
		}
		var st []map[string]any
		for _, s := range rb.Stages {
			if pdNum(s["pipeline_id"]) == pdNum(pipe["id"]) {
				st = append(st, s)
			}
		}
		sort.SliceStable(st, func(i, j int) bool { return pdNum(st[i]["order_nr"]) < pdNum(st[j]["order_nr"]) })
		var got []string
		for _, s := range st {
			got = append(got, pdStr(s["name"]))
		}
		if !slices.Equal(got, exp.Pipelines[name]) {
			add("pipelines", "pipeline %q: stages in order %q, want %q", name, got, exp.Pipelines[name])
		}
	}
}

// compareLabels compares the labels attached to persons, organizations and deals.
func compareLabels(rb *pdReadback, exp expectedExport, add addFunc) {
	used := map[string]bool{}
	for ent, recs := range map[string][]map[string]any{"person": rb.Persons, "organization": rb.Orgs, "deal": rb.Deals} {
		names := map[int64]string{}
		for _, f := range rb.Fields[ent] {
			if pdStr(f["field_code"]) != "label_ids" {
				continue
			}
			opts, _ := f["options"].([]any)
			for _, o := range opts {
				m, _ := o.(map[string]any)
				names[int64(pdNum(m["id"]))] = pdStr(m["label"])
			}
		}
		for _, r := range recs {
			ids, _ := r["label_ids"].([]any)
			for _, id := range ids {
				used[names[int64(pdNum(id))]] = true
			}
		}
	}
	got := journeyKeys(used)
	want := slices.Sorted(slices.Values(exp.Labels))
	if !slices.Equal(got, want) {
		add("labels", "labels on records %q, want %q", got, want)
	}
}

func compareOwners(rb *pdReadback, exp expectedExport, f journeyFacts, add addFunc) {
	users := map[string]int64{}
	for _, u := range rb.Users {
		users[strings.ToLower(pdStr(u["email"]))] = int64(pdNum(u["id"]))
	}
	owned := map[int64]int{}
	for _, recs := range [][]map[string]any{rb.Persons, rb.Orgs, rb.Deals, rb.Activities} {
		for _, r := range recs {
			owned[int64(pdNum(r["owner_id"]))]++
		}
	}
	for _, email := range journeyKeys(exp.Owners) {
		switch exp.Owners[email] {
		case "mapped":
			if n := owned[users[email]]; n == 0 {
				add("owners", "owner %s (a Pipedrive user): owns no record in Pipedrive", email)
			}
			if fallbackNamed(f, email) {
				add("owners", "owner %s has a Pipedrive user, yet ferry left its decision open", email)
			}
		case "queue":
			if _, ok := users[email]; ok {
				add("owners", "owner %s (no Pipedrive user) has a Pipedrive user after the run", email)
			}
			if !fallbackNamed(f, email) {
				add("owners", "owner %s (no Pipedrive user) was not an open owner decision", email)
			} else if owned[users[strings.ToLower(f.fallbackEmail)]] == 0 {
				add("owners", "owner %s went to the fallback %s, who owns no record", email, f.fallbackEmail)
			}
		}
	}
}

// fallbackNamed reports whether the test resolved an open owner decision naming email.
func fallbackNamed(f journeyFacts, email string) bool {
	for o := range f.fallbackOwners {
		if strings.Contains(o, strings.ToLower(email)) {
			return true
		}
	}
	return false
}

func compareCustomFields(rb *pdReadback, exp expectedExport, add addFunc) {
	for _, name := range journeyKeys(exp.CustomFields) {
		var types []string
		for _, ent := range []string{"person", "organization", "deal"} {
			for _, f := range rb.Fields[ent] {
				if custom, _ := f["is_custom_field"].(bool); custom && strings.EqualFold(pdStr(f["field_name"]), name) {
					types = append(types, ent+":"+pdStr(f["field_type"]))
				}
			}
		}
		ok := false
		for _, t := range types {
			_, typ, _ := strings.Cut(t, ":")
			ok = ok || typ == exp.CustomFields[name]
		}
		if !ok {
			add("custom_fields", "custom field %q: found %q, want type %s", name, types, exp.CustomFields[name])
		}
	}
}

func compareRefused(rb *pdReadback, exp expectedExport, f journeyFacts, add addFunc) {
	for _, id := range journeyKeys(exp.Refused) {
		// A refusal is named when a step exits 6 (incomplete) or when a step's output names
		// the record — its id or its attachment file — as decide list's predicted loss does
		// before the user accepts it.
		named := f.exit6 || strings.Contains(f.output, id)
		for name := range attachmentNames(f.dir, id) {
			named = named || strings.Contains(f.output, name)
		}
		if !named {
			add("refused", "%s must be refused (%s), yet no step exited 6 or named it", id, exp.Refused[id])
		}
		for ent, recs := range map[string][]map[string]any{"person": rb.Persons, "organization": rb.Orgs, "deal": rb.Deals} {
			for _, r := range recs {
				if rb.klipyID(ent, r) == id {
					add("refused", "%s %s (%s) is in Pipedrive", ent, id, exp.Refused[id])
				}
			}
		}
		for _, a := range rb.Activities {
			if pdMarkerID(pdStr(a["note"])) == id {
				add("refused", "activity %s (%s) is in Pipedrive", id, exp.Refused[id])
			}
		}
		for _, n := range rb.Notes {
			if pdMarkerID(pdStr(n["content"])) == id {
				add("refused", "note %s (%s) is in Pipedrive", id, exp.Refused[id])
			}
		}
		names := attachmentNames(f.dir, id)
		for _, file := range rb.Files {
			if names[pdStr(file["name"])] {
				add("refused", "attachment %s (%s) was uploaded as file %q", id, exp.Refused[id], pdStr(file["name"]))
			}
		}
	}
}

// attachmentNames returns the cells of attachments.csv's row whose first cell is id, with
// the base names of the cells that are paths of files in the folder: the names an upload of
// that attachment could carry. It reads the raw lines (any delimiter), not ferry's reader.
func attachmentNames(dir, id string) map[string]bool {
	out := map[string]bool{}
	raw, err := os.ReadFile(filepath.Join(dir, "attachments.csv"))
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(raw), "\n") {
		cells := strings.FieldsFunc(strings.TrimRight(line, "\r"), func(r rune) bool { return r == ',' || r == ';' || r == '\t' })
		if len(cells) == 0 || strings.Trim(cells[0], `"`) != id {
			continue
		}
		for _, c := range cells[1:] {
			c = strings.Trim(c, `"`)
			if _, err := os.Stat(filepath.Join(dir, c)); err == nil && c != "" {
				out[filepath.Base(c)] = true
			}
			if strings.Contains(c, ".") {
				out[c] = true
			}
		}
	}
	return out
}

func compareDuplicates(rb *pdReadback, exp expectedExport, add addFunc) {
	for _, group := range exp.Duplicates {
		var holders []string
		for ent, recs := range map[string][]map[string]any{"person": rb.Persons, "organization": rb.Orgs} {
			for _, r := range recs {
				if id := rb.klipyID(ent, r); slices.Contains(group, id) {
					holders = append(holders, ent+" "+id)
				}
			}
		}
		sort.Strings(holders)
		if len(holders) != 1 || !strings.HasSuffix(holders[0], " "+group[0]) {
			add("duplicates", "duplicates %q: Pipedrive holds %q, want one record with Klipy ID %s", group, holders, group[0])
		}
	}
}

func journeyDeref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func journeyKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
