package compare

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"ferry/internal/pipedrive"
)

// Diff is one field whose value in Pipedrive differs from what was intended.
type Diff struct {
	Field string
	Want  string
	Got   string
}

// labelled lists the entities whose label_ids are compared even when the body sent none:
// a label that appeared or vanished is a difference.
var labelled = map[string]bool{"person": true, "organization": true, "deal": true}

// CompareBody compares the intended body want with the record got field by field. Only
// the keys want carries are compared (Pipedrive fills defaults for the rest), except
// label_ids on labelled entities; only limits the comparison to the listed keys (nil:
// all; custom fields as "custom_fields.<code>"), as for a merge that patched some fields
// of an existing record. names maps custom
// field codes to names for the report. Diffs come sorted by field.
func CompareBody(entity string, want, got pipedrive.Entity, only map[string]bool, names map[string]string) []Diff {
	keys := make([]string, 0, len(want)+1)
	for k := range want {
		keys = append(keys, k)
	}
	if _, ok := want["label_ids"]; !ok && labelled[entity] && only == nil {
		keys = append(keys, "label_ids")
	}
	sort.Strings(keys)
	var out []Diff
	for _, k := range keys {
		if only != nil && !only[k] {
			continue
		}
		if k == "custom_fields" {
			out = append(out, compareCustom(want, got, only, names)...)
			continue
		}
		if d, ok := compareField(k, want[k], got[k]); !ok {
			out = append(out, d)
		}
	}
	return out
}

// compareCustom compares the custom fields the body set (nested under custom_fields in v2).
func compareCustom(want, got pipedrive.Entity, only map[string]bool, names map[string]string) []Diff {
	wcf, _ := want["custom_fields"].(map[string]any)
	gcf, _ := got["custom_fields"].(map[string]any)
	codes := make([]string, 0, len(wcf))
	for c := range wcf {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var out []Diff
	for _, c := range codes {
		if only != nil && !only["custom_fields."+c] {
			continue
		}
		name := "custom field " + c
		if n := names[c]; n != "" {
			name = "custom field " + n
		}
		if d, ok := compareField(name, wcf[c], gcf[c]); !ok {
			out = append(out, d)
		}
	}
	return out
}

// compareField compares one field, choosing the equivalence its key calls for.
func compareField(key string, want, got any) (Diff, bool) {
	var ok bool
	switch key {
	case "emails":
		ok = sameContacts(want, got, func(a, b string) bool { return NormalEmail(a) == NormalEmail(b) })
	case "phones":
		ok = sameContacts(want, got, SamePhone)
	case "participants":
		ok = sameParticipants(want, got)
	case "label_ids":
		ok = slices.Equal(idSet(want), idSet(got))
	case "address", "location":
		ok = Same(addressValue(want), addressValue(got))
	default:
		ok = sameValue(want, got)
	}
	if ok {
		return Diff{}, true
	}
	return Diff{Field: key, Want: show(key, want), Got: show(key, got)}, false
}

// sameValue compares scalars, ids given as {id} objects, option id sets and monetary
// {value, currency} objects.
func sameValue(want, got any) bool {
	switch w := want.(type) {
	case []any:
		return slices.Equal(idSet(w), idSet(got))
	case []int64:
		return slices.Equal(idSet(w), idSet(got))
	case map[string]any:
		g, _ := got.(map[string]any)
		for k, v := range w {
			if !Same(v, g[k]) {
				return false
			}
		}
		return true
	}
	if m, ok := got.(map[string]any); ok && isNumber(want) {
		return asID(m) == asID(want)
	}
	return Same(want, got)
}

// sameContacts compares email or phone lists by value (as a set) and by primary value.
func sameContacts(want, got any, eq func(a, b string) bool) bool {
	w, g := contacts(want), contacts(got)
	if len(w) != len(g) {
		return false
	}
	used := make([]bool, len(g))
	for _, wc := range w {
		found := false
		for j, gc := range g {
			if !used[j] && eq(wc.value, gc.value) && wc.primary == gc.primary {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

type contact struct {
	value   string
	primary bool
}

// contacts reads [{value, primary, label}] items.
func contacts(v any) []contact {
	items, _ := v.([]any)
	var out []contact
	for _, it := range items {
		m, _ := it.(map[string]any)
		s, _ := m["value"].(string)
		if strings.TrimSpace(s) == "" {
			continue
		}
		p, _ := asBool(m["primary"])
		out = append(out, contact{value: s, primary: p})
	}
	return out
}

// sameParticipants compares activity participants by person id and primary flag.
func sameParticipants(want, got any) bool {
	return participants(want) == participants(got)
}

// participants renders [{person_id, primary}] as a canonical string ("*" marks the primary).
func participants(v any) string {
	items, _ := v.([]any)
	var parts []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		p := fmt.Sprint(asID(m["person_id"]))
		if prim, _ := asBool(m["primary"]); prim {
			p += "*"
		}
		parts = append(parts, p)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// idSet returns the sorted ids of a list of ids (or of {id} objects).
func idSet(v any) []int64 {
	var out []int64
	switch x := v.(type) {
	case []any:
		for _, it := range x {
			out = append(out, asID(it))
		}
	case []int64:
		out = append(out, x...)
	default:
		if id := asID(v); id != 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// addressValue returns the formatted value of an address object, or the text itself.
func addressValue(v any) any {
	if m, ok := v.(map[string]any); ok {
		return m["value"]
	}
	return v
}

// show renders one side of a diff; lists of contacts and ids are rendered compactly.
func show(key string, v any) string {
	switch key {
	case "emails", "phones":
		var parts []string
		for _, c := range contacts(v) {
			s := c.value
			if c.primary {
				s += " (primary)"
			}
			parts = append(parts, s)
		}
		return Show(strings.Join(parts, ", "))
	case "label_ids":
		return Show(fmt.Sprint(idSet(v)))
	case "participants":
		return Show(participants(v))
	case "address", "location":
		return Show(addressValue(v))
	}
	return Show(v)
}
