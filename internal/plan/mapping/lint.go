package mapping

import (
	"fmt"
	"strings"

	"ferry/internal/plan/profile"
)

// Lint checks a mapping against the snapshot's profile and the destination: everything
// Parse checks, plus source fields the snapshot does not have (errors), profiled fields the
// mapping leaves out (warnings), enum values without an option, transforms that fail on the
// profiled examples (warnings), and custom fields that clash with existing ones. Problems
// carry the lines Parse recorded (none for a mapping built in memory).
func Lint(m Mapping, p profile.Profile, dest Schema) []Problem {
	c := &checker{ps: validate(m)}
	for _, o := range m.Objects {
		po, ok := p.Object(o.Source)
		if !ok {
			c.warn(o.pos, string(o.Source), "the snapshot has no %s records", o.Source)
			continue
		}
		if o.Skip != "" {
			continue
		}
		c.lintFields(m, o, po, dest)
	}
	for _, po := range p.Objects {
		if _, ok := m.Object(po.Kind); !ok {
			c.warn(pos{1, 1}, string(po.Kind), "%d %s records but no object maps them", po.Records, po.Kind)
		}
	}
	return c.ps
}

func (c *checker) warn(p pos, field, format string, args ...any) {
	c.add(p, field, format, args...)
	c.ps[len(c.ps)-1].Warning = true
}

// lintFields checks an object's fields against the profile and the schema.
func (c *checker) lintFields(m Mapping, o Object, po profile.Object, dest Schema) {
	mapped := map[string]bool{}
	for _, f := range o.Fields {
		mapped[f.Source] = true
		name := string(o.Source) + "." + f.Source
		pf, ok := po.Field(f.Source)
		if !ok {
			c.add(f.pos, name, "unknown source field: the snapshot's %s records have no %q (known: %s)",
				o.Source, f.Source, fieldNames(po))
			continue
		}
		if f.Skip != "" {
			continue
		}
		if f.Open != "" {
			c.add(f.pos, name, "open decision: %s", f.Open)
		}
		c.lintValues(f, pf, name)
		c.lintExamples(m, o, f, pf, name)
		if f.CustomField != "" {
			c.lintSchema(o, f, dest, name)
		}
	}
	for _, pf := range po.Fields {
		if !mapped[pf.Name] && pf.Filled > 0 {
			c.warn(o.pos, string(o.Source)+"."+pf.Name, "filled in %d records but not mapped: add it with target, custom_field or skip", pf.Filled)
		}
	}
}

func fieldNames(o profile.Object) string {
	names := make([]string, len(o.Fields))
	for i, f := range o.Fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// lintValues reports profiled enum values and set items that reach no option.
func (c *checker) lintValues(f Field, pf profile.Field, name string) {
	if len(f.Options) == 0 || !(hasTransform(f.Transforms, TMapEnum) || hasTransform(f.Transforms, TListToSet)) {
		return
	}
	for _, v := range pf.Values {
		if _, err := mapEnum(f, v.Value); err != nil {
			c.add(f.pos, name, "value %q (%d records) has no option: add it to options or map it in values", v.Value, v.Count)
		}
	}
}

// lintExamples runs the field's transforms on the profiled examples.
func (c *checker) lintExamples(m Mapping, o Object, f Field, pf profile.Field, name string) {
	b := &builder{m: m, o: o, entity: o.Target, refs: NameResolver{}}
	bad := 0
	var first error
	for _, ex := range pf.Examples {
		var v any = ex
		for _, t := range f.Transforms {
			var err error
			if v, err = b.step(f, t, v); err != nil {
				bad++
				if first == nil {
					first = err
				}
				break
			}
		}
	}
	if bad > 0 {
		c.warn(f.pos, name, "%d of %d profiled examples fail: %v", bad, len(pf.Examples), first)
	}
}

// lintSchema checks a custom field against the destination's existing fields. A schema
// that was not read (Fields nil: --offline) checks nothing: the engine checks at run time.
func (c *checker) lintSchema(o Object, f Field, dest Schema, name string) {
	if dest.Fields == nil {
		return
	}
	if f.FieldCode != "" {
		ex, ok := dest.byCode(o.Target, f.FieldCode)
		switch {
		case !ok:
			c.add(f.pos, name, "field_code %s: the destination has no such %s field", f.FieldCode, o.Target)
		case !Compatible(ex.Type, f.Type):
			c.add(f.pos, name, "field_code %s is a %s field, not %s", f.FieldCode, ex.Type, f.Type)
		}
		return
	}
	ex, ok := dest.customByName(o.Target, f.CustomField)
	switch {
	case ok && !compatible(ex.Type, f.Type):
		c.add(f.pos, name, "a %s field named %q already exists: rename this one or change its type", ex.Type, ex.Name)
	case ok:
		c.warn(f.pos, name, "reuses the existing %s field %q (%s), as ferry run will; set field_code: %s to pin it", ex.Type, ex.Name, ex.Code, ex.Code)
	}
}

// Check is what `ferry lint` runs: Parse, then Lint against the profile and destination,
// then RunTests. It returns the mapping (as far as it decoded) and every problem.
func Check(name string, data []byte, p profile.Profile, dest Schema) (Mapping, []Problem) {
	m, err := Parse(name, data)
	if err != nil {
		var pe *ParseError
		if asParseError(err, &pe) {
			return m, pe.Problems
		}
		return m, []Problem{{Message: err.Error()}}
	}
	ps := Lint(m, p, dest)
	return m, append(ps, RunTests(m)...)
}

func asParseError(err error, pe **ParseError) bool {
	e, ok := err.(*ParseError)
	*pe = e
	return ok
}

// Describe renders a field's mapping in one line for reports: "custom.Score → custom field
// "Score" (double) [parse_number:us]".
func Describe(f Field) string {
	var to string
	switch {
	case f.Skip != "":
		return fmt.Sprintf("%s → not migrated: %s", f.Source, f.Skip)
	case f.CustomField != "":
		to = fmt.Sprintf("custom field %q (%s)", f.CustomField, f.Type)
	default:
		to = f.Target
	}
	return fmt.Sprintf("%s → %s [%s]", f.Source, to, strings.Join(f.Transforms, ", "))
}
