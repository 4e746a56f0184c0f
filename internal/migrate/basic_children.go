package migrate

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// interactionBody maps a Klipy interaction to a done activity on its original day and time.
func interactionBody(rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	f := rec.Fields
	typ, _, ok := refs.ActivityType(f["type"], f["channel"])
	if !ok {
		return nil, fmt.Errorf("%w: interaction type %q (channel %q) has no activity type", ErrUnmappable, f["type"], f["channel"])
	}
	when, err := time.Parse(time.RFC3339, strings.TrimSpace(f["interaction_date"]))
	if err != nil {
		return nil, fmt.Errorf("%w: interaction_date %q is not an RFC 3339 time", ErrUnmappable, f["interaction_date"])
	}
	when = when.UTC()
	subject := strings.TrimSpace(f["title"])
	if subject == "" {
		subject = strings.TrimSpace(f["type"])
	}
	body := pipedrive.Entity{"subject": subject, "type": typ, "done": true,
		"due_date": when.Format(time.DateOnly), "due_time": when.Format("15:04")}
	var note []string
	if ch := strings.TrimSpace(f["channel"]); ch != "" && strings.EqualFold(f["type"], source.TypeDirectMessage) {
		note = append(note, "<p>Channel: "+html.EscapeString(ch)+"</p>")
	}
	if s := strings.TrimSpace(f["summary"]); s != "" {
		note = append(note, "<p>"+html.EscapeString(s)+"</p>")
	}
	body["note"] = strings.Join(note, "")
	if m, err := strconv.Atoi(strings.TrimSpace(f["duration_minutes"])); err == nil && m > 0 && m < 24*60 {
		body["duration"] = fmt.Sprintf("%02d:%02d", m/60, m%60)
	}
	if err := activityLinks(refs, body, source.List(f["person_ids"]), first(source.List(f["company_ids"])), f["deal_id"]); err != nil {
		return nil, err
	}
	if id, ok := refs.OwnerID(f["created_by"]); ok {
		body["owner_id"] = id
	}
	return body, nil
}

// taskBody maps a Klipy to-do to a task activity.
func taskBody(rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	f := rec.Fields
	subject := strings.TrimSpace(f["title"])
	if subject == "" {
		return nil, fmt.Errorf("%w: title is empty", ErrUnmappable)
	}
	body := pipedrive.Entity{"subject": subject, "type": "task", "done": strings.EqualFold(strings.TrimSpace(f["done"]), "true")}
	if d := strings.TrimSpace(f["due_date"]); d != "" {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return nil, fmt.Errorf("%w: due_date %q is not YYYY-MM-DD", ErrUnmappable, d)
		}
		body["due_date"] = d
	}
	if err := activityLinks(refs, body, source.List(f["person_id"]), "", f["deal_id"]); err != nil {
		return nil, err
	}
	if id, ok := refs.OwnerID(f["owner"]); ok {
		body["owner_id"] = id
	}
	return body, nil
}

// activityLinks sets participants (the first person primary), org_id and deal_id.
func activityLinks(refs Resolver, body pipedrive.Entity, persons []string, org, deal string) error {
	var parts []any
	for i, p := range persons {
		id, err := refs.LinkID(source.Person, p)
		if err != nil {
			return err
		}
		parts = append(parts, map[string]any{"person_id": id, "primary": i == 0})
	}
	if len(parts) > 0 {
		body["participants"] = parts
	}
	if err := link(refs, body, "org_id", source.Company, org); err != nil {
		return err
	}
	return link(refs, body, "deal_id", source.Deal, deal)
}

// noteBody maps a Klipy note or AI draft to a v1 note with its original time; the AI origin
// and source conversation are kept in the text.
func noteBody(rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	f := rec.Fields
	content := strings.TrimSpace(f["body"])
	if content == "" {
		return nil, fmt.Errorf("%w: body is empty", ErrUnmappable)
	}
	if strings.EqualFold(f["ai_draft"], "true") {
		content = "<p><em>AI draft from Klipy</em></p>" + content
	}
	if c := strings.TrimSpace(f["source_conversation"]); c != "" {
		content += "<p>Source conversation: " + html.EscapeString(c) + "</p>"
	}
	body := pipedrive.Entity{"content": content}
	for _, l := range []struct {
		key  string
		kind source.Kind
		id   string
	}{{"person_id", source.Person, f["person_id"]}, {"org_id", source.Company, f["company_id"]}, {"deal_id", source.Deal, f["deal_id"]}} {
		if err := link(refs, body, l.key, l.kind, l.id); err != nil {
			return nil, err
		}
	}
	if _, ok := parentFilter(body); !ok {
		return nil, fmt.Errorf("%w: a note needs a person, organization or deal", ErrUnmappable)
	}
	if c := strings.TrimSpace(f["created_at"]); c != "" {
		t, err := time.Parse(time.RFC3339, c)
		if err != nil {
			return nil, fmt.Errorf("%w: created_at %q is not an RFC 3339 time", ErrUnmappable, c)
		}
		body["add_time"] = pipedrive.V1Time(t)
	}
	return body, nil
}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}
