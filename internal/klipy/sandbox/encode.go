package sandbox

import (
	"encoding/json"
	"strconv"
	"time"

	"ferry/internal/source"
)

// The sandbox's API objects, written from a canonical record. Klipy documents the interaction
// read shape (NOTES.md §1); for people and companies it documents no schema, so the sandbox
// serves the camelCase names NOTES.md suggests (the unofficial client's person, the
// interaction.captured company) and, like the documented interactionDate, times as Unix
// milliseconds. Canonical fields the API does not carry (a person's owner, tags, notes,
// company_name, custom fields; a company's owner and tags; an interaction's deal and
// duration) are not served: they come only from the harvest folder. Empty fields are omitted.

type person struct {
	ID        string `json:"id"`
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Title     string `json:"title,omitempty"`
	CompanyID string `json:"companyId,omitempty"`
	LinkedIn  string `json:"linkedin,omitempty"`
	CreatedAt *int64 `json:"createdAt,omitempty"`
	UpdatedAt *int64 `json:"updatedAt,omitempty"`
}

type company struct {
	ID            string       `json:"id"`
	Name          string       `json:"name,omitempty"`
	Domain        string       `json:"domain,omitempty"`
	Website       string       `json:"website,omitempty"`
	Industry      string       `json:"industry,omitempty"`
	EmployeeCount *json.Number `json:"employeeCount,omitempty"`
	City          string       `json:"city,omitempty"`
	Country       string       `json:"country,omitempty"`
	LinkedIn      string       `json:"linkedin,omitempty"`
	CreatedAt     *int64       `json:"createdAt,omitempty"`
}

type interaction struct {
	ID              string   `json:"id"`
	Type            string   `json:"type,omitempty"`
	Direction       string   `json:"direction,omitempty"`
	Source          string   `json:"source,omitempty"`
	Title           string   `json:"title,omitempty"`
	Summary         string   `json:"summary,omitempty"`
	CreatedBy       string   `json:"createdBy,omitempty"`
	CreationTime    *int64   `json:"creationTime,omitempty"`
	InteractionDate *int64   `json:"interactionDate,omitempty"`
	Companies       []string `json:"companies"`
	Contacts        []string `json:"contacts"`
}

// encode writes the API object of a canonical record.
func encode(r source.Record) ([]byte, error) {
	f := r.Fields
	var v any
	switch r.Kind {
	case source.Person:
		v = person{ID: r.ID, FirstName: f["first_name"], LastName: f["last_name"], Email: f["email"],
			Phone: f["phone"], Title: f["title"], CompanyID: f["company_id"], LinkedIn: f["linkedin_url"],
			CreatedAt: millis(f["created_at"]), UpdatedAt: millis(f["updated_at"])}
	case source.Company:
		v = company{ID: r.ID, Name: f["name"], Domain: f["domain"], Website: f["website"],
			Industry: f["industry"], EmployeeCount: number(f["employee_count"]), City: f["city"],
			Country: f["country"], LinkedIn: f["linkedin_url"], CreatedAt: millis(f["created_at"])}
	default:
		v = interaction{ID: r.ID, Type: f["type"], Direction: f["direction"], Source: f["channel"],
			Title: f["title"], Summary: f["summary"], CreatedBy: f["created_by"],
			CreationTime: millis(f["created_at"]), InteractionDate: millis(f["interaction_date"]),
			Companies: nonNil(source.List(f["company_ids"])), Contacts: nonNil(source.List(f["person_ids"]))}
	}
	return json.Marshal(v)
}

// millis converts an RFC 3339 time to Unix milliseconds; anything else is left out, as
// Klipy keeps its timestamps as numbers.
func millis(s string) *int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
}

// number is s as a JSON number when it is an integer, else left out.
func number(s string) *json.Number {
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return nil
	}
	n := json.Number(s)
	return &n
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
