package mapping

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"ferry/internal/plan/normalize"
	"ferry/internal/plan/profile"
	"ferry/internal/source"
)

// Intermediate values the transforms produce; assign decides what each becomes.
type (
	namePart struct {
		last bool
		s    string
	}
	dateTime  struct{ t time.Time }
	enumLabel string
	setLabels []string
	money     struct {
		amount   float64
		currency string
	}
	linkRef struct {
		entity string
		ids    []string
	}
	// keyedRef links by a key other than the id (keyedLinks); f is set by assign.
	keyedRef struct {
		f          Field
		entity, by string
		values     []string
	}
	ownerRef    string
	tagsRef     []string
	stageRef    string
	pipelineRef string
	statusVal   string
	typePart    string
	durationVal string
	appendVal   struct{ label, text string }
	addrPart    string
	fileVal     string
	noValue     struct{} // the value says nothing to migrate (an ai_draft flag that is false)
)

var htmlPolicy = bluemonday.UGCPolicy()

// step runs one transform on a value.
func (b *builder) step(f Field, t string, v any) (any, error) {
	name, arg := splitTransform(t)
	if name == TLabel {
		return v, nil // read by assignText
	}
	s, isString := v.(string)
	if !isString {
		return nil, fmt.Errorf("transform %s needs text, got the output of an earlier transform", name)
	}
	switch name {
	case TTrim:
		return strings.TrimSpace(s), nil
	case TNormalizeEmail:
		return check(normalize.Email(s))("not a valid email: %q", s)
	case TPhoneE164:
		region := b.phoneRegion(arg)
		return check(normalize.Phone(s, region))("not a valid phone number: %q", s)
	case TRegistrableDomain:
		return check(normalize.Domain(s))("no registrable domain in %q", s)
	case TNormalizeLinkedIn:
		return check(normalize.LinkedIn(s))("not a LinkedIn profile URL: %q", s)
	case TJoinName:
		return namePart{arg == "last", s}, nil
	case TParseDate, TSplitDateTime:
		return parseDate(name, arg, s)
	case TSanitizeHTML:
		return strings.TrimSpace(htmlPolicy.Sanitize(s)), nil
	case TMapEnum:
		return mapEnum(f, s)
	case TParseMoney:
		loc, def, _ := moneyArg(arg) // checked by validate
		a, cur, ok := profile.ParseMoney(s, loc)
		if !ok {
			if n, ok := profile.ParseNumber(s, loc); ok {
				return money{n, def}, nil
			}
			return nil, fmt.Errorf("not an amount: %q", s)
		}
		if cur == "" {
			cur = def
		}
		return money{a, cur}, nil
	case TParseNumber:
		return check(profile.ParseNumeric(s, arg))("not a number: %q", s)
	case TBoolean:
		return check(profile.ParseBool(s))("not yes/no, true/false, 1/0 or x (in English, German, French, Spanish, Dutch or Portuguese): %q", s)
	}
	return b.stepRef(f, name, arg, s)
}

// stepRef runs the transforms that refer to other records or decisions.
func (b *builder) stepRef(f Field, name, arg, s string) (any, error) {
	switch name {
	case TListToSet:
		return mapSet(f, s, arg)
	case TLink:
		return linkRef{arg, source.List(s)}, nil
	case TLinkName, TLinkDomain:
		return keyedRef{entity: arg, by: keyedLinks[name], values: []string{s}}, nil
	case TLinkEmail:
		return keyedRef{entity: arg, by: ByEmail, values: source.List(s)}, nil
	case TOwner:
		return ownerRef(s), nil
	case TLabels:
		return tagsRef(profile.SplitList(s, arg)), nil
	case TStage:
		return stageRef(s), nil
	case TPipeline:
		return pipelineRef(s), nil
	case TDealStatus:
		st := strings.ToLower(s)
		if st != "open" && st != "won" && st != "lost" {
			return nil, fmt.Errorf("deal status %q is not open, won or lost", s)
		}
		return statusVal(st), nil
	case TActivityType:
		return typePart(s), nil
	case TDuration:
		d, ok := profile.ParseDuration(s, arg)
		if !ok {
			return nil, fmt.Errorf("not a duration (%s) of at most a week: %q", cmpOr(arg, profile.DurMinutes), s)
		}
		m := int(math.Round(d.Minutes()))
		return durationVal(fmt.Sprintf("%02d:%02d", m/60, m%60)), nil
	case TAppend:
		return appendVal{arg, s}, nil
	case TJoinAddress:
		return addrPart(s), nil
	case TFilePath:
		return fileVal(s), nil
	case TAIDraft:
		if !isAIDraft(s) {
			return noValue{}, nil
		}
		return appendVal{"AI draft", "a follow-up drafted by Klipy AI, kept as a draft (not sent)"}, nil
	case TConversation:
		return appendVal{"Source conversation", b.conversation(s)}, nil
	}
	return nil, fmt.Errorf("unknown transform %q", name)
}

// check turns a (value, ok) pair into (value, error).
func check[T any](v T, ok bool) func(format string, args ...any) (any, error) {
	return func(format string, args ...any) (any, error) {
		if !ok {
			return nil, fmt.Errorf(format, args...)
		}
		return v, nil
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parseDate reads a date with the transform's layout.
func parseDate(name, layout, s string) (any, error) {
	t, ok := profile.ParseDate(s, layout)
	if !ok {
		return nil, fmt.Errorf("%q does not parse as %s", s, layout)
	}
	if name == TSplitDateTime {
		return dateTime{t}, nil
	}
	return t, nil
}

// mapEnum returns the option label of a value: through values, else the option that folds
// equal, else (a field without options, like industry) the value itself.
func mapEnum(f Field, s string) (any, error) {
	if l, ok := f.Values[s]; ok {
		return enumLabel(l), nil
	}
	for _, o := range f.Options {
		if fold(o) == fold(s) {
			return enumLabel(o), nil
		}
	}
	if len(f.Options) == 0 {
		return enumLabel(s), nil
	}
	return nil, fmt.Errorf("value %q has no option (options: %s; add it to options or values)", s, strings.Join(f.Options, ", "))
}

// phoneRegion returns the region a phone_e164 argument names: an ISO code, or "@field" for
// the country (code or name) in that field of the same record; default_region otherwise.
func (b *builder) phoneRegion(arg string) string {
	field, ok := strings.CutPrefix(arg, "@")
	if !ok {
		return cmpOr(arg, b.m.DefaultRegion)
	}
	if r, ok := normalize.Region(b.rec.Fields[field]); ok {
		return r
	}
	return b.m.DefaultRegion
}

// mapSet maps each item of a list (split at sep, ";" when empty) to its option label.
func mapSet(f Field, s, sep string) (any, error) {
	var out setLabels
	for _, it := range profile.SplitList(s, sep) {
		l, err := mapEnum(f, it)
		if err != nil {
			return nil, err
		}
		out = append(out, string(l.(enumLabel)))
	}
	return out, nil
}
