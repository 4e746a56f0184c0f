package klipy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"ferry/internal/source"
)

// The API's object shapes. NOTES.md §1 gives the interaction read shape (id, companies[],
// contacts[], direction, sentiment, source, summary, title, type, createdBy, creationTime,
// interactionDate as Unix ms) but no official person or company schema, so those follow what
// NOTES.md does say, in the API's camelCase: the person of the unofficial TypeScript client
// {id, email, firstName, lastName, title, phone, companyId, createdAt, updatedAt} plus the
// linkedin of the lead.captured payload; the company of the interaction.captured payload
// {id, name, domain, industry, employee_count, estimated_revenue, city, state, country,
// linkedin} in camelCase, plus website (the company import template's column) and createdAt.
// Times are accepted as Unix milliseconds (as interactionDate is documented) or as strings.
// API fields with no canonical name are kept as source.CustomPrefix + the API name.

type apiPerson struct {
	ID        flexString `json:"id"`
	FirstName string     `json:"firstName"`
	LastName  string     `json:"lastName"`
	Email     string     `json:"email"`
	Phone     flexString `json:"phone"`
	Title     string     `json:"title"`
	CompanyID flexString `json:"companyId"`
	LinkedIn  string     `json:"linkedin"`
	CreatedAt flexTime   `json:"createdAt"`
	UpdatedAt flexTime   `json:"updatedAt"`
}

type apiCompany struct {
	ID               flexString `json:"id"`
	Name             string     `json:"name"`
	Domain           string     `json:"domain"`
	Website          string     `json:"website"`
	Industry         string     `json:"industry"`
	EmployeeCount    flexString `json:"employeeCount"`
	EstimatedRevenue flexString `json:"estimatedRevenue"`
	City             string     `json:"city"`
	State            string     `json:"state"`
	Country          string     `json:"country"`
	LinkedIn         string     `json:"linkedin"`
	CreatedAt        flexTime   `json:"createdAt"`
}

type apiInteraction struct {
	ID              flexString `json:"id"`
	Type            string     `json:"type"`
	Direction       string     `json:"direction"`
	Source          string     `json:"source"`
	Title           string     `json:"title"`
	Summary         string     `json:"summary"`
	Sentiment       string     `json:"sentiment"`
	CreatedBy       flexString `json:"createdBy"`
	CreationTime    flexTime   `json:"creationTime"`
	InteractionDate flexTime   `json:"interactionDate"`
	Companies       flexIDs    `json:"companies"`
	Contacts        flexIDs    `json:"contacts"`
}

// fieldSet builds a Fields map, leaving out empty values.
type fieldSet map[string]string

func (f fieldSet) set(k, v string) {
	if v != "" {
		f[k] = v
	}
}

// decodeObject unmarshals one API object of kind and maps it to a record from origin.
func decodeObject(kind source.Kind, raw json.RawMessage, origin string) (source.Record, error) {
	var (
		f   = fieldSet{}
		err error
	)
	switch kind {
	case source.Person:
		var p apiPerson
		if err = json.Unmarshal(raw, &p); err == nil {
			p.fields(f)
		}
	case source.Company:
		var c apiCompany
		if err = json.Unmarshal(raw, &c); err == nil {
			c.fields(f)
		}
	case source.Interaction:
		var in apiInteraction
		if err = json.Unmarshal(raw, &in); err == nil {
			in.fields(f)
		}
	default:
		return source.Record{}, fmt.Errorf("klipy api has no %s objects", kind)
	}
	if err != nil {
		return source.Record{}, fmt.Errorf("%w: %s object from %s: %v", ErrProtocol, kind, origin, err)
	}
	if f["id"] == "" {
		return source.Record{}, fmt.Errorf("%w: %s object from %s has no id", ErrProtocol, kind, origin)
	}
	return source.Record{Kind: kind, ID: f["id"], Channel: source.API, Origin: "api:" + origin, Fields: f}, nil
}

func (p apiPerson) fields(f fieldSet) {
	f.set("id", string(p.ID))
	f.set("first_name", p.FirstName)
	f.set("last_name", p.LastName)
	f.set("email", p.Email)
	f.set("phone", string(p.Phone))
	f.set("title", p.Title)
	f.set("company_id", string(p.CompanyID))
	f.set("linkedin_url", p.LinkedIn)
	f.set("created_at", string(p.CreatedAt))
	f.set("updated_at", string(p.UpdatedAt))
}

func (c apiCompany) fields(f fieldSet) {
	f.set("id", string(c.ID))
	f.set("name", c.Name)
	f.set("domain", c.Domain)
	f.set("website", c.Website)
	f.set("industry", c.Industry)
	f.set("employee_count", string(c.EmployeeCount))
	f.set("city", c.City)
	f.set("country", c.Country)
	f.set("linkedin_url", c.LinkedIn)
	f.set("created_at", string(c.CreatedAt))
	f.set(source.CustomPrefix+"state", c.State)
	f.set(source.CustomPrefix+"estimatedRevenue", string(c.EstimatedRevenue))
}

func (in apiInteraction) fields(f fieldSet) {
	f.set("id", string(in.ID))
	f.set("type", in.Type)
	f.set("channel", in.Source)
	f.set("direction", in.Direction)
	f.set("title", in.Title)
	f.set("summary", in.Summary)
	f.set("interaction_date", string(in.InteractionDate))
	f.set("created_at", string(in.CreationTime))
	f.set("person_ids", source.JoinList(in.Contacts))
	f.set("company_ids", source.JoinList(in.Companies))
	f.set("created_by", string(in.CreatedBy))
	f.set(source.CustomPrefix+"sentiment", in.Sentiment)
}

// flexTime decodes a time given as Unix milliseconds (a number or a numeric string) into
// canonical RFC 3339 UTC; an RFC 3339 string is normalised to UTC; any other string is kept
// verbatim (source.Standard: "verbatim if the channel gave something else").
type flexTime string

// UnmarshalJSON accepts a number, a string or null.
func (t *flexTime) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*t = flexTime(canonicalTime(string(s)))
	return nil
}

func canonicalTime(s string) string {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
	}
	if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return tm.UTC().Format(time.RFC3339Nano)
	}
	return s
}

// flexIDs decodes a list of ids given as strings, numbers or objects with an id.
type flexIDs []string

// UnmarshalJSON accepts null or an array of strings, numbers or {"id": …} objects.
func (ids *flexIDs) UnmarshalJSON(b []byte) error {
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		var id flexString
		if t := bytes.TrimSpace(it); len(t) > 0 && t[0] == '{' {
			var obj struct {
				ID flexString `json:"id"`
			}
			if err := json.Unmarshal(t, &obj); err != nil {
				return err
			}
			id = obj.ID
		} else if err := id.UnmarshalJSON(t); err != nil {
			return err
		}
		if id != "" {
			out = append(out, string(id))
		}
	}
	*ids = out
	return nil
}

// APIFields lists, per kind, the canonical fields (source.Standard names) that Klipy's API
// carries, as decoded above; the other standard fields of a kind come only from the harvest
// folder. API fields without a canonical name come in addition as source.CustomPrefix + name.
var APIFields = map[source.Kind][]string{
	source.Person: {"id", "first_name", "last_name", "email", "phone", "title", "company_id",
		"linkedin_url", "created_at", "updated_at"},
	source.Company: {"id", "name", "domain", "website", "industry", "employee_count", "city",
		"country", "linkedin_url", "created_at"},
	source.Interaction: {"id", "type", "channel", "direction", "title", "summary", "interaction_date",
		"created_at", "person_ids", "company_ids", "created_by"},
}
