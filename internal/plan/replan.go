package plan

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
)

// Re-planning keeps a person's work. Plan stores each proposal it writes (ProposalDir); the
// next plan merges three ways, unit by unit: base is that stored proposal, ours the files as
// the person left them, theirs the new proposal. A unit the person changed (ours differs
// from base) keeps their version when the new proposal still has it; a unit they did not
// touch takes the new proposal. A change whose unit the new proposal no longer has (an owner
// gone from the snapshot, a field no longer in the data) cannot be kept and is listed.
//
// Units: decisions.yaml — an owner's resolution and target, a pipeline's action and target,
// a stage's target and status, an activity type's target, a tag's label; mapping.yaml — the
// default region, an object's target, activity type and skip, a field mapping (by object
// and source field: kept, added or removed as a whole), a test case (by name).

// NotKept is one change of the person's that the new proposal has no place for.
type NotKept struct {
	File string // "mapping.yaml" or "decisions.yaml"
	What string // the unit and the person's value
	Why  string
}

func (n NotKept) String() string { return fmt.Sprintf("%s: %s (%s)", n.File, n.What, n.Why) }

// MergeDecisions merges ours into theirs against base (see above). Without a base (a
// workspace planned before proposals were stored) only ours' resolved owners, stages,
// pipelines and activity types where theirs is still open are kept.
func MergeDecisions(base *decide.Decisions, ours, theirs decide.Decisions) (decide.Decisions, []NotKept) {
	var out []NotKept
	miss := func(what, why string) { out = append(out, NotKept{File: DecisionsFile, What: what, Why: why}) }
	b := decide.Decisions{}
	if base != nil {
		b = *base
	}
	changed := func(inBase bool, baseV, oursV any, theirsOpen bool) bool {
		if base == nil {
			return theirsOpen
		}
		return !inBase || !reflect.DeepEqual(baseV, oursV)
	}
	// Owners.
	bo := map[string]decide.Owner{}
	for _, o := range b.Owners {
		bo[o.Klipy] = o
	}
	to := map[string]int{}
	for i, o := range theirs.Owners {
		to[o.Klipy] = i
	}
	for _, o := range ours.Owners {
		old, inBase := bo[o.Klipy]
		i, ok := to[o.Klipy]
		theirsOpen := ok && (theirs.Owners[i].Resolution == decide.OwnerOpen || theirs.Owners[i].Resolution == "")
		if !changed(inBase, [2]string{old.Resolution, old.Target}, [2]string{o.Resolution, o.Target}, theirsOpen) {
			continue
		}
		if !ok {
			if o.Resolution != decide.OwnerOpen {
				miss("owner "+o.Klipy+": "+o.Resolution+" "+o.Target, "the owner has no records in the snapshot any more")
			}
			continue
		}
		theirs.Owners[i].Resolution, theirs.Owners[i].Target = o.Resolution, o.Target
	}
	mergePipelines(base, b, ours, &theirs, miss)
	// Activity types.
	ba := map[string]decide.ActivityType{}
	for _, a := range b.ActivityTypes {
		ba[a.Klipy] = a
	}
	ta := map[string]int{}
	for i, a := range theirs.ActivityTypes {
		ta[a.Klipy] = i
	}
	for _, a := range ours.ActivityTypes {
		old, inBase := ba[a.Klipy]
		i, ok := ta[a.Klipy]
		if !changed(inBase, [2]any{old.Target, old.Channel}, [2]any{a.Target, a.Channel}, ok && theirs.ActivityTypes[i].Target == "") {
			continue
		}
		if !ok {
			miss("activity type "+a.Klipy+" → "+a.Target, "no interaction of this type in the snapshot any more")
			continue
		}
		theirs.ActivityTypes[i].Target, theirs.ActivityTypes[i].Channel = a.Target, a.Channel
	}
	if base != nil {
		mergeLabels(b, ours, &theirs, miss)
	}
	mergeColumns(b, ours, &theirs, changed, miss)
	// Accepted losses are only ever a person's (ferry decide accept-loss): a new proposal
	// has none, so they are kept as they are.
	theirs.AcceptedLosses = ours.AcceptedLosses
	return theirs, out
}

// mergeColumns keeps the person's answers to column decisions (by file and header).
func mergeColumns(b, ours decide.Decisions, theirs *decide.Decisions, changed func(bool, any, any, bool) bool,
	miss func(what, why string)) {
	key := func(c decide.ColumnChoice) string { return strings.ToLower(c.File + "\x00" + c.Header) }
	bc := map[string]decide.ColumnChoice{}
	for _, c := range b.Columns {
		bc[key(c)] = c
	}
	tc := map[string]int{}
	for i, c := range theirs.Columns {
		tc[key(c)] = i
	}
	for _, c := range ours.Columns {
		old, inBase := bc[key(c)]
		i, ok := tc[key(c)]
		if !changed(inBase, old.Choice, c.Choice, ok && !theirs.Columns[i].Answered()) {
			continue
		}
		if !ok {
			if c.Answered() {
				miss("column "+c.File+" "+c.Header+" → "+c.Choice, "the column is no longer ambiguous or no longer in the harvest")
			}
			continue
		}
		theirs.Columns[i].Choice = c.Choice
	}
}

// mergePipelines keeps changed pipeline actions and stage targets.
func mergePipelines(base *decide.Decisions, b, ours decide.Decisions, theirs *decide.Decisions, miss func(string, string)) {
	bp := map[string]decide.PipelineMap{}
	for _, p := range b.Pipelines {
		bp[p.Klipy] = p
	}
	tp := map[string]int{}
	for i, p := range theirs.Pipelines {
		tp[p.Klipy] = i
	}
	for _, p := range ours.Pipelines {
		old, inBase := bp[p.Klipy]
		i, ok := tp[p.Klipy]
		if !ok {
			if base != nil && (!inBase || old.Action != p.Action || old.Target != p.Target) {
				miss("pipeline "+p.Klipy+": "+p.Action+" "+p.Target, "no deal of this pipeline in the snapshot any more")
			}
			continue
		}
		t := &theirs.Pipelines[i]
		if base == nil && t.Action == "" || base != nil && (!inBase || old.Action != p.Action || old.Target != p.Target) {
			t.Action, t.Target = p.Action, p.Target
		}
		bs := map[string]decide.StageMap{}
		for _, s := range old.Stages {
			bs[s.Klipy] = s
		}
		ts := map[string]int{}
		for j, s := range t.Stages {
			ts[s.Klipy] = j
		}
		for _, s := range p.Stages {
			os, sInBase := bs[s.Klipy]
			j, sok := ts[s.Klipy]
			edited := base != nil && (!sInBase || os.Target != s.Target || os.Status != s.Status)
			if base == nil {
				edited = sok && t.Stages[j].Target == "" && t.Stages[j].Status == ""
			}
			if !edited {
				continue
			}
			if !sok {
				miss("stage "+p.Klipy+"/"+s.Klipy+" → "+s.Target+s.Status, "no deal in this stage any more")
				continue
			}
			t.Stages[j].Target, t.Stages[j].Status = s.Target, s.Status
		}
	}
}

// mergeLabels keeps tag spellings the person moved to another label.
func mergeLabels(b, ours decide.Decisions, theirs *decide.Decisions, miss func(string, string)) {
	labelOf := func(d decide.Decisions) map[string]string {
		m := map[string]string{}
		for _, g := range d.Labels {
			for _, v := range g.Variants {
				m[v] = g.Label
			}
		}
		return m
	}
	bl, ol, tl := labelOf(b), labelOf(ours), labelOf(*theirs)
	for v, label := range ol {
		if bl[v] == label {
			continue
		}
		if _, ok := tl[v]; !ok {
			miss("tag "+v+" → label "+label, "the tag is not used in the snapshot any more")
			continue
		}
		moveVariant(theirs, v, label)
	}
}

// moveVariant puts tag spelling v into the group of label, creating it when needed.
func moveVariant(d *decide.Decisions, v, label string) {
	for i := range d.Labels {
		vs := d.Labels[i].Variants[:0:0]
		for _, x := range d.Labels[i].Variants {
			if x != v {
				vs = append(vs, x)
			}
		}
		d.Labels[i].Variants = vs
	}
	for i := range d.Labels {
		if d.Labels[i].Label == label {
			d.Labels[i].Variants = append(d.Labels[i].Variants, v)
			return
		}
	}
	d.Labels = append(d.Labels, decide.LabelGroup{Label: label, Variants: []string{v}})
}

// MergeMapping merges ours into theirs against base (see above). Without a base nothing of
// ours is kept: the caller backs the file up.
func MergeMapping(base *mapping.Mapping, ours, theirs mapping.Mapping) (mapping.Mapping, []NotKept) {
	if base == nil {
		return theirs, nil
	}
	var out []NotKept
	miss := func(what, why string) { out = append(out, NotKept{File: MappingFile, What: what, Why: why}) }
	renames := map[source.Kind]map[string]string{}
	if ours.DefaultRegion != base.DefaultRegion {
		theirs.DefaultRegion = ours.DefaultRegion
	}
	bo := objectsByKind(*base)
	to := map[string]int{}
	for i, o := range theirs.Objects {
		to[string(o.Source)] = i
	}
	for _, o := range ours.Objects {
		b, inBase := bo[string(o.Source)]
		i, ok := to[string(o.Source)]
		if !ok {
			if !inBase || yamlOf(b) != yamlOf(o) {
				miss("object "+string(o.Source), "the snapshot has no "+string(o.Source)+" records any more")
			}
			continue
		}
		t := &theirs.Objects[i]
		if !inBase || b.Target != o.Target || b.ActivityType != o.ActivityType || b.Skip != o.Skip {
			t.Target, t.ActivityType, t.Skip = o.Target, o.ActivityType, o.Skip
		}
		proposed := t.Fields
		t.Fields = mergeFields(string(o.Source), b.Fields, o.Fields, t.Fields, miss)
		renames[o.Source] = customRenames(proposed, t.Fields)
	}
	theirs.Tests = mergeTests(base.Tests, ours.Tests, theirs.Tests, renames)
	return theirs, out
}

// customRenames maps the proposal's custom field names to the kept ones where the person
// renamed a field (same source field, another custom_field).
func customRenames(proposed, kept []mapping.Field) map[string]string {
	now := map[string]string{}
	for _, f := range kept {
		now[f.Source] = f.CustomField
	}
	out := map[string]string{}
	for _, f := range proposed {
		if n, ok := now[f.Source]; ok && f.CustomField != "" && n != "" && n != f.CustomField {
			out[f.CustomField] = n
		}
	}
	return out
}

func objectsByKind(m mapping.Mapping) map[string]mapping.Object {
	out := map[string]mapping.Object{}
	for _, o := range m.Objects {
		out[string(o.Source)] = o
	}
	return out
}

// mergeFields keeps field mappings the person edited, added or removed.
func mergeFields(kind string, base, ours, theirs []mapping.Field, miss func(string, string)) []mapping.Field {
	bf := map[string]mapping.Field{}
	for _, f := range base {
		bf[f.Source] = f
	}
	of := map[string]mapping.Field{}
	for _, f := range ours {
		of[f.Source] = f
	}
	tf := map[string]bool{}
	var out []mapping.Field
	for _, f := range theirs {
		tf[f.Source] = true
		b, inBase := bf[f.Source]
		o, inOurs := of[f.Source]
		switch {
		case inBase && !inOurs:
			continue // the person removed it
		case inOurs && (!inBase || yamlOf(b) != yamlOf(o)):
			out = append(out, o) // the person edited it
		default:
			out = append(out, f)
		}
	}
	for _, o := range ours {
		b, inBase := bf[o.Source]
		if tf[o.Source] || (inBase && yamlOf(b) == yamlOf(o)) {
			continue
		}
		if inBase {
			miss(kind+" field "+o.Source, "the field is no longer in the data")
			continue
		}
		out = append(out, o) // added by the person: lint checks it still applies
	}
	return out
}

// mergeTests keeps the person's test cases (added or edited, by name) over the proposal's;
// the proposal's cases follow the custom fields the person renamed (renames, by object).
func mergeTests(base, ours, theirs []mapping.Test, renames map[source.Kind]map[string]string) []mapping.Test {
	bt := map[string]string{}
	for _, t := range base {
		bt[t.Name] = yamlOf(t)
	}
	ot := map[string]bool{}
	for _, t := range ours {
		ot[t.Name] = true
	}
	idx := map[string]int{}
	var out []mapping.Test
	for _, t := range theirs {
		if _, inBase := bt[t.Name]; inBase && !ot[t.Name] {
			continue // removed by the person
		}
		idx[t.Name] = len(out)
		if r := renames[t.Object]; len(r) > 0 {
			t.Expect = renameExpect(t.Expect, r)
		}
		out = append(out, t)
	}
	for _, t := range ours {
		if b, ok := bt[t.Name]; ok && b == yamlOf(t) {
			continue
		}
		if i, ok := idx[t.Name]; ok {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// renameExpect renames custom field keys, and the "field=label" option values the test
// resolver gives, from old to new names.
func renameExpect(expect map[string]any, renames map[string]string) map[string]any {
	out := make(map[string]any, len(expect))
	for k, v := range expect {
		out[k] = v
	}
	cf, ok := expect["custom_fields"].(map[string]any)
	if !ok {
		return out
	}
	ncf := make(map[string]any, len(cf))
	for k, v := range cf {
		if n, ok := renames[k]; ok {
			k, v = n, renameOptions(v, k, n)
		}
		ncf[k] = v
	}
	out["custom_fields"] = ncf
	return out
}

func renameOptions(v any, old, now string) any {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, old+"=") {
			return now + strings.TrimPrefix(x, old)
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = renameOptions(e, old, now)
		}
		return out
	}
	return v
}

// yamlOf renders v as mapping.yaml would (comments and positions left out): the identity of
// a unit for the comparison.
func yamlOf(v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}
