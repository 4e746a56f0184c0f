// Package httpwait reads the waits an HTTP server asks of its client: the one Retry-After
// parser of ferry, shared by the Pipedrive and Klipy clients.
package httpwait

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryAfter parses a Retry-After value (RFC 9110 §10.2.3): a non-negative number of seconds
// (fractions accepted, "1.5") or an HTTP date, measured from now. A date in the past waits 0.
// The wait is capped at limit. ok is false for an empty or unreadable value, which callers treat
// as "no advice", never as an error.
func RetryAfter(v string, now time.Time, limit time.Duration) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if d, ok := Seconds(v, limit); ok {
		return d, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), limit), true
}

// Seconds parses a non-negative number of seconds, fractions allowed ("2", "1.5"), capped at
// limit. ok is false for anything else (negative, NaN, text).
func Seconds(v string, limit time.Duration) (time.Duration, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		return 0, false
	}
	if f >= limit.Seconds() {
		return limit, true
	}
	return time.Duration(f * float64(time.Second)), true
}
