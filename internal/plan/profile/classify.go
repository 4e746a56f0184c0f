package profile

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ferry/internal/plan/normalize"
	"ferry/internal/source"
)

// class is one thing a single value can look like; a value may match several.
type class int

const (
	cEmail class = iota
	cPhone
	cURL
	cLinkedIn
	cDomain
	cNumber
	cMoney
	cBool
	cHTML
	cMultiline
	cID
	cList
	cPercent
	cRange   // a size band: 11-50, 1000+, <10
	cClock   // a clock-style duration: 1:30, 04:30, 1:02:03
	cCountry // an ISO 3166 code or a country name
	numClasses
)

var (
	reHTML = regexp.MustCompile(`<(/?[a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?/?>`)
	reHost = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$`)
	reURL  = regexp.MustCompile(`^(?i)(https?://|www\.)\S+$`)
	// reRange matches a band of two numbers ("11-50", "1,000 to 5,000", "10–20k"), an open
	// band ("1000+", "<10", "> 500").
	reRange = regexp.MustCompile(`^(?i)(\d[\d.,']*)\s*(?:-|–|—|to|bis|à|a)\s*(\d[\d.,']*)\s*[km]?$|^\d[\d.,']*\s*[km]?\s*\+$|^(?:[<>≤≥]|up to|bis)\s*\d[\d.,']*\s*[km]?$`)
	reClock = regexp.MustCompile(`^\d{1,3}:\d\d(:\d\d)?$`)
)

// classify returns the classes a trimmed, non-empty value matches. Cheap character tests
// come first so that most values skip most parsers.
func classify(v string) [numClasses]bool {
	var c [numClasses]bool
	hasAt, hasDigit := strings.IndexByte(v, '@') >= 0, strings.IndexAny(v, "0123456789") >= 0
	if hasAt {
		_, c[cEmail] = normalize.Email(v)
	}
	if strings.IndexByte(v, ' ') < 0 && strings.IndexByte(v, '.') >= 0 {
		c[cURL] = reURL.MatchString(v)
		c[cLinkedIn] = strings.Contains(strings.ToLower(v), "linkedin.com/")
		c[cDomain] = !c[cURL] && !hasAt && strings.IndexByte(v, '/') < 0 && reHost.MatchString(v)
	}
	if hasDigit && len(v) < 40 {
		if numericEnds(v) {
			_, c[cNumber] = ParseNumber(v, "")
		}
		if moneyMarker(v) {
			_, _, c[cMoney] = ParseMoney(v, "")
		}
		c[cPhone] = looksPhone(v)
		if v[len(v)-1] == '%' {
			_, c[cPercent] = ParsePercent(v, "")
		}
		c[cRange] = isRange(v)
		c[cClock] = reClock.MatchString(v)
	}
	if !hasDigit && len(v) <= 40 {
		_, c[cCountry] = normalize.Region(v)
	}
	if len(v) <= 8 {
		_, c[cBool] = ParseBool(v)
		if v == "1" || v == "0" {
			c[cBool] = false // a 0/1 column is a number
		}
	}
	if strings.IndexByte(v, '<') >= 0 {
		c[cHTML] = reHTML.MatchString(v)
	}
	c[cMultiline] = strings.IndexByte(v, '\n') >= 0
	c[cID] = strings.IndexByte(v, '_') > 0 && allIDs(v)
	c[cList] = listSep(v) != 0
	return c
}

// isRange reports whether v is a band of numbers (the first below the second) or an open band.
func isRange(v string) bool {
	if !mayBeRange(v) {
		return false
	}
	m := reRange.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	if m[1] == "" {
		return true
	}
	lo, ok1 := ParseNumber(m[1], "")
	hi, ok2 := ParseNumber(m[2], "")
	return ok1 && ok2 && lo < hi
}

// mayBeRange is a cheap test that is true for every value reRange matches: one starting
// with a digit must end as a band does (a digit, a separator of thousands, k, m, + or a
// space), and
// other bands start with <, >, "up to" or "bis". A non-ASCII first or last byte (≤, ≥, and
// the letters case folding maps to k or s) is left to the regular expression. Most values
// with digits (ids, timestamps, phones, emails) fail it, and the expression is the profile's
// most expensive test.
func mayBeRange(v string) bool {
	if v == "" {
		return false
	}
	if first := v[0]; first < '0' || first > '9' {
		return first >= utf8.RuneSelf || strings.IndexByte("<>uUbB", first) >= 0
	}
	last := v[len(v)-1]
	return last >= utf8.RuneSelf || strings.IndexByte("0123456789.,'kKmM+ \t\n\f\r", last) >= 0
}

// looksPhone reports whether v is written like a phone number: 7 to 15 digits with a
// leading + or separators (a bare digit string is a number).
func looksPhone(v string) bool {
	digits := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits++
		case !strings.ContainsRune("+()-. /", rune(c)):
			return false
		}
	}
	if digits < 7 || digits > 15 {
		return false
	}
	return strings.HasPrefix(v, "+") || strings.ContainsAny(v, " ()-/") || strings.Count(v, ".") >= 2
}

// layoutShape is what a value must look like before it is worth parsing with a layout.
type layoutShape struct {
	minLen, maxLen int
	fixed          []sepAt // separators of numeric layouts
	named          bool    // month names: needs a letter
	digits         bool    // epoch timestamps: digits only
}

// sepAt is a separator byte at a position.
type sepAt struct {
	pos int
	c   byte
}

var shapes = buildShapes()

// buildShapes derives each layout's length range and separator positions from the
// reference time written in it.
func buildShapes() []layoutShape {
	ref := time.Date(2006, 1, 22, 15, 4, 5, 0, time.UTC)
	out := make([]layoutShape, len(DateLayouts))
	for i, l := range DateLayouts {
		if l == LayoutUnix || l == LayoutUnixMs {
			out[i] = layoutShape{minLen: 10, maxLen: 10, digits: true}
			if l == LayoutUnixMs {
				out[i].minLen, out[i].maxLen = 13, 13
			}
			continue
		}
		s := ref.Format(l)
		sh := layoutShape{minLen: len(s) - 2, maxLen: len(s) + 2}
		if strings.Contains(l, "Jan") {
			sh.named, sh.minLen, sh.maxLen = true, 6, 30
		} else {
			sh.minLen, sh.maxLen = len(s), len(s)
			if l == time.RFC3339 {
				sh.maxLen = len(s) + 15 // +01:00 instead of Z, fractions of a second
			}
			for j := 0; j < len(s) && j < 19; j++ {
				if c := s[j]; c < '0' || c > '9' {
					sh.fixed = append(sh.fixed, sepAt{j, c})
				}
			}
		}
		out[i] = sh
	}
	return out
}

// fits reports whether v has the layout's shape; month says whether v holds a month name.
func (sh layoutShape) fits(v string, month func() bool) bool {
	if len(v) < sh.minLen || len(v) > sh.maxLen {
		return false
	}
	if sh.named {
		return month()
	}
	if sh.digits {
		return strings.Trim(v, "0123456789") == ""
	}
	for _, f := range sh.fixed {
		if v[f.pos] != f.c {
			return false
		}
	}
	return true
}

// hasMonthName reports whether v holds a word starting with an English month abbreviation
// (any case), as the named date layouts need.
func hasMonthName(v string) bool {
	for i := 0; i+3 <= len(v); i++ {
		if i > 0 && isASCIILetter(v[i-1]) || !isASCIILetter(v[i]) {
			continue
		}
		if isMonthAbbr(v[i]|0x20, v[i+1]|0x20, v[i+2]|0x20) {
			return true
		}
	}
	return false
}

// isMonthAbbr reports whether a, b, c (lower case) spell an English month abbreviation.
func isMonthAbbr(a, b, c byte) bool {
	switch string([]byte{a, b, c}) {
	case "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec":
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// dateLayoutsOf calls fn with the index in DateLayouts of every layout v parses as.
func dateLayoutsOf(v string, fn func(i int)) {
	if len(v) < 6 || len(v) > 40 || v[0] > '9' && !unicode.IsLetter(rune(v[0])) ||
		strings.IndexByte(v, '@') >= 0 {
		return
	}
	known, has := false, false
	month := func() bool {
		if !known { // every named layout has a space
			known, has = true, strings.IndexByte(v, ' ') >= 0 && hasMonthName(v)
		}
		return has
	}
	for i, l := range DateLayouts {
		if !shapes[i].fits(v, month) {
			continue
		}
		if _, ok := ParseDate(v, l); ok {
			fn(i)
		}
	}
}

// allIDs reports whether every ;-separated item of v looks like a Klipy id (per_2q1f7w2ahy0lx).
func allIDs(v string) bool {
	if strings.IndexByte(v, ';') < 0 {
		return isID(v)
	}
	items := source.List(v)
	for _, it := range items {
		if !isID(it) {
			return false
		}
	}
	return len(items) > 0
}

// isID reports whether v is written like a Klipy id: 2 to 8 lower-case letters, an
// underscore, then 6 or more lower-case letters or digits.
func isID(v string) bool {
	us := strings.IndexByte(v, '_')
	if us < 2 || us > 8 || len(v)-us-1 < 6 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', i > us && c >= '0' && c <= '9', i == us:
		default:
			return false
		}
	}
	return true
}

// numericEnds reports whether v starts like a number and ends with a digit.
func numericEnds(v string) bool {
	first, last := v[0], v[len(v)-1]
	return (first >= '0' && first <= '9' || first == '-' || first == '+' || first == '.') &&
		last >= '0' && last <= '9'
}

// moneyMarker reports whether v starts or ends with something other than a digit, as an
// amount with a currency symbol or code does.
func moneyMarker(v string) bool {
	first, last := v[0], v[len(v)-1]
	return (first < '0' || first > '9') && !strings.ContainsRune("+-(", rune(first)) || last < '0' || last > '9'
}
