package profile

import (
	"strconv"
	"strings"
	"time"
)

// Epoch pseudo-layouts: a column of Unix timestamps has one of these as its Layout, and
// ParseDate reads values with it like with any Go layout.
const (
	LayoutUnix   = "unix"   // seconds since 1970-01-01 UTC: 1707121800
	LayoutUnixMs = "unixms" // milliseconds since 1970-01-01 UTC: 1707121800000
)

// DateLayouts lists the date and time layouts the profile recognises, most specific first.
// A column's layout is the one most of its values parse as; ParseDate reads values with it.
// Of two slash layouts a value fits equally, month-first comes first: a column decides
// day-first only from a value whose first number exceeds 12 (see Field.DayMonthAmbiguous).
var DateLayouts = []string{
	time.RFC3339,
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"01/02/2006 15:04",
	"02/01/2006 15:04",
	"01/02/2006",
	"02/01/2006",
	"02.01.2006 15:04",
	"02.01.2006",
	"2006/01/02",
	"Jan 2, 2006",
	"2 Jan 2006",
	"January 2, 2006",
	LayoutUnixMs,
	LayoutUnix,
}

// HasClock reports whether a date layout carries a time of day.
func HasClock(layout string) bool {
	return strings.Contains(layout, "15") || layout == LayoutUnix || layout == LayoutUnixMs
}

// swappedLayout returns the other day/month order of a slash layout ("" for any other).
func swappedLayout(layout string) string {
	switch {
	case strings.HasPrefix(layout, "01/02/"):
		return "02/01/" + layout[6:]
	case strings.HasPrefix(layout, "02/01/"):
		return "01/02/" + layout[6:]
	}
	return ""
}

// Bounds of the epoch timestamps ParseDate accepts: 2000-01-01 to 2100-01-01 UTC, so that a
// column of ten-digit numbers (phone numbers, ids) is not taken for seconds by accident.
const (
	minEpoch = 946684800
	maxEpoch = 4102444800
)

// ParseDate parses s with layout (one of DateLayouts or any Go layout) and returns the time
// in UTC. LayoutUnix and LayoutUnixMs read ten- and thirteen-digit Unix timestamps between
// 2000 and 2100. It reports false for an empty or non-matching value.
func ParseDate(s, layout string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || layout == "" {
		return time.Time{}, false
	}
	switch layout {
	case LayoutUnix:
		return parseEpoch(s, 10, 1)
	case LayoutUnixMs:
		return parseEpoch(s, 13, 1000)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// parseEpoch reads a timestamp of exactly digits digits counting per units of a second.
func parseEpoch(s string, digits int, per int64) (time.Time, bool) {
	if len(s) != digits {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s[0] == '+' || s[0] == '-' || n < minEpoch*per || n >= maxEpoch*per {
		return time.Time{}, false
	}
	return time.UnixMilli(n * (1000 / per)).UTC(), true
}

// boolWords maps the yes/no words of several languages (lower case) to their value:
// English, German, French, Spanish, Italian, Dutch, Portuguese, and checkbox marks.
var boolWords = map[string]bool{
	"yes": true, "no": false, "y": true, "n": false, "true": true, "false": false,
	"1": true, "0": false, "x": true, "✓": true, "✔": true, "☑": true, "☐": false,
	"ja": true, "nein": false, "j": true, "wahr": true, "falsch": false,
	"oui": true, "non": false, "vrai": true, "faux": false,
	"sí": true, "si": true, "verdadero": true, "falso": false,
	"nee": false, "waar": true, "onwaar": false, "sim": true, "não": false, "nao": false,
}

// ParseBool reads yes/no in several languages (yes/no, ja/nein, oui/non, sí/no, sim/não,
// ja/nee), true/false (wahr/falsch, vrai/faux), y/n, j/n, 1/0 and checkbox marks (x, ✓),
// in any case. ok is false otherwise.
func ParseBool(s string) (v, ok bool) {
	v, ok = boolWords[strings.ToLower(strings.TrimSpace(s))]
	return v, ok
}
