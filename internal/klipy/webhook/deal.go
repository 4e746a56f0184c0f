package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Deal is the data of a deal event, as Klipy documents it (NOTES.md §1 Deals): the deal's
// descriptive fields on deal.created, deal.moved and deal.closed, plus actor_name/from/to on
// deal.moved and won/from/cycle_length/days_diff_from_estimate on deal.closed;
// deal.contact_added carries only deal_id, contact_id, association_type and supervisor_id. Scalars are kept as text: numbers
// verbatim, so a value never loses precision on the way to the snapshot.
type Deal struct {
	DealID             Text     `json:"deal_id"`
	PipelineID         Text     `json:"pipeline_id"`
	Pipeline           Text     `json:"pipeline"`
	Stage              Text     `json:"stage"` // not documented; read when present
	EstimatedValue     Text     `json:"estimated_value"`
	Currency           Text     `json:"currency"`
	DealCreationDate   Text     `json:"deal_creation_date"`
	EstimatedCloseDate Text     `json:"estimated_close_date"`
	IsPrivate          Text     `json:"is_private"`
	DealName           Text     `json:"deal_name"`
	OwnerName          Text     `json:"owner_name"`
	Company            *Company `json:"company"`
	PointOfContact     *Contact `json:"point_of_contact"`

	ActorName Text `json:"actor_name"`
	From      Text `json:"from"`
	To        Text `json:"to"`

	// deal.contact_added (https://klipy.ai/docs/webhooks/deal-contact-added).
	ContactID       Text `json:"contact_id"`
	AssociationType Text `json:"association_type"` // e.g. PRIMARY
	SupervisorID    Text `json:"supervisor_id"`

	Won                  Text `json:"won"` // "true" or "false"
	CycleLength          Text `json:"cycle_length"`
	DaysDiffFromEstimate Text `json:"days_diff_from_estimate"`

	// OccurredAt is when the change happened. Klipy does not document such a field; ferry
	// reads the first of occurred_at, timestamp, moved_at, closed_at, added_at that is present
	// (see eventTime).
	OccurredAt Text `json:"occurred_at"`
	Timestamp  Text `json:"timestamp"`
	MovedAt    Text `json:"moved_at"`
	ClosedAt   Text `json:"closed_at"`
	AddedAt    Text `json:"added_at"`
}

// Company is a deal's company.
type Company struct {
	ID     Text `json:"id"`
	Name   Text `json:"name"`
	Domain Text `json:"domain"`
}

// Contact is a deal's point of contact.
type Contact struct {
	ID        Text `json:"id"`
	FirstName Text `json:"first_name"`
	LastName  Text `json:"last_name"`
	Email     Text `json:"email"`
	Title     Text `json:"title"`
}

// Deal decodes the event's data as a deal. The error wraps ErrMalformedEvent.
func (e Event) Deal() (Deal, error) {
	var d Deal
	if err := json.Unmarshal(e.Data, &d); err != nil {
		return Deal{}, fmt.Errorf("%w: %s data: %v", ErrMalformedEvent, e.Type, err)
	}
	return d, nil
}

// Text is a JSON scalar read as text: a string as is, a number verbatim, a boolean as
// "true"/"false", null as "". Objects and arrays are refused.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("empty value")
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	case string(b) == "null":
		*t = ""
	case string(b) == "true" || string(b) == "false":
		*t = Text(b)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("want a scalar, got %s", b[:1])
	default: // a number: the decoder has checked its syntax
		*t = Text(b)
	}
	return nil
}
