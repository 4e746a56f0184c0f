package profile

import (
	"fmt"
	"slices"
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

// fits reports whether n of the filled values are enough for a type whose misfits are
// listed and left out: 90%, or in a small column all but one or two (and three quarters),
// so that one "someday" among eight dates keeps the column a date.
func (f *fieldAcc) fits(n int) bool {
	return float64(n) >= threshold*float64(f.filled) || (f.filled-n <= 2 && 4*n >= 3*f.filled)
}

// dateHeaderWords mark headers of dates and times; they let a column of ten-digit numbers
// be read as Unix seconds.
var dateHeaderWords = map[string]bool{"date": true, "datum": true, "time": true, "timestamp": true,
	"at": true, "created": true, "updated": true, "modified": true, "epoch": true, "unix": true,
	"when": true, "fecha": true, "heure": true, "zeit": true, "erstellt": true, "due": true,
	"closed": true, "ts": true, "s": true, "sec": true, "secs": true, "seconds": true}

// durationHeaderWords mark headers of durations; they let a column of 1:30 values be
// durations rather than times of day.
var durationHeaderWords = map[string]bool{"duration": true, "dauer": true, "durée": true,
	"duree": true, "duración": true, "duracion": true, "length": true, "minutes": true,
	"min": true, "mins": true, "duur": true, "spent": true}

// countryHeaderWords mark headers of countries.
var countryHeaderWords = map[string]bool{"country": true, "land": true, "pays": true, "país": true,
	"pais": true, "paese": true, "nation": true, "staat": true, "countries": true}

// detect sets Type, Confidence and the type's details; the data decides, the header breaks ties.
// A type whose values can be read (dates, money, numbers, booleans) is kept when a few values
// do not fit (they are listed as anomalies); a column holding bands like 11-50 is never a number.
func (f *fieldAcc) detect(out *Field, words map[string]bool) {
	idHeader := words["id"] || words["ids"]
	numeric := f.classCount[cNumber] + f.classCount[cPercent]
	switch {
	case f.share(cID) >= threshold || (idHeader && f.share(cID) >= 0.5):
		f.set(out, TypeID, cID, "not a record id")
	case f.share(cEmail) >= threshold:
		f.set(out, TypeEmail, cEmail, "not a valid email")
	case f.share(cLinkedIn) >= threshold:
		f.set(out, TypeLinkedIn, cLinkedIn, "not a LinkedIn URL")
	case f.share(cURL)+f.share(cDomain) >= threshold:
		f.urlOrDomain(out, words)
	case f.fits(f.classCount[cBool]):
		f.set(out, TypeBoolean, cBool, "not yes/no or true/false")
		out.Values = sortedCounts(f.valueCounts())
	case f.fits(f.layoutCount[f.bestLayout(words)]):
		f.date(out, words)
	case f.fits(f.classCount[cMoney]) || (f.share(cMoney) >= 0.5 && words["value"]):
		f.money(out)
	case f.share(cPhone) >= threshold:
		f.set(out, TypePhone, cPhone, "not a phone number")
	case f.fits(f.classCount[cClock]) && hasAny(words, durationHeaderWords):
		f.duration(out, words)
	case f.classCount[cRange] == 0 && f.classCount[cPercent] > 0 && f.fits(numeric):
		f.percent(out)
	case f.classCount[cRange] == 0 && f.fits(f.classCount[cNumber]):
		f.set(out, TypeNumber, cNumber, "not a number")
		out.Locale = f.locale()
	case f.fits(f.classCount[cCountry]) && (hasAny(words, countryHeaderWords) || f.isoCodes()):
		f.set(out, TypeCountry, cCountry, "not a country")
	default:
		f.text(out, words)
	}
}

// percent fills a column of percentages (plain numbers among them count as fitting).
func (f *fieldAcc) percent(out *Field) {
	n := f.classCount[cNumber] + f.classCount[cPercent]
	out.Type, out.Confidence = TypePercent, float64(n)/float64(f.filled)
	out.Locale = f.locale()
	if k := f.filled - n; k > 0 {
		m := f.classMiss[cPercent]
		out.Anomalies = anomaly(miss{count: k, ids: m.ids, values: m.values}, "not a percentage")
	}
}

// duration fills a column of clock-style durations: h:mm:ss when a value has seconds,
// mm:ss when the header says seconds or a first part exceeds 23, else h:mm.
func (f *fieldAcc) duration(out *Field, words map[string]bool) {
	f.set(out, TypeDuration, cClock, "not a duration")
	out.Layout = DurHM
	for v := range f.values {
		switch first, _, _ := strings.Cut(v, ":"); {
		case strings.Count(v, ":") == 2:
			out.Layout = DurHMS
			return
		case len(first) > 2 || first > "23" && len(first) == 2:
			out.Layout = DurMS
		}
	}
	if words["sec"] || words["seconds"] || words["ss"] {
		out.Layout = DurMS
	}
}

// isoCodes reports whether the column's tracked values are all two-letter upper-case codes.
func (f *fieldAcc) isoCodes() bool {
	for v := range f.values {
		if len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' {
			return false
		}
	}
	return len(f.values) > 1
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
		Count: m.count, IDs: m.ids, Values: m.values}}
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
			Count: n, IDs: f.classMiss[cURL].ids, Values: f.classMiss[cURL].values}}
	}
}

// bestLayout returns the index of the date layout most values parse as (the first of
// DateLayouts on a tie, so 01/02/2006 wins over 02/01/2006 when no day exceeds 12). Unix
// seconds count only under a date header: ten-digit numbers are often phone numbers or ids.
func (f *fieldAcc) bestLayout(words map[string]bool) int {
	best := 0
	for i, n := range f.layoutCount {
		if DateLayouts[i] == LayoutUnix && !hasAny(words, dateHeaderWords) {
			continue
		}
		if n > f.layoutCount[best] {
			best = i
		}
	}
	return best
}

// date fills a date or datetime column's layout and anomalies, and flags a slash-date
// column whose day/month order no value decides.
func (f *fieldAcc) date(out *Field, words map[string]bool) {
	i := f.bestLayout(words)
	out.Layout = DateLayouts[i]
	out.Confidence = float64(f.layoutCount[i]) / float64(f.filled)
	out.Type = TypeDate
	if HasClock(out.Layout) {
		out.Type = TypeDateTime
	}
	if sw := swappedLayout(out.Layout); sw != "" && f.layoutCount[slices.Index(DateLayouts, sw)] == f.layoutCount[i] {
		out.DayMonthAmbiguous = true
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
		out.ListSep = f.listSep()
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
	"priority": true, "region": true, "industry": true, "plan": true, "rating": true,
	"size": true, "language": true, "lang": true, "lifecycle": true, "phase": true, "kind": true,
	"group": true, "class": true, "band": true, "range": true, "sprache": true, "langue": true,
	"idioma": true, "größe": true, "grösse": true, "taille": true, "tamaño": true, "typ": true,
	"quelle": true, "kategorie": true, "branche": true, "origine": true, "origen": true}

// maxBandValues is how many distinct bands (11-50, 1000+) a column of bands may have and
// still be an option set even when no band repeats.
const maxBandValues = 12

// isEnum reports whether a column holds few short values that repeat: three records per
// value on average, any repeat under a pick-list header, or a handful of bands like 11-50
// (a size column of a small file). Free-text headers never are.
func (f *fieldAcc) isEnum(words map[string]bool) bool {
	distinct := len(f.values)
	if f.capped || distinct > maxEnumValues || f.maxLen > maxEnumLen || hasAny(words, textHeaderWords) {
		return false
	}
	return distinct*3 <= f.filled || (hasAny(words, enumHeaderWords) && distinct < f.filled) ||
		(f.share(cRange) >= threshold && distinct <= maxBandValues)
}

// setHeaderWords mark headers of multi-value columns.
var setHeaderWords = map[string]bool{"tags": true, "tag": true, "labels": true,
	"categories": true, "interests": true, "skills": true, "topics": true, "products": true,
	"features": true, "modules": true, "services": true, "languages": true, "channels": true}

// isSet reports whether the column holds ;-separated items from a small vocabulary: fewer
// distinct items than distinct values, or items that repeat (the header breaks a tie).
func (f *fieldAcc) isSet(words map[string]bool) bool {
	if f.share(cList) < 0.05 || f.itemsCapped || len(f.items) > maxEnumValues || f.maxItemLen > maxEnumLen {
		return false
	}
	return len(f.items)*3 <= f.listItems || len(f.items) < len(f.values) ||
		hasAny(words, setHeaderWords) || (f.listItems > len(f.items) && f.share(cList) >= 0.2 && f.listSep() != ",")
}

// listSep returns the separator most list values use when it is not ";" ("" otherwise).
func (f *fieldAcc) listSep() string {
	best := 0
	for i, n := range f.listSeps {
		if n > f.listSeps[best] {
			best = i
		}
	}
	if best == 0 {
		return ""
	}
	return ListSeps[best : best+1]
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
