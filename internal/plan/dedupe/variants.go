package dedupe

import (
	"strings"

	"ferry/internal/plan/normalize"
)

// nameVariant flags a person cluster whose members (in rank order) spell the name
// differently; ok is false when every member writes it the same way.
func nameVariant(t *table, members []int32, a *acc) (NameVariant, bool) {
	first, last := memberValues(a, "first_name"), memberValues(a, "last_name")
	nv := NameVariant{Survivor: t.ids[members[0]], Class: VariantSpelling}
	distinct := map[string]bool{}
	base := members[0]
	for _, m := range members {
		display := strings.Join(strings.Fields(first[m]+" "+last[m]), " ")
		distinct[display] = true
		nv.Names = append(nv.Names, SourceValue{ID: t.ids[m], Value: display})
		switch {
		case normalize.NameKey(first[m], last[m]) != normalize.NameKey(first[base], last[base]):
			nv.Class = VariantDifferent
		case nv.Class == VariantSpelling && normalize.Name(first[m], last[m]) != normalize.Name(first[base], last[base]):
			nv.Class = VariantNickname
		}
	}
	return nv, len(distinct) > 1
}

// memberValues returns each member's value of field.
func memberValues(a *acc, field string) map[int32]string {
	out := map[int32]string{}
	for _, c := range a.fields[field] {
		out[c.idx] = c.val
	}
	return out
}
