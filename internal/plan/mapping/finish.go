package mapping

import (
	"strings"
	"time"

	"ferry/internal/source"
)

// finish assembles what several fields contribute to and applies the entity's API rules.
func (b *builder) finish() {
	if n := strings.TrimSpace(b.name[0] + " " + b.name[1]); n != "" {
		b.body["name"] = n // first and last win over a full-name column
	}
	if len(b.address) > 0 {
		b.body["address"] = map[string]any{"value": strings.Join(b.address, ", ")}
	}
	for target, lines := range b.appends {
		text, _ := b.body[target].(string)
		for _, l := range lines {
			text += escapeLine(l)
		}
		b.body[target] = text
	}
	setList(b.body, "emails", b.emails)
	setList(b.body, "phones", b.phones)
	if len(b.labels) > 0 {
		b.body["label_ids"] = b.labels
	}
	b.finishLinks()
	if len(b.parts) > 0 {
		b.body["participants"] = b.parts
	}
	if len(b.custom) > 0 {
		b.body["custom_fields"] = b.custom
	}
	b.finishType()
	b.finishDone()
	b.finishStage()
	b.finishDeal()
	b.checkRequired()
}

// setList marks the first item primary and sets the list.
func setList(body map[string]any, key string, items []any) {
	for i, it := range items {
		it.(map[string]any)["primary"] = i == 0
	}
	if len(items) > 0 {
		body[key] = items
	}
}

// finishLinks resolves the links by name, email or domain: every value of a participants
// field, else the first value that resolves where no id link (or earlier field) set the
// target. A reference that resolves to no record is a warning naming its value: the record
// moves without that link.
func (b *builder) finishLinks() {
	for _, k := range b.keyed {
		participants := b.kindOf(k.f) == kParticipants
		for _, v := range k.values {
			if _, set := b.body[k.f.Target]; set && !participants {
				break
			}
			id, err := b.refs.LinkBy(k.entity, k.by, v)
			switch {
			case err != nil:
				b.warn(k.f, "%v; moved without this link", err)
			case participants:
				b.addParticipant(id)
			default:
				b.body[k.f.Target] = id
			}
		}
	}
	for _, target := range sortedKeys(b.linkErrs) {
		_, linked := b.body[target]
		for _, p := range b.linkErrs[target] {
			if linked { // the link by name stood in: the failed id link is only advice
				p.Warning = true
				p.Message += "; linked by " + linkedBy(b.keyed, target) + " instead"
			}
			b.problems = append(b.problems, p)
		}
	}
}

// finishType sets the activity type from the interaction type and channel, or the object's
// fixed type.
func (b *builder) finishType() {
	if b.entity != EntityActivity {
		return
	}
	if !b.hasType {
		if b.o.ActivityType != "" {
			b.body["type"] = b.o.ActivityType
		}
		return
	}
	t, channelInNote, err := b.refs.ActivityType(b.types[0], b.types[1])
	if err != nil {
		b.problems = append(b.problems, Problem{Field: string(b.o.Source) + ".type", Message: err.Error()})
		return
	}
	b.body["type"] = t
	b.nameChannel(channelInNote)
}

// nameChannel names a direct message's channel: the subject of one without a subject is
// "<Channel> message" (an interaction without one is named after its type), and the note
// starts with "Channel: <Channel>" when the activity type decision says so.
func (b *builder) nameChannel(inNote bool) {
	channel := strings.TrimSpace(b.types[1])
	if s, _ := b.body["subject"].(string); strings.TrimSpace(s) == "" {
		switch {
		case channel != "":
			b.body["subject"] = channel + " message"
		case strings.TrimSpace(b.types[0]) != "":
			b.body["subject"] = typeLabel(b.types[0])
		}
	}
	if inNote && channel != "" {
		note, _ := b.body["note"].(string)
		b.body["note"] = escapeLine("Channel: "+channel) + note
	}
}

// typeLabel turns a Klipy interaction type into words: VOICE_NOTE → "Voice note".
func typeLabel(t string) string {
	s := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(t), "_", " "))
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// finishDone marks an activity of an object with done: past done when it is due before the
// run's clock, open otherwise, unless a field set the flag (a task's own done column).
func (b *builder) finishDone() {
	if b.entity != EntityActivity || b.o.Done != DonePast {
		return
	}
	if _, set := b.body["done"]; set {
		return
	}
	day, _ := b.body["due_date"].(string)
	if day == "" {
		return
	}
	at := day + " " + cmpOr(asString(b.body["due_time"]), "00:00")
	due, err := time.Parse("2006-01-02 15:04", at)
	if err != nil {
		return
	}
	b.body["done"] = due.Before(b.refs.Now())
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

// finishStage places a deal through the stage map: in its stage when that is an open one,
// else in the last open stage of its stage_history, else in the pipeline's last stage when
// it is won or lost (its first when open). A closing stage (Klipy's "Closed Won") sets the
// status unless the status field already says won or lost, and the time of the history's
// last move stands in for a missing close time.
func (b *builder) finishStage() {
	delete(b.body, "pipeline_id")
	history := source.List(b.rec.Fields["stage_history"])
	if b.entity != EntityDeal || (b.stage == "" && b.pipeline == "" && len(history) == 0) {
		return
	}
	status, _ := b.body["status"].(string)
	closed := status == "won" || status == "lost"
	id, st, err := b.refs.DealStage(b.pipeline, b.stage, history, closed)
	if err != nil {
		p := Problem{Field: string(b.o.Source) + ".stage", Message: err.Error()}
		if b.stage == "" { // nothing named a stage: Pipedrive's default stage is no loss
			p.Warning, p.Message = true, p.Message+"; the deal goes to Pipedrive's default pipeline and stage"
		}
		b.problems = append(b.problems, p)
		return
	}
	b.body["stage_id"] = id
	if st != "" && !closed {
		b.body["status"], closed = st, true
	}
	if _, ok := b.body["close_time"]; closed && !ok {
		if t, ok := lastMove(history); ok {
			b.body["close_time"] = t.UTC().Format(rfc3339)
		}
	}
}

// lastMove returns the time of the last stage move of a history whose items carry one
// ("Closed Won@2024-03-05T14:30:00Z").
func lastMove(history []string) (time.Time, bool) {
	if len(history) == 0 {
		return time.Time{}, false
	}
	_, at, ok := strings.Cut(history[len(history)-1], "@")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(at))
	return t, err == nil
}

// finishDeal applies the v2 deal rules: won_time only when won, lost_time and lost_reason
// only when lost, close_time only when closed; a currency read from a money value fills
// an absent currency.
func (b *builder) finishDeal() {
	if b.entity != EntityDeal {
		return
	}
	if _, ok := b.body["currency"]; !ok && b.currency != "" {
		b.body["currency"] = b.currency
	}
	status, _ := b.body["status"].(string)
	if closed, ok := b.body["close_time"]; ok {
		switch status {
		case "won":
			b.body["won_time"] = closed
		case "lost":
			b.body["lost_time"] = closed
		default:
			delete(b.body, "close_time")
		}
	}
	if status != "lost" {
		delete(b.body, "lost_reason")
	}
}

// noteParents are the links of which a note needs one (Pipedrive refuses a note without).
var noteParents = []string{"deal_id", "person_id", "org_id", "lead_id"}

// checkRequired reports a body missing a field its entity requires, and a note attached to
// nothing.
func (b *builder) checkRequired() {
	if b.entity == EntityNote && !b.anyOf(noteParents) {
		b.problems = append(b.problems, Problem{Field: string(b.o.Source),
			Message: "a Pipedrive note must be attached to a deal, person, organization or lead, and none of this note's references resolved"})
	}
	for _, r := range required[b.entity] {
		if v, ok := b.body[r]; !ok || v == "" {
			b.problems = append(b.problems, Problem{Field: string(b.o.Source) + "." + r,
				Message: "no value for the required " + b.entity + " field " + r})
		}
	}
}

// anyOf reports whether the body sets one of keys.
func (b *builder) anyOf(keys []string) bool {
	for _, k := range keys {
		if _, ok := b.body[k]; ok {
			return true
		}
	}
	return false
}

// linkedBy names the key of the keyed link that set target.
func linkedBy(keyed []keyedRef, target string) string {
	for _, k := range keyed {
		if k.f.Target == target {
			return k.by
		}
	}
	return "another reference"
}
