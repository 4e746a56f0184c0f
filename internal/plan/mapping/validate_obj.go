package mapping

import "fmt"

// multiKinds are targets several source fields may feed.
var multiKinds = map[vkind]bool{kEmails: true, kPhones: true, kLabels: true, kAddress: true,
	kParticipants: true, kActivityType: true}

// duplicates reports two fields feeding one target that cannot take both: only list-like
// targets, names joined from parts, links tried in turn and text with appended lines can.
func (c *checker) duplicates(o Object) {
	groups := map[string][]Field{}
	var order []string
	for _, f := range o.Fields {
		key := f.Target
		if f.CustomField != "" {
			key = "custom:" + fold(f.CustomField)
		}
		if key == "" {
			continue
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], f)
	}
	for _, key := range order {
		fs := groups[key]
		if len(fs) < 2 || c.shared(o, fs) {
			continue
		}
		first := fs[0]
		for _, f := range fs[1:] {
			c.add(f.pos, string(o.Source)+"."+f.Source, "duplicate target %s: also fed by %s (line %d)",
				targetName(f), first.Source, first.pos.line)
		}
	}
}

// shared reports whether several fields may feed one target.
func (c *checker) shared(o Object, fs []Field) bool {
	if fs[0].CustomField != "" {
		return false
	}
	if multiKinds[standardTargets[o.Target][fs[0].Target].kind] {
		return true
	}
	all := func(pred func(Field) bool) bool {
		for _, f := range fs {
			if !pred(f) {
				return false
			}
		}
		return true
	}
	if all(func(f Field) bool { return isLink(f.Transforms) }) {
		return true
	}
	plain := 0 // fields that set the whole value; parts and appended lines combine with one
	for _, f := range fs {
		if !hasTransform(f.Transforms, TAppend) && !hasTransform(f.Transforms, TJoinName) &&
			!hasTransform(f.Transforms, TAIDraft) && !hasTransform(f.Transforms, TConversation) {
			plain++
		}
	}
	return plain <= 1
}

func targetName(f Field) string {
	if f.CustomField != "" {
		return fmt.Sprintf("custom field %q", f.CustomField)
	}
	return f.Target
}

// required reports an entity's required targets that no field feeds.
func (c *checker) required(o Object) {
	fed := map[string]bool{}
	for _, f := range o.Fields {
		if f.Target != "" {
			fed[f.Target] = true
		}
	}
	if o.ActivityType != "" {
		fed["type"] = true
	}
	for _, r := range required[o.Target] {
		if !fed[r] {
			c.add(o.pos, string(o.Source), "no field feeds the required %s field %s", o.Target, r)
		}
	}
}

// test checks one test case's shape.
func (c *checker) test(m Mapping, i int, t Test) {
	name := fmt.Sprintf("tests[%d]", i)
	if _, ok := m.Object(t.Object); !ok {
		c.add(t.pos, name, "object %q is not mapped (allowed: the sources of objects)", t.Object)
	}
	if t.Name == "" {
		c.add(t.pos, name, "name is empty")
	}
	if len(t.Input) == 0 {
		c.add(t.pos, name, "input is empty: want canonical source fields")
	}
	if _, err := jsonable(t.Expect); err != nil {
		c.add(t.pos, name, "expect: %v", err)
	}
}
