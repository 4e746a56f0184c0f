package mapping

import (
	"errors"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"

	"ferry/internal/source"
)

// builder accumulates one record's request body.
type builder struct {
	m        Mapping
	o        Object
	entity   string
	rec      source.Record
	refs     Resolver
	body     map[string]any
	custom   map[string]any
	name     [2]string
	address  []string
	appends  map[string][]string
	emails   []any
	phones   []any
	labels   []any
	seen     map[string]bool
	types    [2]string // interaction type, channel
	hasType  bool
	pipeline string
	stage    string
	parts    []any
	partSeen map[string]bool // participant ids already in parts
	keyed    []keyedRef      // links by name, email or domain, resolved after the id links
	currency string
	problems []Problem
	linkErrs map[string][]Problem // failed id links, per target, until a name link is tried
}

// Apply turns one source record of kind into the Pipedrive request body of its entity
// (v2 shape: emails and phones as [{value, primary, label}], custom fields under
// custom_fields keyed by refs.FieldCode). A value that cannot be transformed or resolved is
// left out and reported as a Problem naming the field and the mapping line; a body missing
// a required field is reported too. Apply returns a nil body for a kind the mapping skips
// or does not have.
func Apply(m Mapping, kind source.Kind, rec source.Record, refs Resolver) (map[string]any, []Problem) {
	o, ok := m.Object(kind)
	if !ok {
		return nil, []Problem{{Field: string(kind), Message: "the mapping has no object for this kind"}}
	}
	if o.Skip != "" {
		return nil, nil
	}
	b := &builder{m: m, o: o, entity: o.Target, rec: rec, refs: refs, body: map[string]any{},
		custom: map[string]any{}, appends: map[string][]string{}, seen: map[string]bool{}}
	for _, f := range o.Fields {
		v := strings.TrimSpace(rec.Fields[f.Source])
		if f.Skip != "" || v == "" {
			continue
		}
		b.field(f, v)
	}
	b.finish()
	return b.body, b.problems
}

// problem records a problem of field f.
func (b *builder) problem(f Field, format string, args ...any) {
	b.problems = append(b.problems, Problem{Line: f.pos.line, Column: f.pos.col,
		Field: string(b.o.Source) + "." + f.Source, Message: fmt.Sprintf(format, args...)})
}

// warn records advice about field f that does not stop the record.
func (b *builder) warn(f Field, format string, args ...any) {
	b.problem(f, format, args...)
	b.problems[len(b.problems)-1].Warning = true
}

// keepAsWritten says whether a failed transform may fall back to the trimmed original value.
func keepAsWritten(transform, raw string) (string, bool) {
	if name, _ := splitTransform(transform); name == TPhoneE164 {
		return strings.TrimSpace(raw), true
	}
	return "", false
}

// field runs a field's transforms on its value and assigns the result. Emails and phones
// holding several items are split first.
func (b *builder) field(f Field, v string) {
	items := []string{v}
	if k := b.kindOf(f); k == kEmails || k == kPhones {
		items = source.List(v)
	}
	for _, it := range items {
		var out any = it
		var err error
		for _, t := range f.Transforms {
			if out, err = b.step(f, t, out); err != nil {
				if kept, ok := keepAsWritten(t, it); ok {
					// Pipedrive phones are free text: a number ferry cannot read in E.164
					// moves as written rather than costing the whole record.
					b.warn(f, "%v; kept as written", err)
					out, err = kept, nil
					continue
				}
				if b.droppable(f, t) {
					b.warn(f, "%v; the value is left out and the record moves without it", err)
				} else {
					b.problem(f, "%v", err)
				}
				break
			}
		}
		if err == nil {
			if err := b.assign(f, out); err != nil {
				b.assignFailed(f, err)
			}
		}
	}
}

// assignFailed reports a failed assignment; a failed single link waits for finishLinks,
// since a link by name may still fill its target.
func (b *builder) assignFailed(f Field, err error) {
	if hasTransform(f.Transforms, TLink) && b.kindOf(f) == kLink {
		if b.linkErrs == nil {
			b.linkErrs = map[string][]Problem{}
		}
		p := Problem{Line: f.pos.line, Column: f.pos.col, Field: string(b.o.Source) + "." + f.Source, Message: err.Error()}
		if errors.Is(err, ErrMissingParent) { // moves without the link (the engine may hold it instead)
			p.Message, p.Warning = "unlinked: "+err.Error(), true
		}
		b.linkErrs[f.Target] = append(b.linkErrs[f.Target], p)
		return
	}
	b.problem(f, "%v", err)
}

// droppable says whether a value that transform t cannot read is left out with a warning
// rather than stopping the record: any custom field's value, and the typed values of
// standard fields (dates, amounts, numbers, flags, durations, option labels). Links, owners,
// stages, names and emails stay errors: a record without them is not the record.
func (b *builder) droppable(f Field, t string) bool {
	if f.CustomField != "" {
		return true
	}
	switch name, _ := splitTransform(t); name {
	case TParseDate, TSplitDateTime, TParseNumber, TParseMoney, TBoolean, TDuration, TMapEnum,
		TListToSet, TNormalizeLinkedIn, TRegistrableDomain:
		return true
	}
	return false
}

// kindOf returns the value kind of a field's target.
func (b *builder) kindOf(f Field) vkind {
	if f.CustomField != "" {
		return customTypes[f.Type].kind
	}
	return standardTargets[b.entity][f.Target].kind
}

// assign puts a transformed value where its target wants it.
func (b *builder) assign(f Field, v any) error {
	switch x := v.(type) {
	case namePart:
		b.name[btoi(x.last)] = x.s
	case appendVal:
		b.appends[f.Target] = append(b.appends[f.Target], x.label+": "+x.text)
	case addrPart:
		b.address = append(b.address, string(x))
	case typePart:
		b.types[btoi(strings.Contains(f.Source, "channel"))], b.hasType = string(x), true
	case pipelineRef:
		b.pipeline = string(x)
	case stageRef:
		b.stage = string(x)
	case noValue:
	case keyedRef:
		x.f = f
		b.keyed = append(b.keyed, x)
	default:
		if f.CustomField != "" {
			return b.assignCustom(f, v)
		}
		return b.assignStandard(f, v)
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// assignStandard sets a standard target.
func (b *builder) assignStandard(f Field, v any) error {
	t := standardTargets[b.entity][f.Target]
	switch x := v.(type) {
	case ownerRef:
		return b.resolve(f.Target, func() (any, error) { return b.refs.OwnerID(string(x)) })
	case tagsRef:
		b.addLabels(f, x)
		return nil
	case linkRef:
		return b.link(f, t.kind, x)
	case money:
		b.body[f.Target] = roundFor(t.kind, x.amount)
		b.currency = x.currency
	case float64:
		b.body[f.Target] = roundFor(t.kind, x)
	case time.Time:
		b.body[f.Target] = x.Format(cmpOr(t.layout, rfc3339))
	case dateTime:
		b.body["due_date"], b.body["due_time"] = x.t.Format(isoDate), x.t.Format("15:04")
	case enumLabel:
		return b.resolve(f.Target, func() (any, error) { return b.refs.OptionID(b.entity, f.Target, string(x)) })
	case statusVal:
		b.body[f.Target] = string(x)
	case durationVal:
		b.body[f.Target] = string(x)
	case fileVal:
		b.body[f.Target] = string(x)
	case bool:
		b.body[f.Target] = x
	case string:
		return b.assignText(f, t.kind, x)
	default:
		return fmt.Errorf("a %T value cannot go into %s", v, f.Target)
	}
	return nil
}

// assignText sets a text value: list items, or the main text of a field appends may follow.
func (b *builder) assignText(f Field, k vkind, s string) error {
	label := cmpOr(transformArg(f.Transforms, TLabel), "work")
	switch k {
	case kEmails:
		b.emails = append(b.emails, map[string]any{"value": s, "label": label})
	case kPhones:
		b.phones = append(b.phones, map[string]any{"value": s, "label": label})
	default:
		if _, dup := b.body[f.Target]; dup {
			return fmt.Errorf("%s is already set by another field", f.Target)
		}
		b.body[f.Target] = s
	}
	return nil
}

// roundFor rounds amounts going into integer fields.
func roundFor(k vkind, x float64) any {
	if k == kInt {
		return int64(math.Round(x))
	}
	return x
}

// resolve calls a resolver and sets target, or reports the error.
func (b *builder) resolve(target string, fn func() (any, error)) error {
	id, err := fn()
	if err != nil {
		return err
	}
	b.body[target] = id
	return nil
}

// addLabels resolves tags to label ids, once each.
// A tag without a label is left out with a warning: one tag never holds back the record.
func (b *builder) addLabels(f Field, tags []string) {
	for _, tag := range tags {
		id, err := b.refs.LabelID(b.entity, tag)
		if err != nil {
			b.warn(f, "%v; the record moves without it", err)
			continue
		}
		if key := fmt.Sprint(id); !b.seen[key] {
			b.seen[key] = true
			b.labels = append(b.labels, id)
		}
	}
}

// link resolves record links: all items for participants, the first for a single link
// (the first field that resolves wins).
func (b *builder) link(f Field, k vkind, l linkRef) error {
	if k == kParticipants {
		for _, id := range l.ids {
			pid, err := b.refs.LinkID(l.entity, id)
			if errors.Is(err, ErrMissingParent) {
				b.warn(f, "unlinked: %v", err)
				continue
			}
			if err != nil {
				return err
			}
			b.addParticipant(pid)
		}
		return nil
	}
	if _, set := b.body[f.Target]; set || len(l.ids) == 0 {
		return nil
	}
	return b.resolve(f.Target, func() (any, error) { return b.refs.LinkID(l.entity, l.ids[0]) })
}

// addParticipant adds a person to the participants once; the first is primary.
func (b *builder) addParticipant(pid any) {
	key := fmt.Sprint(pid)
	if b.partSeen[key] {
		return
	}
	if b.partSeen == nil {
		b.partSeen = map[string]bool{}
	}
	b.partSeen[key] = true
	b.parts = append(b.parts, map[string]any{"person_id": pid, "primary": len(b.parts) == 0})
}

// assignCustom sets a custom field value in the shape its Pipedrive type takes.
func (b *builder) assignCustom(f Field, v any) error {
	code, err := b.refs.FieldCode(b.entity, f.CustomField, f.FieldCode)
	if err != nil {
		return err
	}
	val, err := b.customValue(f, v)
	if err != nil {
		return err
	}
	b.custom[code] = val
	return nil
}

// customValue converts a transformed value for a custom field of f.Type.
func (b *builder) customValue(f Field, v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		if f.Type == "date" {
			return x.Format(isoDate), nil
		}
		return x.Format(rfc3339), nil
	case money:
		if f.Type == "monetary" {
			return map[string]any{"value": x.amount, "currency": x.currency}, nil
		}
		return x.amount, nil
	case float64:
		if f.Type == "double" {
			return x, nil
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return b.refs.OptionID(b.entity, f.CustomField, map[bool]string{true: "Yes", false: "No"}[x])
	case enumLabel:
		return b.refs.OptionID(b.entity, f.CustomField, string(x))
	case setLabels:
		ids := make([]any, 0, len(x))
		for _, l := range x {
			id, err := b.refs.OptionID(b.entity, f.CustomField, l)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, nil
	case string:
		return x, nil
	}
	return nil, fmt.Errorf("a %T value cannot go into a %s custom field", v, f.Type)
}

// escapeLine renders an appended line as an HTML paragraph.
func escapeLine(s string) string { return "<p>" + html.EscapeString(s) + "</p>" }
