package webhook

import (
	"encoding/json"
	"fmt"
	"strings"

	"ferry/internal/source"
)

// InteractionCaptured is the one non-deal event type ferry migrates: an interaction record
// (https://klipy.ai/docs/webhooks/interaction-captured), which becomes an activity like the
// API's interactions. Every other non-deal type is stored and reported as not migrated.
const InteractionCaptured = "interaction.captured"

// capturedInteraction is the documented data of interaction.captured: {id, title, summary,
// people[{object, id, first_name, last_name, email, title}], company{object, id, name, domain,
// industry, employee_count, estimated_revenue, city, state, country, linkedin}}.
type capturedInteraction struct {
	ID      Text `json:"id"`
	Title   Text `json:"title"`
	Summary Text `json:"summary"`
	People  []struct {
		ID    Text `json:"id"`
		Email Text `json:"email"`
	} `json:"people"`
	Company *struct {
		ID     Text `json:"id"`
		Name   Text `json:"name"`
		Domain Text `json:"domain"`
	} `json:"company"`
}

// interactionRecord maps an interaction.captured event onto an interaction record of the
// webhook channel: person_ids and person_emails from people, company_ids, company_name and
// company_domain from company, and created_at the event's time (Klipy sends the event when it
// saves the interaction; the payload has no date of its own). The error wraps ErrMalformedEvent.
func interactionRecord(ev Event, at string) (source.Record, error) {
	var in capturedInteraction
	if err := json.Unmarshal(ev.Data, &in); err != nil {
		return source.Record{}, fmt.Errorf("%w: %s data: %v", ErrMalformedEvent, ev.Type, err)
	}
	id := strings.TrimSpace(string(in.ID))
	if id == "" {
		return source.Record{}, fmt.Errorf("%w: %s without data.id", ErrMalformedEvent, ev.Type)
	}
	f := map[string]string{"id": id, "created_at": at}
	set := func(k string, v Text) {
		if v := strings.TrimSpace(string(v)); v != "" {
			f[k] = v
		}
	}
	set("title", in.Title)
	set("summary", in.Summary)
	var ids, emails []string
	for _, p := range in.People {
		if v := strings.TrimSpace(string(p.ID)); v != "" {
			ids = append(ids, v)
		}
		if v := strings.TrimSpace(string(p.Email)); v != "" {
			emails = append(emails, v)
		}
	}
	set("person_ids", Text(source.JoinList(ids)))
	set("person_emails", Text(source.JoinList(emails)))
	if c := in.Company; c != nil {
		set("company_ids", c.ID)
		set("company_name", c.Name)
		set("company_domain", c.Domain)
	}
	return source.Record{Kind: source.Interaction, ID: id, Channel: source.Webhook,
		Origin: "webhook:" + ev.ID, Fields: f}, nil
}
