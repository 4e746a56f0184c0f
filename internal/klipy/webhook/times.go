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

// normDate normalises a date field: a plain date stays as it is, a timestamp (Klipy sends
// estimated_close_date as "2026-06-01T00:00:00.000Z") becomes RFC 3339 UTC like every other time.
func normDate(s string) string {
	if _, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err == nil {
		return strings.TrimSpace(s)
	}
	return normTime(s)
}

// Where an event's time came from, strongest first.
const (
	timeDocumented = iota // deal.created's deal_creation_date, the one time Klipy documents
	timeExplicit          // an undocumented time field in the data (occurred_at, …), when present
	timeMessage           // the creation second embedded in the Svix message id
	timeReceived          // when ferry first stored the event
)

// eventTime is when a deal event happened, and where that came from. Klipy's deal pages
// document one time, deal.created's deal_creation_date (https://klipy.ai/docs/webhooks/deal-created);
// deal.moved, deal.closed and deal.contact_added carry none (deal-closed even advises storing
// your own). So: the documented time; else an explicit time field when a sender adds one
// (occurred_at, timestamp, moved_at, closed_at, added_at: undocumented, read for tolerance);
// else the Svix message id's creation time, which every retry of the message shares (see
// MessageTime); else the time the event was first received.
func eventTime(e Event, d Deal) (time.Time, int) {
	if e.Type == DealCreated {
		if t, ok := parseTime(string(d.DealCreationDate)); ok {
			return t, timeDocumented
		}
	}
	for _, c := range []Text{d.OccurredAt, d.Timestamp, d.MovedAt, d.ClosedAt, d.AddedAt} {
		if t, ok := parseTime(string(c)); ok {
			return t, timeExplicit
		}
	}
	if t, ok := MessageTime(e.ID); ok {
		return t, timeMessage
	}
	return e.ReceivedAt.UTC(), timeReceived
}
