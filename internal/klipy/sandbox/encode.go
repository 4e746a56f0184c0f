package sandbox

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"ferry/internal/source"
)

// The sandbox's API objects, written from a canonical record. Klipy documents the interaction
// read shape (NOTES.md §1; the old reference's example:
// https://developer.klipycrm.com/api-reference/interactions/query-interaction-records); for
// people and companies it documents no schema, so the sandbox serves the names NOTES.md
// suggests (the unofficial client's person, the interaction.captured company). The spelling
// of the names (Options.FieldCase: camelCase as the API examples, or snake_case as the
// webhooks) and the form of the times (Options.TimeFormat: Unix milliseconds, as
// interactionDate is documented for create, or ISO 8601, as the old reference's examples
// show) are not fixed by the docs and are options. Canonical fields the API does not carry
// (a person's owner, tags, notes, company_name, custom fields; a company's owner and tags; an
// interaction's deal and duration) are not served: they come only from the harvest folder.
// Empty fields are omitted.

// encoder writes API objects in one field case and time format.
type encoder struct {
	snake bool // snake_case field names (default camelCase)
	iso   bool // ISO 8601 times (default Unix milliseconds)
}

// obj builds a JSON object with its keys in insertion order.
type obj struct {
	enc *encoder
	b   bytes.Buffer
}

func (e *encoder) object() *obj {
	o := &obj{enc: e}
	o.b.WriteByte('{')
	return o
}

func (o *obj) key(camel string) {
	if o.b.Len() > 1 {
		o.b.WriteByte(',')
	}
	k := camel
	if o.enc.snake {
		k = snake(camel)
	}
	o.b.WriteString(strconv.Quote(k))
	o.b.WriteByte(':')
}

// str adds a string field, left out when empty.
func (o *obj) str(camel, v string) {
	if v == "" {
		return
	}
	o.key(camel)
	b, _ := json.Marshal(v)
	o.b.Write(b)
}

// num adds an integer field, left out when v is not an integer.
func (o *obj) num(camel, v string) {
	if _, err := strconv.ParseInt(v, 10, 64); err != nil {
		return
	}
	o.key(camel)
	o.b.WriteString(v)
}

// time adds a time field from an RFC 3339 value, in the encoder's format; anything else is
// left out, as Klipy keeps its timestamps as times.
func (o *obj) time(camel, v string) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return
	}
	o.key(camel)
	if o.enc.iso {
		o.b.WriteString(strconv.Quote(t.UTC().Format("2006-01-02T15:04:05.999Z07:00")))
		return
	}
	o.b.WriteString(strconv.FormatInt(t.UnixMilli(), 10))
}

// list adds a string array field, always present (Klipy's example shows [] for none).
func (o *obj) list(camel string, xs []string) {
	o.key(camel)
	if xs == nil {
		xs = []string{}
	}
	b, _ := json.Marshal(xs)
	o.b.Write(b)
}

func (o *obj) bytes() []byte {
	o.b.WriteByte('}')
	return o.b.Bytes()
}

// snake writes a camelCase name in snake_case.
func snake(k string) string {
	var b strings.Builder
	for _, r := range k {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// encode writes the API object of a canonical record.
func (e *encoder) encode(r source.Record) ([]byte, error) {
	f := r.Fields
	o := e.object()
	o.str("id", r.ID)
	switch r.Kind {
	case source.Person:
		o.str("firstName", f["first_name"])
		o.str("lastName", f["last_name"])
		o.str("email", f["email"])
		o.str("phone", f["phone"])
		o.str("title", f["title"])
		o.str("companyId", f["company_id"])
		o.str("linkedin", f["linkedin_url"])
		o.time("createdAt", f["created_at"])
		o.time("updatedAt", f["updated_at"])
	case source.Company:
		o.str("name", f["name"])
		o.str("domain", f["domain"])
		o.str("website", f["website"])
		o.str("industry", f["industry"])
		o.num("employeeCount", f["employee_count"])
		o.str("city", f["city"])
		o.str("country", f["country"])
		o.str("linkedin", f["linkedin_url"])
		o.time("createdAt", f["created_at"])
	default:
		o.list("companies", source.List(f["company_ids"]))
		o.list("contacts", source.List(f["person_ids"]))
		o.str("direction", f["direction"])
		o.str("sentiment", f[source.CustomPrefix+"sentiment"])
		o.str("source", f["channel"])
		o.str("summary", f["summary"])
		o.str("title", f["title"])
		o.str("type", f["type"])
		o.str("createdBy", f["created_by"])
		o.time("creationTime", f["created_at"])
		o.time("interactionDate", f["interaction_date"])
	}
	return o.bytes(), nil
}
