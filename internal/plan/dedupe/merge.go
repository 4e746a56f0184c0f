package dedupe

import (
	"cmp"
	"slices"
	"strings"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// cand is one non-empty field value of one member.
type cand struct {
	val string
	idx int32
}

// acc gathers the field values of one cluster's members during the second pass.
type acc struct {
	fields  map[string][]cand
	members []int32
}

// add records member i's non-empty fields; a person's phones are normalised here, where the
// record (and so its region) is at hand.
func (m *merger) add(a *acc, i int32, r source.Record) {
	if a.fields == nil {
		a.fields = map[string][]cand{}
	}
	for k, v := range r.Fields {
		if v = strings.TrimSpace(v); k == "id" || v == "" {
			continue
		}
		if k == "phone" && m.reg != nil {
			v = m.phones(i, v, r.Fields)
		}
		a.fields[k] = append(a.fields[k], cand{v, i})
	}
}

// phones rewrites each valid item of member i's phone list in its key form (E.164[;ext=N]).
// When every item became a key in the first pass the keys are reused, in order, instead of
// parsing the numbers again.
func (m *merger) phones(i int32, v string, f map[string]string) string {
	items := source.List(v)
	var keys []string
	for _, k := range m.t.keysOf(i) {
		if k.class() == kPhone {
			keys = append(keys, m.t.keyString(k))
		}
	}
	if len(keys) == len(items) {
		return source.JoinList(keys)
	}
	region := m.reg.of(f)
	for j, it := range items {
		if p, ok := m.reg.phoneKey(it, region); ok {
			items[j] = p
		}
	}
	return source.JoinList(items)
}

// merger builds the merged fields of clusters.
type merger struct {
	t       *table
	reg     *regions          // nil for companies
	company map[string]string // company id → its cluster's survivor (people only)
}

// rawOf returns the survivor's own value among cs, "" when it has none.
func rawOf(cs []cand, survivor int32) string {
	for _, c := range cs {
		if c.idx == survivor {
			return c.val
		}
	}
	return ""
}

// listFields are unioned rather than chosen.
var listFields = map[source.Kind]map[string]bool{
	source.Person:  {"tags": true, "email": true, "phone": true},
	source.Company: {"tags": true},
}

// merge returns the fields of a cluster's merged record that do not simply repeat the
// survivor's value (see Cluster.Fields), by field name.
func (m *merger) merge(a *acc, survivor int32) []MergedField {
	names := make([]string, 0, len(a.fields))
	for k := range a.fields {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []MergedField
	for _, f := range names {
		cs := a.fields[f]
		slices.SortStableFunc(cs, func(x, y cand) int { return m.rankCmp(x.idx, y.idx) })
		var mf MergedField
		switch {
		case listFields[m.t.kind][f]:
			mf = m.union(f, cs)
		case f == "created_at" || f == "updated_at":
			mf = m.extreme(f, cs)
		default:
			mf = m.choose(f, cs)
		}
		if len(mf.Alternatives) > 0 || len(mf.From) != 1 || mf.From[0] != m.t.ids[survivor] ||
			mf.Value != rawOf(cs, survivor) {
			out = append(out, mf)
		}
	}
	return out
}

func (m *merger) rankCmp(a, b int32) int {
	switch {
	case a == b:
		return 0
	case m.t.better(a, b):
		return -1
	}
	return 1
}

// choose takes the best-ranked value and keeps differing others as alternatives.
func (m *merger) choose(f string, cs []cand) MergedField {
	win := cs[0]
	mf := MergedField{Field: f, Value: canonical(f, win.val), From: []string{m.t.ids[win.idx]}}
	seen := map[string]bool{m.compareKey(f, win.val): true}
	for _, c := range cs[1:] {
		if k := m.compareKey(f, c.val); !seen[k] {
			seen[k] = true
			mf.Alternatives = append(mf.Alternatives, SourceValue{ID: m.t.ids[c.idx], Value: c.val})
		}
	}
	return mf
}

// extreme takes the oldest created_at or the newest updated_at (RFC 3339 compares as text
// in UTC; an unreadable value loses to a readable one).
func (m *merger) extreme(f string, cs []cand) MergedField {
	best := cs[0]
	for _, c := range cs[1:] {
		switch {
		case f == "created_at" && createdKey(c.val) < createdKey(best.val):
			best = c
		case f == "updated_at" && c.val > best.val && createdKey(c.val) != maxKey:
			best = c
		}
	}
	return MergedField{Field: f, Value: best.val, From: []string{m.t.ids[best.idx]}}
}

// union joins the list items of every member, deduplicated by normalised key, in rank order.
func (m *merger) union(f string, cs []cand) MergedField {
	mf := MergedField{Field: f}
	seen := map[string]bool{}
	var items []string
	for _, c := range cs {
		used := false
		for _, item := range source.List(c.val) {
			v, key := m.item(f, item)
			if seen[key] {
				continue
			}
			seen[key], used = true, true
			items = append(items, v)
		}
		if used {
			mf.From = append(mf.From, m.t.ids[c.idx])
		}
	}
	mf.Value = source.JoinList(items)
	return mf
}

// item returns a list item's output value and its dedupe key.
func (m *merger) item(f, raw string) (string, string) {
	switch f {
	case "email":
		if e, ok := normalize.Email(raw); ok {
			return e, e
		}
	case "tags":
		return raw, strings.ToLower(raw)
	}
	return raw, raw
}

// canonical is the output form of a chosen scalar value.
func canonical(f, v string) string {
	if f == "linkedin_url" {
		if l, ok := normalize.LinkedIn(v); ok {
			return l
		}
	}
	return v
}

// compareKey decides whether two values of a field say the same thing.
func (m *merger) compareKey(f, v string) string {
	switch f {
	case "company_id":
		if s, ok := m.company[v]; ok {
			return s // records of one organization are the same company
		}
	case "linkedin_url":
		if l, ok := normalize.LinkedIn(v); ok {
			return l
		}
	case "domain", "website":
		if d, ok := normalize.Domain(v); ok {
			return d
		}
	case "email":
		if e, ok := normalize.Email(v); ok {
			return e
		}
	}
	return v
}

const maxKey = int64(1<<63 - 1)

func createdKey(v string) int64 {
	return createdAt(source.Record{Fields: map[string]string{"created_at": v}})
}

func compareStr(a, b string) int { return cmp.Compare(a, b) }
