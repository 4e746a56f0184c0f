package migrate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/source"
)

// BasicMapper is a small built-in Mapper for the standard fields of organizations, persons,
// deals, activities (interactions and tasks) and notes, plus a list of simple custom fields. It stands in until the engine is wired to
// the mapping file (package plan/mapping); tests use it to drive the engine.
type BasicMapper struct {
	Custom []BasicCustom
}

// BasicCustom carries one source custom field ("custom.Lead Source") into a Pipedrive
// custom field. Supported types: varchar, text, double, enum.
type BasicCustom struct {
	Kind   source.Kind
	Source string
	Spec   FieldSpec
}

// Fields lists the custom fields of m.
func (m BasicMapper) Fields() []FieldSpec {
	out := make([]FieldSpec, len(m.Custom))
	for i, c := range m.Custom {
		out[i] = c.Spec
	}
	return out
}

// Payload maps rec; see Mapper.
func (m BasicMapper) Payload(kind source.Kind, rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	var body pipedrive.Entity
	var err error
	switch kind {
	case source.Company:
		body, err = companyBody(rec, refs)
	case source.Person:
		body, err = personBody(rec, refs)
	case source.Deal:
		body, err = dealBody(rec, refs)
	case source.Interaction:
		body, err = interactionBody(rec, refs)
	case source.Task:
		body, err = taskBody(rec, refs)
	case source.Note:
		body, err = noteBody(rec, refs)
	default:
		return nil, fmt.Errorf("%w: basic mapper has no mapping for %s", ErrUnmappable, kind)
	}
	if err != nil {
		return nil, err
	}
	return body, m.custom(kind, rec, refs, body)
}

func companyBody(rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	f := rec.Fields
	name := strings.TrimSpace(f["name"])
	if name == "" {
		return nil, fmt.Errorf("%w: name is empty", ErrUnmappable)
	}
	body := pipedrive.Entity{"name": name}
	if w := strings.TrimSpace(f["website"]); w != "" {
		body["website"] = w
	}
	return body, common(rec, refs, pipedrive.OrganizationFields, body, true)
}

func personBody(rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	f := rec.Fields
	name := strings.TrimSpace(strings.TrimSpace(f["first_name"]) + " " + strings.TrimSpace(f["last_name"]))
	emails, phones := source.List(f["email"]), source.List(f["phone"])
	if name == "" && len(emails) > 0 {
		name = emails[0]
	}
	if name == "" {
		return nil, fmt.Errorf("%w: neither a name nor an email", ErrUnmappable)
	}
	body := pipedrive.Entity{"name": name}
	if len(emails) > 0 {
		body["emails"] = contacts(emails)
	}
	if len(phones) > 0 {
		body["phones"] = contacts(phones)
	}
	if err := link(refs, body, "org_id", source.Company, f["company_id"]); err != nil {
		return nil, err
	}
	return body, common(rec, refs, pipedrive.PersonFields, body, true)
}

func contacts(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = map[string]any{"value": v, "primary": i == 0, "label": "work"}
	}
	return out
}

// link sets key to the Pipedrive id of a parent, when the record names one.
func link(refs Resolver, body pipedrive.Entity, key string, kind source.Kind, id string) error {
	if id = strings.TrimSpace(id); id == "" {
		return nil
	}
	dest, err := refs.LinkID(kind, id)
	if err != nil {
		return err
	}
	body[key] = dest
	return nil
}

// common sets owner, labels and (where Pipedrive takes it) add_time; created_at must be a
// valid time either way, as the engine keeps it.
func common(rec source.Record, refs Resolver, ent pipedrive.FieldEntity, body pipedrive.Entity, addTime bool) error {
	if id, ok := refs.OwnerID(rec.Fields["owner"]); ok {
		body["owner_id"] = id
	}
	if ids := refs.LabelIDs(ent, source.List(rec.Fields["tags"])); len(ids) > 0 {
		body["label_ids"] = ids
	}
	if c := strings.TrimSpace(rec.Fields["created_at"]); c != "" {
		t, err := time.Parse(time.RFC3339, c)
		if err != nil {
			return fmt.Errorf("%w: created_at %q is not an RFC 3339 time", ErrUnmappable, c)
		}
		if addTime {
			body["add_time"] = pipedrive.V2Time(t)
		}
	}
	return nil
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

func dealBody(rec source.Record, refs Resolver) (pipedrive.Entity, error) {
	f := rec.Fields
	title := strings.TrimSpace(f["name"])
	if title == "" {
		return nil, fmt.Errorf("%w: name is empty", ErrUnmappable)
	}
	body := pipedrive.Entity{"title": title}
	if err := dealMoney(f, body); err != nil {
		return nil, err
	}
	st := strings.ToLower(strings.TrimSpace(f["status"]))
	place, ok := refs.Stage(f["pipeline"], f["stage"], source.List(f["stage_history"]), st == "won" || st == "lost")
	if !ok {
		return nil, fmt.Errorf("%w: pipeline %q stage %q is not in the stage map", ErrUnmappable, f["pipeline"], f["stage"])
	}
	body["stage_id"] = place.StageID
	if err := dealStatus(f, place, body); err != nil {
		return nil, err
	}
	if err := link(refs, body, "person_id", source.Person, f["person_id"]); err != nil {
		return nil, err
	}
	if err := link(refs, body, "org_id", source.Company, f["company_id"]); err != nil {
		return nil, err
	}
	return body, common(rec, refs, pipedrive.DealFields, body, false)
}

func dealMoney(f map[string]string, body pipedrive.Entity) error {
	if v := strings.TrimSpace(f["value"]); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("%w: value %q is not a number", ErrUnmappable, v)
		}
		body["value"] = n
	}
	if c := strings.ToUpper(strings.TrimSpace(f["currency"])); c != "" {
		if !currencyCode.MatchString(c) {
			return fmt.Errorf("%w: currency %q is not a 3-letter code", ErrUnmappable, c)
		}
		body["currency"] = c
	}
	if d := strings.TrimSpace(f["expected_close_date"]); d != "" {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return fmt.Errorf("%w: expected_close_date %q is not YYYY-MM-DD", ErrUnmappable, d)
		}
		body["expected_close_date"] = d
	}
	return nil
}

// dealStatus sets status and, for closed deals, their original close times.
func dealStatus(f map[string]string, place Placement, body pipedrive.Entity) error {
	status := place.Status
	if status == "" {
		status = strings.ToLower(strings.TrimSpace(f["status"]))
	}
	switch status {
	case "won", "lost":
	default:
		body["status"] = "open"
		return nil
	}
	body["status"] = status
	if status == "lost" && strings.TrimSpace(f["lost_reason"]) != "" {
		body["lost_reason"] = strings.TrimSpace(f["lost_reason"])
	}
	if c := strings.TrimSpace(f["closed_at"]); c != "" {
		t, err := time.Parse(time.RFC3339, c)
		if err != nil {
			return fmt.Errorf("%w: closed_at %q is not an RFC 3339 time", ErrUnmappable, c)
		}
		body[status+"_time"] = pipedrive.V2Time(t)
		body["close_time"] = pipedrive.V2Time(t)
	}
	return nil
}
