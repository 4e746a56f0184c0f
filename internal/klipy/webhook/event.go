package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrMalformedEvent is wrapped by ParseEvent's errors: the body is not a webhook envelope.
var ErrMalformedEvent = errors.New("malformed webhook event")

// Klipy's deal event types: the only source of deals (NOTES.md §1, §4).
const (
	DealCreated      = "deal.created"
	DealMoved        = "deal.moved"
	DealClosed       = "deal.closed"
	DealContactAdded = "deal.contact_added"
)

// ObjectEvent is the envelope's "object" value.
const ObjectEvent = "event"

// Event is one webhook delivery's envelope {type, object:"event", data}, plus its Svix message
// id and the time it was received.
type Event struct {
	ID         string          // svix-id
	Type       string          // e.g. "deal.moved"
	Data       json.RawMessage // a JSON object
	ReceivedAt time.Time
}

// IsDeal reports whether the event is one of the four deal events that Fold understands.
func (e Event) IsDeal() bool {
	switch e.Type {
	case DealCreated, DealMoved, DealClosed, DealContactAdded:
		return true
	}
	return false
}

// envelope is the wire form of a delivery body.
type envelope struct {
	Type   *string         `json:"type"`
	Object *string         `json:"object"`
	Data   json.RawMessage `json:"data"`
}

// ParseEvent parses a delivery body. It must be one JSON object with a non-empty string
// "type", an "object" that, when present, is "event", and a "data" object; deal events must
// also carry a deal_id. Unknown event types parse fine (they are stored, not folded). The
// error wraps ErrMalformedEvent and says what is wrong.
func ParseEvent(body []byte) (Event, error) {
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		return Event{}, fmt.Errorf("%w: not a JSON object: %v", ErrMalformedEvent, err)
	}
	if dec.More() {
		return Event{}, fmt.Errorf("%w: data after the JSON object", ErrMalformedEvent)
	}
	switch {
	case env.Type == nil || *env.Type == "":
		return Event{}, fmt.Errorf("%w: missing \"type\"", ErrMalformedEvent)
	case env.Object != nil && *env.Object != ObjectEvent:
		return Event{}, fmt.Errorf("%w: \"object\" is %q, want %q", ErrMalformedEvent, *env.Object, ObjectEvent)
	case !isObject(env.Data):
		return Event{}, fmt.Errorf("%w: \"data\" is missing or not an object", ErrMalformedEvent)
	}
	e := Event{Type: *env.Type, Data: env.Data}
	if e.IsDeal() {
		d, err := e.Deal()
		if err != nil {
			return Event{}, err
		}
		if d.DealID == "" {
			return Event{}, fmt.Errorf("%w: %s without data.deal_id", ErrMalformedEvent, e.Type)
		}
		if e.Type == DealClosed && d.Won != "true" && d.Won != "false" {
			return Event{}, fmt.Errorf("%w: deal.closed without a boolean data.won", ErrMalformedEvent)
		}
	}
	return e, nil
}

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}
