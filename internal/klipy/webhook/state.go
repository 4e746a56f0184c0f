package webhook

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"ferry/internal/source"
)

// dealState is one deal being folded.
type dealState struct {
	f        map[string]string
	history  []string   // "stage@RFC3339", in time order
	contacts []string   // emails, first seen first
	ids      []string   // contact ids added, first seen first
	person   string     // identity of the deal's person: "email:…" or "name:…"
	last     *dealEvent // the last stage-changing event applied (moved or closed)
}

func newDealState(id string) *dealState {
	return &dealState{f: map[string]string{"id": id, "status": StatusOpen}}
}

// apply folds one event, events coming in time order.
func (s *dealState) apply(e dealEvent) {
	d := e.deal
	s.describe(d, e.ev.Type == DealContactAdded)
	at := rfc(e.at)
	switch e.ev.Type {
	case DealCreated:
		s.enter(string(d.Stage), at) // Klipy documents no stage here; taken when present
	case DealContactAdded:
		s.addContact(d)
	case DealMoved:
		if s.sameChange(e) { // the deal.closed of this change came first: it names the stage
			s.rename(string(d.To))
			break
		}
		s.leave(string(d.From))
		s.enter(string(d.To), at)
		s.f["status"] = StatusOpen // a move out of a closed stage reopens the deal
		delete(s.f, "closed_at")
	case DealClosed:
		status := StatusLost
		if d.Won == "true" {
			status = StatusWon
		}
		if s.sameChange(e) { // the deal.moved of this change came first and named the stage
			s.f["status"], s.f["closed_at"] = status, s.enteredAt()
			break
		}
		s.leave(string(d.From))
		stage := map[string]string{StatusWon: StageClosedWon, StatusLost: StageClosedLost}[status]
		if d.To != "" {
			stage = string(d.To)
		}
		s.enter(stage, at)
		s.f["status"], s.f["closed_at"] = status, at
	}
	if e.ev.Type == DealMoved || e.ev.Type == DealClosed {
		s.last = &e
	}
}

// sameChange reports whether e and the last stage-changing event are the deal.moved and
// deal.closed of one stage change: different types leaving the same named stage.
func (s *dealState) sameChange(e dealEvent) bool {
	return s.last != nil && s.last.ev.Type != e.ev.Type && e.deal.From != "" &&
		s.last.deal.From == e.deal.From
}

// rename gives the stage entered last its name from the deal.moved of the same change.
func (s *dealState) rename(stage string) {
	if stage == "" || len(s.history) == 0 {
		return
	}
	n := len(s.history) - 1
	_, at, _ := strings.Cut(s.history[n], "@")
	s.history[n] = stage + "@" + at
	s.f["stage"] = stage
}

// enteredAt is when the deal entered its current stage.
func (s *dealState) enteredAt() string {
	if len(s.history) == 0 {
		return ""
	}
	_, at, _ := strings.Cut(s.history[len(s.history)-1], "@")
	return at
}

// addContact takes the documented deal.contact_added: the contact id joins person_ids, and
// a PRIMARY contact is the deal's person when no earlier event named one by id.
func (s *dealState) addContact(d Deal) {
	id := strings.TrimSpace(string(d.ContactID))
	if id == "" {
		return
	}
	if !slices.Contains(s.ids, id) {
		s.ids = append(s.ids, id)
	}
	if strings.EqualFold(string(d.AssociationType), "PRIMARY") && s.f["person_id"] == "" {
		s.f["person_id"] = id
	}
}

// leave notes the stage a deal left on its first move: deal.created carries no stage, so the
// first move's "from" is the stage the deal was created in, entered at created_at.
func (s *dealState) leave(from string) {
	if len(s.history) == 0 && from != "" && s.f["created_at"] != "" {
		s.enter(from, s.f["created_at"])
	}
}

// enter moves the deal into stage at time at.
func (s *dealState) enter(stage, at string) {
	if stage == "" {
		return
	}
	s.f["stage"] = stage
	entry := stage + "@" + at
	if n := len(s.history); n == 0 || s.history[n-1] != entry {
		s.history = append(s.history, entry)
	}
}

// describe takes the descriptive fields every deal event carries; a later non-empty value wins.
func (s *dealState) describe(d Deal, added bool) {
	set := func(field string, v Text) {
		if v := strings.TrimSpace(string(v)); v != "" {
			s.f[field] = v
		}
	}
	set("name", d.DealName)
	set("value", d.EstimatedValue)
	set("currency", d.Currency)
	set("pipeline", d.Pipeline)
	set(FieldPipelineID, d.PipelineID)
	set("owner", d.OwnerName)
	set("expected_close_date", Text(normDate(string(d.EstimatedCloseDate))))
	set("created_at", Text(normTime(string(d.DealCreationDate))))
	set(FieldIsPrivate, d.IsPrivate)
	if c := d.Company; c != nil {
		set("company_id", c.ID)
		set(FieldCompanyName, c.Name)
		set(FieldCompanyDomain, c.Domain)
	}
	if p := d.PointOfContact; p != nil {
		s.contact(p, added, set)
	}
}

// contact records a point of contact. The deal's person is the first point of contact seen on
// an event other than deal.contact_added (whose point_of_contact is the contact added); it
// is known by email, or by name when it has none.
func (s *dealState) contact(p *Contact, added bool, set func(string, Text)) {
	email := strings.TrimSpace(string(p.Email))
	name := strings.TrimSpace(string(p.FirstName) + " " + string(p.LastName))
	if email != "" && !slices.Contains(s.contacts, email) {
		s.contacts = append(s.contacts, email)
	}
	key := "email:" + email
	if email == "" {
		key = "name:" + name
	}
	if added || (s.person != "" && s.person != key) {
		return
	}
	s.person = key
	set(FieldPersonEmail, Text(email))
	set(FieldPersonName, Text(name))
	set("person_id", p.ID)
}

// fields returns the folded fields.
func (s *dealState) fields() map[string]string {
	out := make(map[string]string, len(s.f)+2)
	for k, v := range s.f {
		out[k] = v
	}
	if len(s.history) > 0 {
		out["stage_history"] = source.JoinList(s.history)
	}
	if len(s.contacts) > 0 {
		out[FieldContactEmails] = source.JoinList(s.contacts)
	}
	if len(s.ids) > 0 {
		out[FieldPersonIDs] = source.JoinList(s.ids)
	}
	return out
}

// canonicalJSON re-encodes raw with sorted keys and no spaces, numbers verbatim; raw as is when
// it does not decode.
func canonicalJSON(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return string(raw)
	}
	return string(b)
}
