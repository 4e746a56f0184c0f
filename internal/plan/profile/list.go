package profile

import (
	"strconv"
	"strings"
	"time"
)

// ListSeps are the separators a multi-select column may use, in order of preference: the
// first one a value holds is its separator.
const ListSeps = ";|,"

// SplitList splits a multi-select value at sep (";", "|" or ","; "" means ";") and returns
// the trimmed, non-empty items.
func SplitList(s, sep string) []string {
	if sep == "" {
		sep = ";"
	}
	var out []string
	for _, it := range strings.Split(s, sep) {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// SplitAny splits a multi-select value at the first of ListSeps it holds ("VIP, Newsletter",
// "CRM;Analytics", "a|b"), as SplitList with that separator.
func SplitAny(s string) []string {
	sep := ";"
	if c := listSep(s); c != 0 {
		sep = string(c)
	}
	return SplitList(s, sep)
}

// listSep returns the first of ListSeps that v holds (0 when none).
func listSep(v string) byte {
	for i := 0; i < len(ListSeps); i++ {
		if strings.IndexByte(v, ListSeps[i]) >= 0 {
			return ListSeps[i]
		}
	}
	return 0
}

// Duration forms: how a duration column writes its values.
const (
	DurMinutes = "minutes" // 45, 1.5
	DurHM      = "h:mm"    // 1:30 (an hour and a half)
	DurMS      = "mm:ss"   // 04:30 (four and a half minutes)
	DurHMS     = "h:mm:ss" // 1:02:03
)

// maxDuration bounds the durations ParseDuration accepts (one week).
const maxDuration = 7 * 24 * time.Hour

// ParseDuration reads a duration written in form (DurMinutes, DurHM, DurMS or DurHMS; ""
// reads minutes, or h:mm:ss when the value has two colons). The minutes and seconds of a
// clock form must be below 60; the result is between zero and a week.
func ParseDuration(s, form string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if form == "" || form == DurMinutes {
		if form == "" && strings.Count(s, ":") == 2 {
			return ParseDuration(s, DurHMS)
		}
		n, ok := ParseNumber(s, "")
		d := time.Duration(n * float64(time.Minute))
		return d, ok && n >= 0 && d <= maxDuration
	}
	parts := strings.Split(s, ":")
	units := map[string][]time.Duration{DurHM: {time.Hour, time.Minute},
		DurMS: {time.Minute, time.Second}, DurHMS: {time.Hour, time.Minute, time.Second}}[form]
	if units == nil || len(parts) != len(units) {
		return 0, false
	}
	var d time.Duration
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p[0] == '+' || len(p) > 4 || (i > 0 && (n >= 60 || len(p) != 2)) {
			return 0, false
		}
		d += time.Duration(n) * units[i]
	}
	return d, d <= maxDuration
}
