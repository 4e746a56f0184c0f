package klipy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"ferry/internal/source"
)

// The API's object shapes. NOTES.md §1 gives the interaction read shape (id, companies[],
// contacts[], direction, sentiment, source, summary, title, type, createdBy, creationTime,
// interactionDate) but no official person or company schema, so those follow what NOTES.md
// does say: the person of the unofficial TypeScript client {id, email, firstName, lastName,
// title, phone, companyId, createdAt, updatedAt} plus the linkedin of lead.captured; the
// company of interaction.captured {id, name, domain, industry, employee_count,
// estimated_revenue, city, state, country, linkedin}, plus website and createdAt.
//
// Klipy's API examples spell fields in camelCase, its webhooks in snake_case, and neither is
// promised for the other: every field name is read in either case (firstName, first_name and
// FIRST_NAME are one field). Times are accepted as Unix milliseconds (as interactionDate is
// documented for create) or as ISO strings (as the old reference's examples show). A field the
// decoder does not know is kept, never dropped, as source.CustomPrefix + its snake_case name
// (so both spellings give one custom field), its value as text (objects and arrays as JSON).

// fieldKind says how a known API field is read.
type fieldKind int

const (
	asText    fieldKind = iota // a string or number, verbatim
	asTime                     // canonicalTime
	asIDs                      // a list of ids (strings, numbers or {id} objects), ;-joined
	asCompany                  // a company id, or a company object {id, name, …}
)

// apiField maps one API field (its normalized name) onto a canonical field.
type apiField struct {
	canonical string
	kind      fieldKind
}

// apiFieldsByKind holds, per kind, the API fields the decoder knows, by normalized name
// (lower case, without underscores or dashes: see normKey).
var apiFieldsByKind = map[source.Kind]map[string]apiField{
	source.Person: {
		"id": {"id", asText}, "firstname": {"first_name", asText}, "lastname": {"last_name", asText},
		"email": {"email", asText}, "phone": {"phone", asText}, "title": {"title", asText},
		"companyid": {"company_id", asText}, "company": {"company_id", asCompany},
		"companyname": {"company_name", asText}, "linkedin": {"linkedin_url", asText},
		"linkedinurl": {"linkedin_url", asText}, "createdat": {"created_at", asTime},
		"creationtime": {"created_at", asTime}, "updatedat": {"updated_at", asTime},
	},
	source.Company: {
		"id": {"id", asText}, "name": {"name", asText}, "domain": {"domain", asText},
		"website": {"website", asText}, "industry": {"industry", asText},
		"employeecount": {"employee_count", asText}, "city": {"city", asText},
		"country": {"country", asText}, "linkedin": {"linkedin_url", asText},
		"linkedinurl": {"linkedin_url", asText}, "createdat": {"created_at", asTime},
		"creationtime": {"created_at", asTime},
	},
	source.Interaction: {
		"id": {"id", asText}, "type": {"type", asText}, "direction": {"direction", asText},
		"source": {"channel", asText}, "title": {"title", asText}, "summary": {"summary", asText},
		"interactiondate": {"interaction_date", asTime}, "creationtime": {"created_at", asTime},
		"createdat": {"created_at", asTime}, "contacts": {"person_ids", asIDs},
		"people": {"person_ids", asIDs}, "companies": {"company_ids", asIDs},
		"company": {"company_ids", asCompany}, "createdby": {"created_by", asText},
	},
}

// normKey folds an API field name for matching: lower case without '_' and '-'.
func normKey(k string) string {
	var b strings.Builder
	for _, r := range k {
		if r == '_' || r == '-' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// snakeKey writes an API field name in snake_case: estimatedRevenue → estimated_revenue.
func snakeKey(k string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range k {
		if unicode.IsUpper(r) {
			if unicode.IsLower(prev) || unicode.IsDigit(prev) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// fieldSet builds a Fields map, leaving out empty values.
type fieldSet map[string]string

func (f fieldSet) set(k, v string) {
	if v != "" {
		f[k] = v
	}
}

// decodeObject maps one API object of kind onto a record from origin (the endpoint, for
// errors). It fails, wrapping ErrProtocol, when raw is not an object, a known field has a
// value of the wrong shape, or the record lacks what ferry needs: an id, and for a person
// something to know them by (an email, a name, a phone or a LinkedIn URL).
func decodeObject(kind source.Kind, raw json.RawMessage, origin string) (source.Record, error) {
	known, ok := apiFieldsByKind[kind]
	if !ok {
		return source.Record{}, fmt.Errorf("klipy api has no %s objects", kind)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return source.Record{}, fmt.Errorf("%w: %s object from %s is not a JSON object: %s", ErrProtocol, kind, origin, snippet(raw))
	}
	f := fieldSet{}
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		af, isKnown := known[normKey(k)]
		if !isKnown {
			f.set(source.CustomPrefix+snakeKey(k), customText(v))
			continue
		}
		if err := af.read(f, v); err != nil {
			return source.Record{}, fmt.Errorf("%w: %s object from %s: field %q: %v", ErrProtocol, kind, origin, k, err)
		}
	}
	if f["id"] == "" {
		return source.Record{}, fmt.Errorf("%w: %s object from %s has no id (fields seen: %s)", ErrProtocol, kind, origin, strings.Join(sortedKeys(obj), ", "))
	}
	if kind == source.Person && f["email"] == "" && f["first_name"] == "" && f["last_name"] == "" &&
		f["phone"] == "" && f["linkedin_url"] == "" {
		return source.Record{}, fmt.Errorf("%w: person %s from %s has no email, name, phone or linkedin the client can read (fields seen: %s)",
			ErrProtocol, f["id"], origin, strings.Join(sortedKeys(obj), ", "))
	}
	return source.Record{Kind: kind, ID: f["id"], Channel: source.API, Origin: "api:" + origin, Fields: f}, nil
}

// read decodes v into f according to the field's kind.
func (af apiField) read(f fieldSet, v json.RawMessage) error {
	switch af.kind {
	case asTime:
		var t flexTime
		if err := t.UnmarshalJSON(v); err != nil {
			return err
		}
		f.set(af.canonical, string(t))
	case asIDs:
		var ids flexIDs
		if err := ids.UnmarshalJSON(v); err != nil {
			return err
		}
		f.set(af.canonical, source.JoinList(ids))
	case asCompany:
		if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '{' {
			var c struct {
				ID   flexString `json:"id"`
				Name string     `json:"name"`
			}
			if err := json.Unmarshal(t, &c); err != nil {
				return err
			}
			f.set(af.canonical, string(c.ID))
			if af.canonical == "company_id" {
				f.set("company_name", c.Name)
			}
			return nil
		}
		var s flexString
		if err := s.UnmarshalJSON(v); err != nil {
			return err
		}
		f.set(af.canonical, string(s))
	default:
		var s flexString
		if err := s.UnmarshalJSON(v); err != nil {
			return err
		}
		f.set(af.canonical, string(s))
	}
	return nil
}

// customText is the text of an unknown field: a scalar as text, null as "", an object or
// array as compact JSON.
func customText(v json.RawMessage) string {
	var s flexString
	if err := s.UnmarshalJSON(v); err == nil {
		return string(s)
	}
	if string(bytes.TrimSpace(v)) == "true" || string(bytes.TrimSpace(v)) == "false" {
		return string(bytes.TrimSpace(v))
	}
	var buf bytes.Buffer
	if json.Compact(&buf, v) == nil {
		return buf.String()
	}
	return string(v)
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
