package profile

import (
	"fmt"
	"strings"
	"unicode"

	"ferry/internal/source"
)

// threshold is the share of filled values that must fit a type for the column to have it;
// the rest are reported as anomalies.
const threshold = 0.9

// Limits of the enum and set heuristics.
const (
	maxEnumValues = 50
	maxEnumLen    = 60
	maxShortText  = 255
)

// textHeaderWords mark headers whose values are free text even when few distinct values
// occur (a "Nickname" column of five nicknames is not a pick list).
var textHeaderWords = map[string]bool{"name": true, "nickname": true, "title": true,
	"description": true, "comment": true, "comments": true, "summary": true, "subject": true,
	"body": true, "note": true, "notes": true, "alias": true}

// summary turns the accumulated counts into a Field.
func (f *fieldAcc) summary(name string, records int) Field {
	out := Field{Name: name, Custom: strings.HasPrefix(name, source.CustomPrefix),
		Filled: f.filled, Distinct: len(f.values), DistinctCapped: f.capped,
		Examples: f.examples}
	if records > 0 {
		out.FillRate = float64(f.filled) / float64(records)
	}
	if f.filled == 0 {
		out.Type, out.Confidence = TypeEmpty, 1
		return out
	}
	f.detect(&out, headerWords(name))
	return out
}

// headerWords splits a field name (custom prefix removed) into lower-case words.
func headerWords(name string) map[string]bool {
	name = strings.TrimPrefix(name, source.CustomPrefix)
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

func (f *fieldAcc) share(c class) float64 { return float64(f.classCount[c]) / float64(f.filled) }

// detect sets Type, Confidence and the type's details; the data decides, the header breaks ties.
func (f *fieldAcc) detect(out *Field, words map[string]bool) {
	idHeader := words["id"] || words["ids"]
	switch {
	case f.share(cID) >= threshold || (idHeader && f.share(cID) >= 0.5):
		f.set(out, TypeID, cID, "not a record id")
	case f.share(cEmail) >= threshold:
		f.set(out, TypeEmail, cEmail, "not a valid email")
	case f.share(cLinkedIn) >= threshold:
		f.set(out, TypeLinkedIn, cLinkedIn, "not a LinkedIn URL")
	case f.share(cURL)+f.share(cDomain) >= threshold:
		f.urlOrDomain(out, words)
	case f.share(cBool) >= threshold:
		f.set(out, TypeBoolean, cBool, "not yes/no or true/false")
		out.Values = sortedCounts(f.valueCounts())
	case f.dateShare() >= threshold:
		f.date(out)
	case f.share(cMoney) >= threshold || (f.share(cMoney) >= 0.5 && words["value"]):
		f.money(out)
	case f.share(cPhone) >= threshold:
		f.set(out, TypePhone, cPhone, "not a phone number")
	case f.share(cNumber) >= threshold:
		f.set(out, TypeNumber, cNumber, "not a number")
		out.Locale = f.locale()
	default:
		f.text(out, words)
	}
}

// set fills the type, its confidence and the anomaly of values missing class c.
func (f *fieldAcc) set(out *Field, t Type, c class, what string) {
	out.Type, out.Confidence = t, f.share(c)
	out.Anomalies = anomaly(f.classMiss[c], what)
}

func anomaly(m miss, what string) []Anomaly {
	if m.count == 0 {
		return nil
	}
	return []Anomaly{{Message: fmt.Sprintf("%d %s: %s", m.count, plural(m.count, "value"), what),
		Count: m.count, IDs: m.ids}}
}

// urlOrDomain picks url or domain for a column of web addresses.
func (f *fieldAcc) urlOrDomain(out *Field, words map[string]bool) {
	dom, url := f.classCount[cDomain], f.classCount[cURL]
	if dom > url || (dom == url && words["domain"]) {
		out.Type = TypeDomain
	} else {
		out.Type = TypeURL
	}
	out.Confidence = f.share(cURL) + f.share(cDomain)
	if n := f.filled - dom - url; n > 0 {
		out.Anomalies = []Anomaly{{Message: fmt.Sprintf("%d %s: neither a domain nor a URL", n, plural(n, "value")),
			Count: n, IDs: f.classMiss[cURL].ids}}
	}
}

// bestLayout returns the index of the date layout most values parse as (the first of
// DateLayouts on a tie, so 01/02/2006 wins over 02/01/2006 when no day exceeds 12).
func (f *fieldAcc) bestLayout() int {
	best := 0
	for i, n := range f.layoutCount {
		if n > f.layoutCount[best] {
			best = i
		}
	}
	return best
}

func (f *fieldAcc) dateShare() float64 {
	return float64(f.layoutCount[f.bestLayout()]) / float64(f.filled)
}

// date fills a date or datetime column's layout and anomalies.
func (f *fieldAcc) date(out *Field) {
	i := f.bestLayout()
	out.Layout, out.Confidence = DateLayouts[i], f.dateShare()
	out.Type = TypeDate
	if HasClock(out.Layout) {
		out.Type = TypeDateTime
	}
	out.Anomalies = anomaly(f.layoutMiss[i], "does not parse as the column's date layout "+out.Layout)
}

// money fills a monetary column's locale and main currency.
func (f *fieldAcc) money(out *Field) {
	f.set(out, TypeMoney, cMoney, "not an amount with a currency")
	out.Locale = f.locale()
	if cs := sortedCounts(f.currencies); len(cs) > 0 {
		out.Currency = cs[0].Value
	}
}

// locale returns the locale most unambiguous values vote for (US on a tie).
func (f *fieldAcc) locale() string {
	if f.locales[1] > f.locales[0] {
		return LocaleEU
	}
	return LocaleUS
}

// text tells html, set, enum, long and short text apart.
func (f *fieldAcc) text(out *Field, words map[string]bool) {
	out.Confidence = 1
	distinct := len(f.values)
	switch {
	case f.share(cHTML) >= 0.1:
		out.Type, out.Confidence = TypeHTML, max(f.share(cHTML), 0.6)
	case f.classCount[cMultiline] > 0 || f.maxLen > maxShortText:
		out.Type = TypeLongText
	case f.isSet(words):
		out.Type = TypeSet
		out.Values = limit(sortedCounts(f.items))
	case f.isEnum(words):
		out.Type = TypeEnum
		out.Confidence = max(0.5, min(1, 0.6+0.4*(1-float64(distinct*3)/float64(f.filled))))
		out.Values = sortedCounts(f.valueCounts())
	default:
		out.Type = TypeText
	}
}

// enumHeaderWords mark headers of pick lists; they tip a column with some repeats but too
// few records to be sure towards enum.
var enumHeaderWords = map[string]bool{"segment": true, "type": true, "category": true,
	"status": true, "source": true, "tier": true, "stage": true, "level": true,
	"priority": true, "region": true, "industry": true, "plan": true, "rating": true}

// isEnum reports whether a column holds few short values that repeat: three records per
// value on average, or any repeat under a pick-list header. Free-text headers never are.
func (f *fieldAcc) isEnum(words map[string]bool) bool {
	distinct := len(f.values)
	if f.capped || distinct > maxEnumValues || f.maxLen > maxEnumLen || hasAny(words, textHeaderWords) {
		return false
	}
	return distinct*3 <= f.filled || (hasAny(words, enumHeaderWords) && distinct < f.filled)
}

// setHeaderWords mark headers of multi-value columns.
var setHeaderWords = map[string]bool{"tags": true, "tag": true, "labels": true,
	"categories": true, "interests": true, "skills": true, "topics": true}

// isSet reports whether the column holds ;-separated items from a small vocabulary: fewer
// distinct items than distinct values, or items that repeat (the header breaks a tie).
func (f *fieldAcc) isSet(words map[string]bool) bool {
	if f.share(cList) < 0.05 || f.itemsCapped || len(f.items) > maxEnumValues {
		return false
	}
	return len(f.items)*3 <= f.listItems || len(f.items) < len(f.values) ||
		hasAny(words, setHeaderWords)
}

func (f *fieldAcc) valueCounts() map[string]int {
	m := make(map[string]int, len(f.values))
	for v, info := range f.values {
		m[v] = info.count
	}
	return m
}

func limit(vs []ValueCount) []ValueCount {
	if len(vs) > maxEnumValues {
		return vs[:maxEnumValues]
	}
	return vs
}

func hasAny(words, set map[string]bool) bool {
	for w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
