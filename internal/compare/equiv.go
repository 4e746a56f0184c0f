package compare

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the ways Pipedrive writes instants and days (v2 RFC 3339, v1 "YYYY-MM-DD
// HH:MM:SS" in UTC, dates).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", time.DateOnly}

var (
	tagRe   = regexp.MustCompile(`<[^>]*>`)
	clockRe = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2}))?$`)
)

// Same reports whether got (what Pipedrive holds) is what want (what the mapping sent)
// becomes once Pipedrive has stored it: numbers compare by value (1200.5 = "1200.50"),
// instants by instant in any of Pipedrive's layouts (a day by its date), clock times and
// durations by seconds ("09:30" = "09:30:00"), HTML by its text, other text with
// whitespace collapsed. Empty values (nil, "", empty lists) are all alike.
func Same(want, got any) bool {
	if isEmpty(want) || isEmpty(got) {
		return isEmpty(want) && isEmpty(got)
	}
	if wb, ok := want.(bool); ok {
		gb, ok := asBool(got)
		return ok && wb == gb
	}
	if isNumber(want) || isNumber(got) {
		w, ok1 := asFloat(want)
		g, ok2 := asFloat(got)
		return ok1 && ok2 && math.Abs(w-g) <= 1e-9*math.Max(1, math.Abs(w))
	}
	ws, ok1 := want.(string)
	gs, ok2 := got.(string)
	if !ok1 || !ok2 {
		return Show(want) == Show(got)
	}
	return sameText(ws, gs)
}

// sameText compares two strings as instants, clock times, HTML or text.
func sameText(w, g string) bool {
	if wt, wday, ok := parseTime(w); ok {
		gt, _, ok := parseTime(g)
		if !ok {
			return false
		}
		if wday {
			return wt.Format(time.DateOnly) == gt.UTC().Format(time.DateOnly)
		}
		return wt.Equal(gt)
	}
	if wc, ok := clockSeconds(w); ok {
		gc, ok := clockSeconds(g)
		return ok && wc == gc
	}
	return HTMLText(w) == HTMLText(g)
}

// parseTime reads s in one of timeLayouts; day says it was a date without a time.
func parseTime(s string) (t time.Time, day bool, ok bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), l == time.DateOnly, true
		}
	}
	return time.Time{}, false, false
}

// clockSeconds reads "HH:MM" or "HH:MM:SS" as seconds.
func clockSeconds(s string) (int, bool) {
	m := clockRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3] + "0")
	return h*3600 + mi*60 + sec/10, true
}

// HTMLText reduces text or HTML to what a reader sees: tags removed (block ends become
// spaces), entities decoded, whitespace collapsed. Pipedrive sanitises and re-serialises
// HTML, so markup is not compared.
func HTMLText(s string) string {
	s = tagRe.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	return strings.Join(strings.Fields(s), " ")
}

// NormalEmail lower-cases and trims an address as Pipedrive stores it.
func NormalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// SamePhone compares phone numbers by their digits; a national form matches the
// international one when it is its tail of at least 7 digits (Pipedrive keeps phones as
// text and may reformat them).
func SamePhone(a, b string) bool {
	da, db := digits(a), digits(b)
	if da == db {
		return da != "" || strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	short, long := da, db
	if len(short) > len(long) {
		short, long = long, short
	}
	return len(short) >= 7 && strings.HasSuffix(long, strings.TrimLeft(short, "0"))
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	case []int64:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64, float32, int, int64, int32:
		return true
	}
	return false
}

// asFloat reads a number, or a string holding one.
func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	if f, ok := asFloat(v); ok {
		return f != 0, true
	}
	return false, false
}

// asID reads an integer id from a number, a numeric string or an {id} object (v1 nests
// some links, e.g. {"value": 5} or {"id": 5}).
func asID(v any) int64 {
	switch x := v.(type) {
	case map[string]any:
		if id := asID(x["id"]); id != 0 {
			return id
		}
		return asID(x["value"])
	case string:
		id, _ := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return id
	}
	if f, ok := asFloat(v); ok {
		return int64(f)
	}
	return 0
}

// Show renders a value for a mismatch report: JSON, without quotes for plain strings, and
// "(empty)" for empty values.
func Show(v any) string {
	if isEmpty(v) {
		return "(empty)"
	}
	if s, ok := v.(string); ok {
		return s
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
