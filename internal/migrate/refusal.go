package migrate

import (
	"errors"
	"fmt"
	"strings"

	"ferry/internal/pipedrive"
)

// ErrRefused is wrapped (with ErrUnmappable) when Pipedrive would refuse a create body: the
// request is not sent and the record is quarantined with the rule it breaks.
var ErrRefused = errors.New("Pipedrive would refuse it")

// refusedPrefix starts the id-map reason of a create Pipedrive answered with a 4xx: it is not
// sent again until its request body (the fingerprint) changes.
const refusedPrefix = "refused by Pipedrive: "

// refusal returns why Pipedrive would refuse the create body of entity, "" when nothing
// known refuses it. The rules are Pipedrive's own (API-NOTES.md and the OpenAPI documents'
// required fields): a note needs content and a deal, person, organization, lead, project or
// task; an organization needs a name, a deal a title, a person a name (or first and last
// name).
func refusal(entity string, body pipedrive.Entity) string {
	switch entity {
	case "note":
		if blank(body, "content") {
			return "a note needs content"
		}
		if !linked(body, "deal_id", "person_id", "org_id", "lead_id", "project_id", "task_id") {
			return "a note needs a deal, person, organization or lead, and this one names none that was migrated"
		}
	case "organization":
		if blank(body, "name") {
			return "an organization needs a name"
		}
	case "deal":
		if blank(body, "title") {
			return "a deal needs a title"
		}
	case "person":
		if blank(body, "name") && (blank(body, "first_name") || blank(body, "last_name")) {
			return "a person needs a name"
		}
	}
	return ""
}

// blank reports whether key is absent or blank text.
func blank(body pipedrive.Entity, key string) bool {
	v, ok := body[key]
	if !ok || v == nil {
		return true
	}
	s, isText := v.(string)
	return isText && strings.TrimSpace(s) == ""
}

// linked reports whether any of the link keys holds an id (a positive number, or a lead's
// UUID).
func linked(body pipedrive.Entity, keys ...string) bool {
	for _, k := range keys {
		if body.Int(k) > 0 {
			return true
		}
		if s, ok := body[k].(string); ok && strings.TrimSpace(s) != "" {
			return true
		}
	}
	return false
}

// refusedErr wraps a refusal as an unmappable record.
func refusedErr(why string) error {
	return fmt.Errorf("%w: %w: %s", ErrUnmappable, ErrRefused, why)
}

// clientRefused reports whether a create's error is Pipedrive refusing the request itself (a
// 4xx other than the rate limit, the budget, an edge block or a rejected token): sending the
// same body again would be refused again.
func clientRefused(err error) (*pipedrive.APIError, bool) {
	var ae *pipedrive.APIError
	if !errors.As(err, &ae) || ae.Status < 400 || ae.Status >= 500 || stopsRun(err) {
		return nil, false
	}
	return ae, true
}

// stillRefused reports whether a record Pipedrive refused is about to be sent with the same
// body again: it is not sent.
func stillRefused(fp string, prev string, prevReason string, failed bool) bool {
	return failed && prev != "" && prev == fp && strings.HasPrefix(prevReason, refusedPrefix)
}
