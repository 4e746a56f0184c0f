package webhook

import (
	"strconv"
	"strings"
	"time"
)

// parseTime reads a payload time: RFC 3339 (with or without fraction), "2006-01-02T15:04:05"
// (taken as UTC), a date, or Unix seconds or milliseconds (a number above 1e11 is read as ms).
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e11 || n < -1e11 {
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// rfc formats t as RFC 3339 in UTC, to the second.
func rfc(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// normTime returns s as RFC 3339 UTC when it parses, else verbatim.
func normTime(s string) string {
	if t, ok := parseTime(s); ok {
		return rfc(t)
	}
	return s
}

// eventTime is when a deal event happened: for deal.created its deal_creation_date; for the
// others the first explicit time in the data (occurred_at, timestamp, moved_at, closed_at,
// added_at). Klipy documents none of those, so without one the time the event was first
// received stands in (ok is false then).
func eventTime(e Event, d Deal) (t time.Time, ok bool) {
	candidates := []Text{d.OccurredAt, d.Timestamp, d.MovedAt, d.ClosedAt, d.AddedAt}
	if e.Type == DealCreated {
		candidates = append([]Text{d.DealCreationDate}, candidates...)
	}
	for _, c := range candidates {
		if t, ok := parseTime(string(c)); ok {
			return t, true
		}
	}
	return e.ReceivedAt.UTC(), false
}
