package mapping

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// header is the comment at the top of mapping.yaml.
const header = `ferry mapping: how each Klipy field becomes a Pipedrive field.
Proposed by "ferry plan" from the data profile. Review and edit it, run "ferry lint", then
"ferry confirm": nothing moves until the mapping is confirmed.

objects: one per Klipy kind (source) and the Pipedrive entity it becomes (target).
Each field has exactly one of:
  target: a standard field of the entity (name, emails, phones, org_id, add_time, ...)
  custom_field: a Pipedrive custom field name, with type (varchar, text, double, monetary,
    date, enum, set, phone); enum and set need options; values maps source values to
    option labels; field_code reuses an existing field
  skip: why the field is not migrated
transforms run in order; "name:argument" passes an argument (parse_date:01/02/2006).
on_missing_parent (per object): unlink (default: a record whose organization, person or deal
  was not migrated moves without that link, and the run names it) or hold (it waits).
The comment after each source is the proposal's confidence (0..1) and reason; comments
are not read back.
tests: input rows and the request body each must become; "ferry lint" runs them. Ids and
options appear as readable placeholders (organization:cmp_1, Segment=SMB, owner:x).`

// Write renders m as mapping.yaml: a header explaining how to edit it, and after each
// object and field a comment with the proposal's reason and confidence.
//
// Error contract: it returns the writer's error or an encoding error, wrapped.
func Write(w io.Writer, m Mapping) error {
	var root yaml.Node
	if err := root.Encode(m); err != nil {
		return fmt.Errorf("encode mapping: %w", err)
	}
	decorate(&root, m)
	doc := &yaml.Node{Kind: yaml.DocumentNode, HeadComment: header, Content: []*yaml.Node{&root}}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write mapping: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write mapping: %w", err)
	}
	return nil
}

// decorate adds the reason comments and puts short lists in flow style.
func decorate(root *yaml.Node, m Mapping) {
	plainFloats(value(root, "tests"))
	objs := value(root, "objects")
	if objs == nil {
		return
	}
	for i, on := range objs.Content {
		if i >= len(m.Objects) {
			break
		}
		o := m.Objects[i]
		if v := value(on, "source"); v != nil && o.Reason != "" {
			v.LineComment = oneLine(o.Reason)
		}
		fields := value(on, "fields")
		if fields == nil {
			continue
		}
		for j, fn := range fields.Content {
			if j < len(o.Fields) {
				decorateField(fn, o.Fields[j])
			}
		}
	}
}

// decorateField comments one field and flows its lists.
func decorateField(fn *yaml.Node, f Field) {
	if v := value(fn, "source"); v != nil && (f.Reason != "" || f.Confidence > 0) {
		v.LineComment = oneLine(fmt.Sprintf("%.2f %s", f.Confidence, f.Reason))
	}
	for _, k := range []string{"transforms", "options"} {
		if v := value(fn, k); v != nil {
			v.Style = yaml.FlowStyle
		}
	}
}

// plainFloats rewrites floats the encoder put in exponent form (1.47423104e+06) in plain
// decimal form, for people reading the tests.
func plainFloats(n *yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!float" && strings.ContainsAny(n.Value, "eE") {
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) && math.Abs(f) < 1e15 {
			n.Value = strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	for _, c := range n.Content {
		plainFloats(c)
	}
}

// oneLine keeps a comment on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// key returns the key node of name in a mapping node.
func key(n *yaml.Node, name string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return n.Content[i]
		}
	}
	return nil
}

// value returns the value node of name in a mapping node.
func value(n *yaml.Node, name string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return n.Content[i+1]
		}
	}
	return nil
}
