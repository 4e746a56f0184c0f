package plan

import (
	"fmt"
	"strings"

	"ferry/internal/plan/mapping"
	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// writeValues lists the mapping's open questions (a date column's day/month order) and, row
// by row, the values that do not fit their column's type: each such record moves without
// that one value, never held back for it.
func (r *reportWriter) writeValues(m mapping.Mapping, p profile.Profile) {
	var open [][]string
	for _, o := range m.Objects {
		for _, f := range o.Fields {
			if f.Open != "" {
				open = append(open, []string{string(o.Source), f.Source, f.Open})
			}
		}
	}
	if len(open) > 0 {
		r.f("## Mapping questions\n\n%d field(s) of `mapping.yaml` carry an `open:` question; `ferry confirm` waits until each is answered (edit the field, delete the line).\n\n", len(open))
		r.table([]string{"object", "field", "question"}, open)
	}
	rows, more := leftOutRows(m, p)
	if len(rows) == 0 {
		return
	}
	for _, row := range rows {
		row[2] = r.name(source.Kind(row[0]), row[2])
	}
	r.f("## Values left out\n\nThese values do not fit their column's type: each record moves without that one value (the rest of the record is migrated).\n\n")
	r.table([]string{"object", "field", "record", "value", "why"}, rows)
	if more > 0 {
		r.f("… and %d more such values (see the data profile).\n\n", more)
	}
}

// leftOutRows returns the profiled misfits of every migrated field, and how many are not
// listed (the profile keeps the first few of each field).
func leftOutRows(m mapping.Mapping, p profile.Profile) (rows [][]string, more int) {
	for _, o := range m.Objects {
		po, ok := p.Object(o.Source)
		if !ok || o.Skip != "" {
			continue
		}
		for _, f := range o.Fields {
			pf, ok := po.Field(f.Source)
			if !ok || f.Skip != "" || !typed(f.Transforms) {
				continue
			}
			for _, a := range pf.Anomalies {
				why := a.Message
				if _, after, ok := strings.Cut(why, ": "); ok {
					why = after
				}
				for i, id := range a.IDs {
					v := ""
					if i < len(a.Values) {
						v = fmt.Sprintf("%q", a.Values[i])
					}
					rows = append(rows, []string{string(o.Source), f.Source, id, v, why})
				}
				more += a.Count - len(a.IDs)
			}
		}
	}
	return rows, more
}

// typed reports whether a transform chain reads values as a type (so a misfit is left out).
func typed(ts []string) bool {
	for _, t := range ts {
		name, _, _ := strings.Cut(t, ":")
		switch name {
		case mapping.TParseDate, mapping.TSplitDateTime, mapping.TParseNumber, mapping.TParseMoney,
			mapping.TBoolean, mapping.TDuration, mapping.TNormalizeLinkedIn, mapping.TRegistrableDomain:
			return true
		}
	}
	return false
}
