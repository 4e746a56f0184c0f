package migrate

import (
	"ferry/internal/compare"
	"ferry/internal/pipedrive"
)

// compareRecord compares every field of t.want with got through compare.CompareBody (the
// comparison ferry verify makes), appending a FieldDiff per difference, and returns how many
// fields it compared. A record missing from got is one difference. Custom fields are compared
// one by one ("custom_fields.<code>").
func compareRecord(p phaseSpec, t target, got pipedrive.Entity, diffs *[]FieldDiff) int {
	add := func(field string, want, have string) {
		*diffs = append(*diffs, FieldDiff{Kind: t.kind, SourceID: t.id, Entity: p.entity, DestID: t.dest,
			Field: field, Want: want, Got: have})
	}
	if got == nil {
		add("(record)", "present", "missing")
		return 1
	}
	n := 0
	for k, v := range t.want {
		if custom, ok := v.(map[string]any); ok && k == "custom_fields" {
			n += len(custom)
			continue
		}
		n++
	}
	for _, d := range compare.CompareBody(p.entity, t.want, got, nil, nil) {
		add(d.Field, d.Want, d.Got)
	}
	return n
}
