package migrate

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"

	"ferry/internal/pipedrive"
)

// markerHTML is the line appended to the note of an activity or the content of a note: it
// names the Klipy record, so the record is found again among its parent's children after a
// lost answer or a crash (activities and notes have no custom fields to carry a Klipy ID).
// The closing parenthesis makes "int_1" not match "int_12".
func markerHTML(id string) string { return "<p>(Klipy ID " + html.EscapeString(id) + ")</p>" }

// markerText is the part of the marker a lookup matches, robust to HTML rewriting.
func markerText(id string) string { return "(Klipy ID " + html.EscapeString(id) + ")" }

// send creates one record of the phase: v1 notes, v2 for the rest.
func (e *Engine) send(ctx context.Context, p phaseSpec, body pipedrive.Entity) (pipedrive.Entity, error) {
	if p.entity == "note" {
		return e.client.CreateNote(ctx, body)
	}
	return e.client.Create(ctx, p.coll, body)
}

// parentFilter picks the narrowest list filter the body names: deal, then person (an
// activity's primary participant or a note's person), then organization.
func parentFilter(body pipedrive.Entity) (url.Values, bool) {
	if id := body.Int("deal_id"); id > 0 {
		return url.Values{"deal_id": {strconv.FormatInt(id, 10)}}, true
	}
	if id := body.Int("person_id"); id > 0 {
		return url.Values{"person_id": {strconv.FormatInt(id, 10)}}, true
	}
	if parts, ok := body["participants"].([]any); ok && len(parts) > 0 {
		if m, ok := parts[0].(map[string]any); ok {
			if id := pipedrive.Entity(m).Int("person_id"); id > 0 {
				return url.Values{"person_id": {strconv.FormatInt(id, 10)}}, true
			}
		}
	}
	if id := body.Int("org_id"); id > 0 {
		return url.Values{"org_id": {strconv.FormatInt(id, 10)}}, true
	}
	return nil, false
}

// lookupChild lists the parent's activities or notes (500 a page) and finds the one whose
// text carries the record's marker. A record without any parent is looked up among all.
func (e *Engine) lookupChild(ctx context.Context, p phaseSpec, sourceID string, body pipedrive.Entity) (int64, error) {
	filter, _ := parentFilter(body)
	want := markerText(sourceID)
	var found []pipedrive.Entity
	collect := func(page []pipedrive.Entity) error {
		for _, it := range page {
			if text, _ := it[p.marker].(string); strings.Contains(html.UnescapeString(text), html.UnescapeString(want)) {
				found = append(found, it)
			}
		}
		return nil
	}
	opts := pipedrive.ListOptions{Filter: filter}
	var err error
	if p.entity == "note" {
		err = e.client.Notes(ctx, opts, collect)
	} else {
		err = e.client.List(ctx, p.coll, opts, collect)
	}
	if err != nil {
		return 0, fmt.Errorf("look up %s %s among its parent's: %w", p.entity, sourceID, err)
	}
	return lowestID(found, func(pipedrive.Entity) bool { return true }), nil
}
