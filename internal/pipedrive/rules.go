package pipedrive

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds Pipedrive's documented rules for a create body, so that a request Pipedrive
// would refuse is not sent. Each rule names where it is written down: the v2 OpenAPI document
// (openapi-v2.yaml: the request schemas' required lists and property types, and its
// descriptions), the v1 document for notes (openapi-v1.yaml) and API-NOTES.md (the custom
// fields guide [CF] and the v2 migration guide [MIG]). Rules that need Pipedrive's state
// (an id names an existing record, an activity type exists) are not here: ferry's id map
// and schema setup answer those. The sandbox enforces the same documented rules with code
// of its own; package conformance checks both against the documents.

// Documented limits of custom field values, by field type (openapi-v2.yaml, addDealField's
// field_type table: "Text (up to 255 characters)", "Long text (up to 65k characters)",
// "Phone field (up to 255 numbers and/or characters)"), and of a person's Contact Sync notes
// ("maximum 10 000 characters").
const (
	MaxVarcharRunes     = 255
	MaxTextRunes        = 65000
	MaxPersonNotesRunes = 10000
)

// FieldInfo gives the name and Pipedrive type of a custom field by its field_code ("", ""
// for a code it does not know).
type FieldInfo func(code string) (name, typ string)

// valueKind is the JSON type a documented body property has.
type valueKind int

const (
	vString valueKind = iota
	vInt
	vNumber
	vBool
	vIntList
	vObjectList // array of objects (emails, phones, participants, attendees)
	vObject
	vDate // a string YYYY-MM-DD
)

var kindNames = map[valueKind]string{vString: "a string", vInt: "an integer", vNumber: "a number",
	vBool: "true or false", vIntList: "an array of integers", vObjectList: "an array of objects",
	vObject: "an object", vDate: "a date YYYY-MM-DD"}

// createProps are the property types of the create bodies ferry sends, from the request
// schemas of openapi-v2.yaml (addPerson, addOrganization, addDeal, addActivity) and
// openapi-v1.yaml (addNote). Properties not listed are not checked here.
var createProps = map[string]map[string]valueKind{
	"person": {"name": vString, "owner_id": vInt, "org_id": vInt, "add_time": vString, "emails": vObjectList,
		"phones": vObjectList, "visible_to": vInt, "label_ids": vIntList, "notes": vString,
		"custom_fields": vObject},
	"organization": {"name": vString, "owner_id": vInt, "add_time": vString, "visible_to": vInt,
		"label_ids": vIntList, "address": vObject, "custom_fields": vObject},
	"deal": {"title": vString, "owner_id": vInt, "person_id": vInt, "org_id": vInt, "pipeline_id": vInt,
		"stage_id": vInt, "value": vNumber, "currency": vString, "is_deleted": vBool, "is_archived": vBool,
		"status": vString, "probability": vNumber, "lost_reason": vString, "visible_to": vInt,
		"expected_close_date": vDate, "label_ids": vIntList, "custom_fields": vObject},
	"activity": {"subject": vString, "type": vString, "owner_id": vInt, "deal_id": vInt, "lead_id": vString,
		"org_id": vInt, "project_id": vInt, "due_date": vDate, "due_time": vString, "duration": vString,
		"busy": vBool, "done": vBool, "location": vObject, "participants": vObjectList, "attendees": vObjectList,
		"public_description": vString, "priority": vInt, "note": vString},
	"note": {"content": vString, "deal_id": vInt, "person_id": vInt, "org_id": vInt, "lead_id": vString,
		"project_id": vInt, "user_id": vInt, "add_time": vString},
}

// nullable are the properties the documents mark nullable (null is accepted).
var nullable = map[string]bool{"probability": true, "lost_reason": true, "close_time": true}

var (
	currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)
	// visibleTo are the visible_to values Pipedrive knows (API-NOTES §4: 1/3 or 1/3/5/7 by plan).
	visibleTo = map[int64]bool{1: true, 3: true, 5: true, 7: true}
	// dealStatuses are a deal's statuses (API-NOTES §4, [V2]: open|won|lost).
	dealStatuses = map[string]bool{"open": true, "won": true, "lost": true}
)

// CreateRefusal returns why Pipedrive would refuse body as the create of entity (person,
// organization, deal, activity, note), "" when no documented rule refuses it. fields gives
// the name and type of a custom field by its code (type "" when unknown: its value is not
// checked; fields may be nil). The first rule broken is named, with the field and what is
// allowed.
func CreateRefusal(entity string, body Entity, fields FieldInfo) string {
	if why := requiredRefusal(entity, body); why != "" {
		return why
	}
	props := createProps[entity]
	for _, k := range sortedKeys(body) {
		want, ok := props[k]
		v := body[k]
		if !ok || (v == nil && nullable[k]) {
			continue
		}
		if !hasKind(v, want) {
			return fmt.Sprintf("%s must be %s, not %s", k, kindNames[want], describe(v))
		}
	}
	for _, check := range []func(string, Entity, FieldInfo) string{valueRefusal, listRefusal, customRefusal} {
		if why := check(entity, body, fields); why != "" {
			return why
		}
	}
	return ""
}

// requiredRefusal checks the required properties: addDeal's title, addOrganization's name,
// a person's name or first and last name ([MIG]; v1 answered "Name must be given."), a
// note's content and one of its parents (openapi-v1.yaml addNote).
func requiredRefusal(entity string, body Entity) string {
	switch entity {
	case "note":
		if blankText(body, "content") {
			return "a note needs content"
		}
		if !anyLink(body, "deal_id", "person_id", "org_id", "lead_id", "project_id", "task_id") {
			return "a note needs a deal, person, organization or lead, and this one names none that was migrated"
		}
	case "organization":
		if blankText(body, "name") {
			return "an organization needs a name"
		}
	case "deal":
		if blankText(body, "title") {
			return "a deal needs a title"
		}
	case "person":
		if blankText(body, "name") && (blankText(body, "first_name") || blankText(body, "last_name")) {
			return "a person needs a name"
		}
	}
	return ""
}

// valueRefusal checks documented values: visible_to, a deal's status, currency and the
// status-bound times and lost reason (addDeal: "Can only be set if deal status is …"), a
// person's notes length.
func valueRefusal(entity string, body Entity, _ FieldInfo) string {
	if v, ok := body["visible_to"]; ok && !visibleTo[intOf(v)] {
		return "visible_to is not one of 1, 3, 5, 7"
	}
	if entity == "person" {
		if s, ok := body["notes"].(string); ok && utf8.RuneCountInString(s) > MaxPersonNotesRunes {
			return fmt.Sprintf("notes are longer than the %d characters Pipedrive takes", MaxPersonNotesRunes)
		}
	}
	if entity != "deal" {
		return ""
	}
	status, _ := body["status"].(string)
	if _, set := body["status"]; set && !dealStatuses[status] {
		return "status is not open, won or lost"
	}
	if c, ok := body["currency"].(string); ok && !currencyCode.MatchString(c) {
		return "currency is not a 3-letter currency code"
	}
	for key, allowed := range map[string]string{"won_time": "won", "lost_time": "lost", "lost_reason": "lost", "close_time": "won lost"} {
		if v, set := body[key]; set && v != nil && !strings.Contains(allowed, orOpen(status)) {
			return fmt.Sprintf("%s can only be set on a deal that is %s (this one is %s)", key, strings.ReplaceAll(allowed, " ", " or "), orOpen(status))
		}
	}
	return ""
}

func orOpen(status string) string {
	if status == "" {
		return "open"
	}
	return status
}

// listRefusal checks the items of emails and phones (each with a value, [MIG]) and of
// participants (each with an integer person_id, openapi-v2.yaml addActivity).
func listRefusal(_ string, body Entity, _ FieldInfo) string {
	for _, key := range []string{"emails", "phones", "participants"} {
		for _, m := range objects(body[key]) {
			if m == nil {
				return fmt.Sprintf("each item of %s must be an object", key)
			}
			if key == "participants" {
				if intOf(m["person_id"]) <= 0 {
					return fmt.Sprintf("a participant needs the id of an existing person, not %s", describe(m["person_id"]))
				}
				continue
			}
			if s, ok := m["value"].(string); !ok || strings.TrimSpace(s) == "" {
				return fmt.Sprintf("each item of %s needs a value", key)
			}
		}
	}
	return ""
}

// objects returns the items of a list of objects (nil for an item that is not an object).
func objects(v any) []map[string]any {
	switch l := v.(type) {
	case []map[string]any:
		return l
	case []any:
		out := make([]map[string]any, len(l))
		for i, it := range l {
			out[i], _ = it.(map[string]any)
		}
		return out
	}
	return nil
}

// customRefusal checks each custom field value by its field's type, as the custom fields
// guide ([CF], API-NOTES §5) and addDealField's type table describe it; null clears any
// field.
func customRefusal(_ string, body Entity, fields FieldInfo) string {
	cf, _ := body["custom_fields"].(map[string]any)
	if fields == nil {
		return ""
	}
	for _, code := range sortedKeys(cf) {
		v := cf[code]
		if v == nil {
			continue
		}
		name, typ := fields(code)
		if why := customValueRefusal(typ, v); why != "" {
			if name == "" {
				name = code
			}
			return fmt.Sprintf("custom field %q: %s", name, why)
		}
	}
	return ""
}

// customValueRefusal says why v cannot be the value of a custom field of type typ.
func customValueRefusal(typ string, v any) string {
	switch typ {
	case "varchar", "varchar_auto", "phone":
		return textRefusal(typ, v, MaxVarcharRunes)
	case "text":
		return textRefusal(typ, v, MaxTextRunes)
	case "double":
		return kindRefusal(typ, v, vNumber)
	case "enum", "user", "org", "people":
		return kindRefusal(typ, v, vInt)
	case "date":
		return kindRefusal(typ, v, vDate)
	case "set":
		if l, ok := v.([]any); ok && len(l) == 0 {
			return "a set field takes null to clear, not [] (openapi-v2.yaml)"
		}
		return kindRefusal(typ, v, vIntList)
	case "monetary", "address", "daterange", "time", "timerange":
		m, ok := v.(map[string]any)
		if !ok || m["value"] == nil {
			return fmt.Sprintf("a %s field takes an object with a value, not %s", typ, describe(v))
		}
		if typ == "monetary" && !hasKind(m["value"], vNumber) {
			return fmt.Sprintf("a monetary value must be a number, not %s", describe(m["value"]))
		}
	}
	return ""
}

func textRefusal(typ string, v any, max int) string {
	s, ok := v.(string)
	if !ok {
		return fmt.Sprintf("a %s field takes a string, not %s", typ, describe(v))
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("longer than the %d characters a %s field holds", max, typ)
	}
	return ""
}

func kindRefusal(typ string, v any, want valueKind) string {
	if hasKind(v, want) {
		return ""
	}
	return fmt.Sprintf("a %s field takes %s, not %s", typ, kindNames[want], describe(v))
}

// hasKind reports whether v, as ferry builds bodies (Go values before encoding, or decoded
// JSON), has the JSON type want.
func hasKind(v any, want valueKind) bool {
	switch want {
	case vString:
		_, ok := v.(string)
		return ok
	case vInt:
		_, ok := integer(v)
		return ok
	case vNumber:
		switch v.(type) {
		case int, int32, int64, float32, float64:
			return true
		}
		return false
	case vBool:
		_, ok := v.(bool)
		return ok
	case vDate:
		s, ok := v.(string)
		_, err := time.Parse(time.DateOnly, s)
		return ok && err == nil
	case vIntList:
		return intList(v)
	case vObjectList:
		switch v.(type) {
		case []any, []map[string]any:
			return true
		}
		return false
	case vObject:
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

// integer returns v as an integer when it is one (a float must be integral).
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case float64:
		return int64(n), n == float64(int64(n))
	}
	return 0, false
}

func intOf(v any) int64 {
	n, _ := integer(v)
	return n
}

func intList(v any) bool {
	switch l := v.(type) {
	case []int64, []int:
		return true
	case []any:
		for _, x := range l {
			if _, ok := integer(x); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// describe names a value's JSON type for a refusal. A refusal never quotes the record's
// value: records that break a rule alike share one reason (the class a loss is predicted,
// grouped and accepted by), and the error file lists each record's values.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int32, int64, float32, float64:
		return "a number"
	case map[string]any:
		return "an object"
	}
	return "an array"
}

// blankText reports whether key is absent, null or blank text.
func blankText(body Entity, key string) bool {
	v, ok := body[key]
	if !ok || v == nil {
		return true
	}
	s, isText := v.(string)
	return isText && strings.TrimSpace(s) == ""
}

// anyLink reports whether any of keys holds an id (a positive number, or a lead's UUID).
func anyLink(body Entity, keys ...string) bool {
	for _, k := range keys {
		if intOf(body[k]) > 0 {
			return true
		}
		if s, ok := body[k].(string); ok && strings.TrimSpace(s) != "" {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ChecksProperty reports whether CreateRefusal checks the type of property name in a create
// body of entity (the properties ferry's bodies carry).
func ChecksProperty(entity, name string) bool {
	_, ok := createProps[entity][name]
	return ok
}
