package mapping

import (
	"fmt"
	"regexp"
	"strings"

	"ferry/internal/source"
)

var reRegion = regexp.MustCompile(`^[A-Z]{2}$`)

// checker collects problems.
type checker struct{ ps []Problem }

func (c *checker) add(p pos, field, format string, args ...any) {
	c.ps = append(c.ps, Problem{Line: p.line, Column: p.col, Field: field, Message: fmt.Sprintf(format, args...)})
}

// validate checks what the mapping says on its own, without the profile or the schema.
func validate(m Mapping) []Problem {
	c := &checker{}
	if m.Version != Version {
		c.add(pos{1, 1}, "version", "version %d: this ferry reads version %d", m.Version, Version)
	}
	if !reRegion.MatchString(m.DefaultRegion) {
		c.add(pos{1, 1}, "default_region", "%q is not a two-letter ISO region in capitals (e.g. US, DE)", m.DefaultRegion)
	}
	if len(m.Objects) == 0 {
		c.add(pos{1, 1}, "objects", "no objects: want one per Klipy kind")
	}
	seen := map[source.Kind]pos{}
	for _, o := range m.Objects {
		if p, dup := seen[o.Source]; dup {
			c.add(o.pos, string(o.Source), "object repeated (first at line %d)", p.line)
			continue
		}
		seen[o.Source] = o.pos
		c.object(o)
	}
	for i, t := range m.Tests {
		c.test(m, i, t)
	}
	return c.ps
}

// object checks one object and its fields.
func (c *checker) object(o Object) {
	want, known := kindEntity[o.Source]
	name := string(o.Source)
	switch {
	case !known:
		c.add(o.pos, name, "unknown source kind %q (allowed: %s)", o.Source, kindNames())
		return
	case o.Target != want:
		c.add(o.pos, name, "target %q: Klipy %s records become Pipedrive %s (or set skip)", o.Target, o.Source, want)
		return
	case o.ActivityType != "" && o.Target != EntityActivity:
		c.add(o.pos, name, "activity_type is only allowed on activity objects")
	case o.Done != "" && o.Target != EntityActivity:
		c.add(o.pos, name, "done is only allowed on activity objects")
	case o.OnMissingParent != "" && o.OnMissingParent != Unlink && o.OnMissingParent != Hold:
		c.add(o.pos, name, "on_missing_parent %q: allowed values are unlink (move without the link, the default) and hold", o.OnMissingParent)
	case o.Done != "" && o.Done != DonePast:
		c.add(o.pos, name, "done %q: allowed value is %s (activities due before the run are done)", o.Done, DonePast)
	case o.Skip != "" || o.Target == EntityUser:
		if o.Skip == "" {
			c.add(o.pos, name, "owners are never created: set skip with the reason")
		}
		return
	}
	seen := map[string]pos{}
	for _, f := range o.Fields {
		if p, dup := seen[f.Source]; dup {
			c.add(f.pos, name+"."+f.Source, "source field repeated (first at line %d)", p.line)
			continue
		}
		seen[f.Source] = f.pos
		c.field(o, f)
	}
	c.duplicates(o)
	c.required(o)
}

func kindNames() string {
	names := make([]string, len(source.Kinds))
	for i, k := range source.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// field checks one field on its own.
func (c *checker) field(o Object, f Field) {
	name := string(o.Source) + "." + f.Source
	set := 0
	for _, s := range []string{f.Target, f.CustomField, f.Skip} {
		if s != "" {
			set++
		}
	}
	switch {
	case f.Source == "":
		c.add(f.pos, name, "source is empty: want a canonical field name or custom.<Header>")
		return
	case set != 1:
		c.add(f.pos, name, "set exactly one of target, custom_field and skip")
		return
	case f.Skip != "":
		if len(f.Transforms)+len(f.Options)+len(f.Values) > 0 || f.Type != "" || f.FieldCode != "" {
			c.add(f.pos, name, "a skipped field takes no type, field_code, options, values or transforms")
		}
		return
	}
	k, ok := c.targetKind(o, f, name)
	if !ok {
		return
	}
	for _, t := range f.Transforms {
		if err := checkTransform(t, k); err != nil {
			c.add(f.pos, name, "%v", err)
		}
	}
	if ns := needs[k]; ns != nil && !anyTransform(f.Transforms, ns) {
		c.add(f.pos, name, "a %s field needs one of the transforms %s", vkindName[k], strings.Join(ns, ", "))
	}
	c.options(f, k, name)
}

// targetKind resolves the value kind of a field's target, reporting unknown ones.
func (c *checker) targetKind(o Object, f Field, name string) (vkind, bool) {
	if f.Target != "" {
		if len(f.Options) > 0 || f.Type != "" || f.FieldCode != "" {
			c.add(f.pos, name, "type, field_code and options belong to custom fields only")
		}
		t, ok := standardTargets[o.Target][f.Target]
		if !ok {
			c.add(f.pos, name, "unknown target %q for %s (allowed: %s)", f.Target, o.Target,
				strings.Join(sortedKeys(standardTargets[o.Target]), ", "))
		}
		return t.kind, ok
	}
	if !customEntities[o.Target] {
		c.add(f.pos, name, "Pipedrive %ss take no custom fields (use a target, append it to a text field, or skip)", o.Target)
		return 0, false
	}
	t, ok := customTypes[f.Type]
	if !ok {
		c.add(f.pos, name, "custom field type %q unknown (allowed: %s)", f.Type, strings.Join(sortedKeys(customTypes), ", "))
	}
	if len(f.CustomField) > 255 {
		c.add(f.pos, name, "custom field name longer than 255 characters")
	}
	return t.kind, ok
}

// options checks enum and set options and the values map.
func (c *checker) options(f Field, k vkind, name string) {
	if k != kEnum && k != kSet && k != kEnumID {
		if len(f.Options)+len(f.Values) > 0 {
			c.add(f.pos, name, "options and values are for enum and set fields only")
		}
		return
	}
	if (k == kEnum || k == kSet) && len(f.Options) == 0 {
		c.add(f.pos, name, "an %s custom field needs options", f.Type)
	}
	seen := map[string]bool{}
	for _, o := range f.Options {
		if o == "" || len(o) > 255 {
			c.add(f.pos, name, "option %q: labels are 1 to 255 characters", o)
		}
		if seen[o] {
			c.add(f.pos, name, "option %q repeated", o)
		}
		seen[o] = true
	}
	for _, v := range sortedKeys(f.Values) {
		if l := f.Values[v]; len(f.Options) > 0 && !seen[l] {
			c.add(f.pos, name, "value %q maps to %q, which is not an option (options: %s)", v, l, strings.Join(f.Options, ", "))
		}
	}
}

func anyTransform(ts, names []string) bool {
	for _, n := range names {
		if hasTransform(ts, n) {
			return true
		}
	}
	return false
}
