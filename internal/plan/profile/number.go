package profile

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Money locales: how a monetary or numeric value writes its separators.
const (
	LocaleUS = "us" // 1,200.50
	LocaleEU = "eu" // 1.200,50
)

// currencySymbols maps symbols to ISO 4217 codes, longer symbols first.
var currencySymbols = []struct{ sym, code string }{{"US$", "USD"}, {"CHF", "CHF"}, {"C$", "CAD"},
	{"A$", "AUD"}, {"R$", "BRL"}, {"Fr.", "CHF"}, {"zł", "PLN"}, {"$", "USD"}, {"€", "EUR"},
	{"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"}, {"₺", "TRY"}, {"₪", "ILS"}, {"₩", "KRW"}}

// ParseMoney parses an amount with a currency marker before or after it ("$1,200.50",
// "1.200,50 €", "EUR 300", "300USD", "CHF 1'250.-", "1 234,56 €", "1.500,- €") written in
// locale (LocaleUS or LocaleEU; "" guesses from the value). It returns the amount and the
// ISO currency code; ok is false when there is no currency marker or the number does not
// parse (see ParseNumber for the separators it accepts).
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
	if len(s) > 3 && isCode(s[:3]) && startsNumeric(s[3:]) {
		return strings.TrimSpace(s[3:]), s[:3]
	}
	if n := len(s); n > 3 && isCode(s[n-3:]) && endsNumeric(s[:n-3]) {
		return strings.TrimSpace(s[:n-3]), s[n-3:]
	}
	return s, ""
}

// currencyEdge reports whether b can be the first or last byte of a currency symbol or code.
func currencyEdge(b byte) bool {
	return b == '$' || b >= 0x80 || b >= 'A' && b <= 'Z' || b == '.' || b == 'F' || b == 'z'
}

func startsNumeric(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (unicode.IsDigit(rune(s[0])) || s[0] == '-')
}

// endsNumeric reports whether s ends with a digit, or with the ",-" of a whole amount.
func endsNumeric(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "-"), "-")
	return s != "" && (unicode.IsDigit(rune(s[len(s)-1])) || s[len(s)-1] == ',' || s[len(s)-1] == '.')
}

func isCode(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return len(s) == 3
}

// thinGroups are the grouping marks that are never a decimal mark: space, no-break space,
// narrow no-break space, apostrophe and right single quote ("1 234,56", "1'234.56").
const thinGroups = " \u00a0\u202f'’"

// ParseNumber parses a plain number written in locale (LocaleUS: "1,200.5"; LocaleEU:
// "1.200,5"; "" accepts either when the value is unambiguous, US when it is not). A value
// holding both '.' and ',' is read by its own marks (the last is the decimal mark), so one
// "$12,500.00" in an EU column is not read as 12.5. Thousands
// may also be grouped with a space, a no-break space or an apostrophe, in which case the one
// '.' or ',' left is the decimal mark whatever the locale; a whole amount may end in ",-" or
// ".-" ("1.500,-"). Groups must have three digits; exponents, NaN and Inf are refused.
func ParseNumber(s, locale string) (float64, bool) {
	s, mark := trimWholeMark(strings.TrimSpace(s))
	if mark == ',' && locale == "" {
		locale = LocaleEU // "1.500,-": the comma is the decimal mark
	}
	if s == "" || !utf8.ValidString(s) {
		return 0, false
	}
	if strings.ContainsAny(s, thinGroups) {
		return parseThinGrouped(s)
	}
	if locale == "" || strings.Contains(s, ".") && strings.Contains(s, ",") {
		locale = NumberLocale(s) // both marks: the last one is the decimal mark, whatever the column says
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
	return parseFloat(s)
}

// trimWholeMark drops the ",-", ".-" or ",--" that ends a whole amount ("1.500,-") and
// returns the decimal mark it shows (0 when there was none).
func trimWholeMark(s string) (string, byte) {
	for _, suf := range []string{",--", ",-", ".-", ".--"} {
		if rest, ok := strings.CutSuffix(s, suf); ok && rest != "" && rest[len(rest)-1] >= '0' && rest[len(rest)-1] <= '9' {
			return rest, suf[0]
		}
	}
	return s, 0
}

// parseThinGrouped reads a number grouped with thinGroups marks: at most one '.' or ',',
// after the groups, is the decimal mark.
func parseThinGrouped(s string) (float64, bool) {
	intPart, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if strings.ContainsAny(intPart, ".,") || strings.ContainsAny(frac, thinGroups) || frac == "" {
			return 0, false
		}
	}
	sign := ""
	if strings.HasPrefix(intPart, "-") {
		sign, intPart = "-", intPart[1:]
	}
	parts := splitThin(intPart)
	if len(parts) < 2 {
		return 0, false
	}
	for i, p := range parts {
		if p == "" || (i > 0 && len(p) != 3) || (i == 0 && len(p) > 3) {
			return 0, false
		}
	}
	n := sign + strings.Join(parts, "")
	if frac != "" {
		n += "." + frac
	}
	return parseFloat(n)
}

// splitThin splits s at every thinGroups mark (an empty part shows a doubled, leading or
// trailing mark).
func splitThin(s string) []string {
	var parts []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune(thinGroups, r) {
			parts = append(parts, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(parts, s[start:])
}

// parseFloat reads a plain decimal number: digits, one optional sign and one optional point.
func parseFloat(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "eEnNxX_ipP") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
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

// ParsePercent parses a percentage written with a trailing % ("45%", "12,5 %", "-3.5%") in
// locale and returns the number as written (45 for "45%"). ok is false without the sign.
func ParsePercent(s, locale string) (float64, bool) {
	num, ok := strings.CutSuffix(strings.TrimSpace(s), "%")
	if !ok {
		return 0, false
	}
	return ParseNumber(num, locale)
}

// ParseNumeric parses a number (ParseNumber) or a percentage (ParsePercent).
func ParseNumeric(s, locale string) (float64, bool) {
	if n, ok := ParsePercent(s, locale); ok {
		return n, true
	}
	return ParseNumber(s, locale)
}
