package pipedrive

import (
	"strings"
	"testing"
)

// TestCreateRefusal checks each kind of documented rule on bodies as ferry builds them (Go
// values) and as JSON decodes them (float64 numbers); the documents themselves are checked
// against these rules and the sandbox in package conformance.
func TestCreateRefusal(t *testing.T) {
	known := map[string][2]string{"v": {"Nickname", "varchar"}, "t": {"Bio", "text"}, "d": {"Score", "double"},
		"e": {"Tier", "enum"}, "s": {"Tags", "set"}, "m": {"Budget", "monetary"}, "day": {"Met", "date"}}
	fields := FieldInfo(func(code string) (string, string) { return known[code][0], known[code][1] })
	cf := func(code string, v any) map[string]any { return map[string]any{code: v} }
	for _, tc := range []struct {
		name, entity string
		body         Entity
		want         string // a substring of the refusal; "" when Pipedrive takes the body
	}{
		{"person with a name", "person", Entity{"name": "Ann"}, ""},
		{"person with first and last name", "person", Entity{"first_name": "Ann", "last_name": "Lee"}, ""},
		{"person without a name", "person", Entity{"emails": []any{}}, "needs a name"},
		{"organization without a name", "organization", Entity{"name": " "}, "needs a name"},
		{"deal without a title", "deal", Entity{"value": 3.0}, "needs a title"},
		{"note without content", "note", Entity{"content": "", "org_id": int64(2)}, "needs content"},
		{"note without a parent", "note", Entity{"content": "hi", "person_id": int64(0)}, "deal, person, organization or lead"},
		{"note on a lead", "note", Entity{"content": "hi", "lead_id": "5f1c7e2a-0000-4000-8000-000000000001"}, ""},
		{"numeric string for an integer", "person", Entity{"name": "A", "org_id": "12"}, "org_id must be an integer"},
		{"decoded JSON integer", "person", Entity{"name": "A", "org_id": float64(12)}, ""},
		{"fraction for an integer", "person", Entity{"name": "A", "owner_id": 1.5}, "owner_id must be an integer"},
		{"string for a number", "deal", Entity{"title": "D", "value": "100"}, "value must be a number"},
		{"0/1 for a boolean", "activity", Entity{"done": 1}, "done must be true or false"},
		{"date not YYYY-MM-DD", "activity", Entity{"due_date": "03/01/2024"}, "due_date must be a date"},
		{"visible_to outside 1/3/5/7", "organization", Entity{"name": "A", "visible_to": int64(2)}, "visible_to"},
		{"unknown deal status", "deal", Entity{"title": "D", "status": "closed"}, "not open, won or lost"},
		{"currency name", "deal", Entity{"title": "D", "currency": "Euro"}, "3-letter"},
		{"lost reason on an open deal", "deal", Entity{"title": "D", "lost_reason": "price"}, "lost_reason can only be set"},
		{"lost reason on a lost deal", "deal", Entity{"title": "D", "status": "lost", "lost_reason": "price"}, ""},
		{"won time on a lost deal", "deal", Entity{"title": "D", "status": "lost", "won_time": "2024-01-01T00:00:00Z"}, "won_time"},
		{"close time on a won deal", "deal", Entity{"title": "D", "status": "won", "close_time": "2024-01-01T00:00:00Z"}, ""},
		{"email without a value", "person", Entity{"name": "A", "emails": []any{map[string]any{"label": "work"}}}, "each item of emails needs a value"},
		{"participant without a person", "activity", Entity{"participants": []any{map[string]any{"primary": true}}}, "a participant needs the id of an existing person"},
		{"participant", "activity", Entity{"participants": []any{map[string]any{"person_id": int64(4), "primary": true}}}, ""},
		{"person notes over 10 000", "person", Entity{"name": "A", "notes": strings.Repeat("x", 10001)}, "longer than the 10000 characters"},
		{"varchar at 255", "person", Entity{"name": "A", "custom_fields": cf("v", strings.Repeat("é", 255))}, ""},
		{"varchar over 255", "person", Entity{"name": "A", "custom_fields": cf("v", strings.Repeat("é", 256))}, `"Nickname": longer than the 255 characters a varchar field holds`},
		{"text over 65k", "person", Entity{"name": "A", "custom_fields": cf("t", strings.Repeat("x", 65001))}, "longer than the 65000 characters"},
		{"text for a double", "person", Entity{"name": "A", "custom_fields": cf("d", "12")}, `"Score": a double field takes a number`},
		{"label for an enum", "person", Entity{"name": "A", "custom_fields": cf("e", "Gold")}, "takes an integer"},
		{"empty set", "person", Entity{"name": "A", "custom_fields": cf("s", []any{})}, "null to clear"},
		{"set of ids", "person", Entity{"name": "A", "custom_fields": cf("s", []any{int64(3)})}, ""},
		{"monetary without a value", "deal", Entity{"title": "D", "custom_fields": cf("m", map[string]any{"currency": "EUR"})}, "object with a value"},
		{"date field", "deal", Entity{"title": "D", "custom_fields": cf("day", "2024-02-30")}, "a date YYYY-MM-DD"},
		{"null clears any field", "person", Entity{"name": "A", "custom_fields": cf("s", nil)}, ""},
		{"unknown field code", "person", Entity{"name": "A", "custom_fields": cf("zz", 3)}, ""},
		{"two records over the limit share one reason", "person", Entity{"name": "A", "custom_fields": cf("v", strings.Repeat("x", 300))},
			`custom field "Nickname": longer than the 255 characters a varchar field holds`},
	} {
		got := CreateRefusal(tc.entity, tc.body, fields)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: CreateRefusal(%s, …) = %q, want %q", tc.name, tc.entity, got, tc.want)
		}
	}
}
