package mapping

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"ferry/internal/plan/profile"
)

// customField builds a custom field target named name of type ctype, with its options, and
// reuses an existing destination field of that name when the types are compatible. The
// returned Reason is a suffix for the caller's reason.
func customField(entity, name, ctype string, f profile.Field, dest Schema) Field {
	out := Field{CustomField: name, Type: ctype}
	switch {
	case f.Type == profile.TypeBoolean && ctype == "enum":
		out.Options = []string{"Yes", "No"}
	case ctype == "enum" || ctype == "set":
		out.Options, out.Values = optionsFrom(f.Values)
	}
	ex, ok := dest.customByName(entity, name)
	if !ok {
		return out
	}
	if !compatible(ex.Type, ctype) {
		out.CustomField = name + " (Klipy)"
		out.Reason = fmt.Sprintf("; the existing %q is a %s field, so a new one is named %q", ex.Name, ex.Type, out.CustomField)
		return out
	}
	out.CustomField, out.Type, out.FieldCode = ex.Name, ex.Type, ex.Code
	out.Options = mergeOptions(ex.Options, out.Options)
	out.Reason = fmt.Sprintf("; reuses the existing field %q (%s)", ex.Name, ex.Code)
	return out
}

// Compatible reports whether values of Pipedrive field type want fit an existing field of
// type have: the same type, or both text (varchar, varchar_auto, text). It is the one
// definition plan (reuse), lint and the engine (schema setup) share.
func Compatible(have, want string) bool {
	text := map[string]bool{"varchar": true, "varchar_auto": true, "text": true}
	return have == want || (text[have] && text[want])
}

func compatible(have, want string) bool { return Compatible(have, want) }

// FieldKey folds a Pipedrive field name for matching an existing field: case and runs of
// white space do not count. Plan, lint and the engine match field names with it alone.
func FieldKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// optionsFrom turns enum values or set items into option labels, merging spellings that
// differ only in case and punctuation into the most frequent one (values lists the others).
func optionsFrom(vs []profile.ValueCount) ([]string, map[string]string) {
	canon := map[string]string{}
	var opts []string
	values := map[string]string{}
	for _, v := range vs { // by count, so the first spelling of a group is the most frequent
		key := fold(v.Value)
		if c, ok := canon[key]; ok {
			values[v.Value] = c
			continue
		}
		canon[key] = v.Value
		opts = append(opts, v.Value)
	}
	sort.Strings(opts)
	if len(values) == 0 {
		values = nil
	}
	return opts, values
}

// mergeOptions keeps the existing labels and adds the new ones no existing label folds to.
func mergeOptions(have []Option, want []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range have {
		out = append(out, o.Label)
		seen[fold(o.Label)] = true
	}
	for _, w := range want {
		if !seen[fold(w)] {
			out = append(out, w)
		}
	}
	return out
}

// words splits a header into lower-case words.
func words(h string) []string {
	return strings.FieldsFunc(strings.ToLower(h), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// contactLabels maps qualifier words of email and phone headers to Pipedrive item labels.
var contactLabels = map[string]string{"work": "work", "office": "work", "business": "work",
	"direct": "work", "home": "home", "personal": "home", "private": "home", "mobile": "mobile",
	"cell": "mobile", "cellphone": "mobile", "other": "other", "secondary": "other",
	"alternate": "other", "alt": "other", "2": "other", "3": "other", "main": "work"}

// synonymField maps a custom column onto a standard target when its header names one and
// its data fits: "Work Email" → emails, "Mobile Phone" → phones, "Street Address" → address.
func synonymField(entity, header string, f profile.Field, o profile.Object) (Field, bool) {
	ws := words(header)
	head, label, ok := contactHeader(ws)
	switch {
	case entity == EntityPerson && ok && head == "email" && f.Type == profile.TypeEmail:
		return synonym("emails", header, []string{TNormalizeEmail, TLabel + ":" + label}), true
	case entity == EntityPerson && ok && head == "phone" && f.Type == profile.TypePhone:
		return synonym("phones", header, []string{TPhoneE164, TLabel + ":" + label}), true
	case entity == EntityPerson && nameHeader(ws) && isText(f) && !filled(o, "first_name", "last_name"):
		return synonym("name", header, []string{TTrim}), true
	case entity == EntityOrganization && hasWord(ws, "address", "street") && isText(f):
		return synonym("address", header, []string{TJoinAddress}), true
	case entity == EntityOrganization && hasWord(ws, "revenue") && f.Type == profile.TypeMoney:
		return synonym("annual_revenue", header, []string{TParseMoney + ":" + locale(f)}), true
	case entity == EntityNote && hasWord(ws, "kind", "type", "category", "origin", "typ", "art") && namesAI(f):
		return synonym("content", header, []string{TAIDraft}), true
	case entity == EntityDeal && probabilityHeader(ws) && (f.Type == profile.TypeNumber || f.Type == profile.TypePercent):
		return synonym("probability", header, []string{TParseNumber + ":" + locale(f)}), true
	}
	return Field{}, false
}

// probabilityHeader recognises the deal's own probability ("Probability", "Deal
// probability", "Win %"), not a forecast or score of another kind.
func probabilityHeader(ws []string) bool {
	ok := map[string]bool{"deal": true, "win": true, "probability": true, "prob": true, "chance": true}
	for _, w := range ws {
		if !ok[w] {
			return false
		}
	}
	return hasWord(ws, "probability", "prob", "chance", "win")
}

func synonym(target, header string, ts []string) Field {
	return Field{Target: target, Transforms: ts, Confidence: 0.85,
		Reason: fmt.Sprintf("header %q names the %s field and the data fits", header, target)}
}

// contactHeader recognises "email"/"phone" headers made of one contact word and qualifiers.
func contactHeader(ws []string) (head, label string, ok bool) {
	label = "other"
	for _, w := range ws {
		switch {
		case w == "e": // the "E" of "E-mail"
		case w == "email" || w == "mail":
			head = "email"
		case w == "phone" || w == "telephone" || w == "tel" || w == "number":
			if head == "" {
				head = "phone"
			}
		case contactLabels[w] != "":
			label = contactLabels[w]
			if w == "mobile" || w == "cell" || w == "cellphone" {
				head = "phone"
			}
		case w == "address":
		default:
			return "", "", false
		}
	}
	return head, label, head != ""
}

// nameHeader recognises "Name", "Full Name", "Contact Name", "Display Name".
func nameHeader(ws []string) bool {
	ok := map[string]bool{"name": true, "full": true, "contact": true, "person": true, "display": true}
	for _, w := range ws {
		if !ok[w] {
			return false
		}
	}
	return hasWord(ws, "name")
}

// filled reports whether any of the named fields holds a value in the profile.
func filled(o profile.Object, names ...string) bool {
	for _, n := range names {
		if f, ok := o.Field(n); ok && f.Filled > 0 {
			return true
		}
	}
	return false
}

func hasWord(ws []string, any ...string) bool {
	for _, w := range ws {
		for _, a := range any {
			if w == a {
				return true
			}
		}
	}
	return false
}

func isText(f profile.Field) bool {
	return f.Type == profile.TypeText || f.Type == profile.TypeLongText
}

// namesAI reports whether a note column's values name AI drafts ("AI draft", "ai_follow_up")
// among other kinds of note.
func namesAI(f profile.Field) bool {
	for _, v := range f.Values {
		if isAIDraft(v.Value) {
			return true
		}
	}
	for _, v := range f.Examples {
		if isAIDraft(v) {
			return true
		}
	}
	return false
}
