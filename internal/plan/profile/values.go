package profile

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// DateLayouts lists the date and time layouts the profile recognises, most specific first.
// A column's layout is the one most of its values parse as; ParseDate reads values with it.
var DateLayouts = []string{
	time.RFC3339,
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02",
	"01/02/2006 15:04",
	"02/01/2006 15:04",
	"01/02/2006",
	"02/01/2006",
	"02.01.2006",
	"2006/01/02",
	"Jan 2, 2006",
	"2 Jan 2006",
	"January 2, 2006",
}

// HasClock reports whether a date layout carries a time of day.
func HasClock(layout string) bool { return strings.Contains(layout, "15") }

// ParseDate parses s with layout (one of DateLayouts or any Go layout) and returns the time
// in UTC. It reports false for an empty or non-matching value.
func ParseDate(s, layout string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || layout == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// Money locales: how a monetary or numeric value writes its separators.
const (
	LocaleUS = "us" // 1,200.50
	LocaleEU = "eu" // 1.200,50
)

// currencySymbols maps symbols to ISO 4217 codes, longer symbols first.
var currencySymbols = []struct{ sym, code string }{{"US$", "USD"}, {"CHF", "CHF"}, {"C$", "CAD"},
	{"A$", "AUD"}, {"R$", "BRL"}, {"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"}}

// ParseMoney parses an amount with a currency marker ("$1,200.50", "1.200,50 €",
// "EUR 300", "300 USD") written in locale (LocaleUS or LocaleEU; "" guesses from the value).
// It returns the amount and the ISO currency code; ok is false when there is no currency
// marker or the number does not parse.
func ParseMoney(s, locale string) (amount float64, currency string, ok bool) {
	num, cur := splitCurrency(strings.TrimSpace(s))
	if cur == "" {
		return 0, "", false
	}
	amount, ok = ParseNumber(num, locale)
	return amount, cur, ok
}

// splitCurrency separates a leading or trailing currency symbol or 3-letter code.
func splitCurrency(s string) (num, cur string) {
	if s == "" || !currencyEdge(s[0]) && !currencyEdge(s[len(s)-1]) {
		return s, ""
	}
	for _, c := range currencySymbols {
		if rest, ok := strings.CutPrefix(s, c.sym); ok && startsNumeric(rest) {
			return strings.TrimSpace(rest), c.code
		}
		if rest, ok := strings.CutSuffix(s, c.sym); ok && endsNumeric(rest) {
			return strings.TrimSpace(rest), c.code
		}
	}
	if len(s) > 4 && isCode(s[:3]) && s[3] == ' ' {
		return strings.TrimSpace(s[4:]), s[:3]
	}
	if n := len(s); n > 4 && isCode(s[n-3:]) && s[n-4] == ' ' {
		return strings.TrimSpace(s[:n-4]), s[n-3:]
	}
	return s, ""
}

// currencyEdge reports whether b can be the first or last byte of a currency symbol or code.
func currencyEdge(b byte) bool { return b == '$' || b >= 0x80 || b >= 'A' && b <= 'Z' }

func startsNumeric(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (unicode.IsDigit(rune(s[0])) || s[0] == '-')
}

func endsNumeric(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && unicode.IsDigit(rune(s[len(s)-1]))
}

func isCode(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return len(s) == 3
}

// ParseNumber parses a plain number written in locale (LocaleUS: "1,200.5"; LocaleEU:
// "1.200,5"; "" accepts either when the value is unambiguous, US when it is not).
func ParseNumber(s, locale string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if locale == "" {
		locale = NumberLocale(s)
	}
	group, dec := ",", "."
	if locale == LocaleEU {
		group, dec = ".", ","
	}
	if !groupedOK(s, group, dec) {
		return 0, false
	}
	s = strings.ReplaceAll(s, group, "")
	s = strings.Replace(s, dec, ".", 1)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eEnNxX_") {
		return 0, false
	}
	return f, true
}

// groupedOK checks that group separators sit every three digits before the decimal mark.
func groupedOK(s, group, dec string) bool {
	intPart, _, _ := strings.Cut(s, dec)
	parts := strings.Split(strings.TrimPrefix(intPart, "-"), group)
	for i, p := range parts {
		if p == "" || (i > 0 && len(p) != 3) || (i == 0 && len(parts) > 1 && len(p) > 3) {
			return false
		}
	}
	return true
}

// NumberLocale guesses how a single number writes its separators: LocaleEU when its last
// separator is a comma followed by one, two or more-than-three digits, or when dots group
// thousands before it; LocaleUS otherwise. "1,200" is read as US.
func NumberLocale(s string) string {
	lastComma, lastDot := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	switch {
	case lastComma > lastDot && lastDot >= 0:
		return LocaleEU
	case lastComma >= 0 && lastDot < 0 && len(s)-lastComma-1 != 3:
		return LocaleEU
	case lastDot >= 0 && strings.Count(s, ".") > 1:
		return LocaleEU
	}
	return LocaleUS
}

// ParseBool reads yes/no, true/false, y/n and 1/0 (any case). ok is false otherwise.
func ParseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "y", "1", "x", "✓":
		return true, true
	case "no", "false", "n", "0":
		return false, true
	}
	return false, false
}
