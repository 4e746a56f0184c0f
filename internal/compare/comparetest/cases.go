// Package comparetest holds the table of comparison cases that every comparer of ferry —
// ferry run --sample's field diff, ferry verify's read-back and ferry delta's decision to
// update — must decide alike: what was
// sent (or intended) against what Pipedrive stores, for the ways Pipedrive rewrites values
// (times, HTML, e-mail case, phone formatting, numbers, sets of ids, nested custom fields).
package comparetest

import "ferry/internal/pipedrive"

// Case is one body sent and the record Pipedrive holds; Same says whether they agree.
type Case struct {
	Name   string
	Entity string // person, organization, deal, activity, note
	Want   pipedrive.Entity
	Got    pipedrive.Entity
	Same   bool
}

// Cases is the shared table.
var Cases = []Case{
	{"v1 time for an RFC 3339 time", "activity",
		pipedrive.Entity{"due_date": "2024-03-01", "add_time": "2024-03-01T10:20:30Z"},
		pipedrive.Entity{"due_date": "2024-03-01", "add_time": "2024-03-01 10:20:30"}, true},
	{"offset time for the same instant", "deal",
		pipedrive.Entity{"title": "A", "add_time": "2024-03-01T11:20:30+01:00"},
		pipedrive.Entity{"title": "A", "add_time": "2024-03-01T10:20:30Z", "label_ids": []any{}}, true},
	{"another instant", "deal",
		pipedrive.Entity{"title": "A", "add_time": "2024-03-01T10:20:30Z"},
		pipedrive.Entity{"title": "A", "add_time": "2024-03-01 10:20:31", "label_ids": []any{}}, false},
	{"sanitised HTML", "note",
		pipedrive.Entity{"content": "<p>Hello &amp; <b>bye</b></p>"},
		pipedrive.Entity{"content": "<p>Hello &amp; bye</p>"}, true},
	{"HTML with other text", "note",
		pipedrive.Entity{"content": "<p>Hello</p>"},
		pipedrive.Entity{"content": "<p>Goodbye</p>"}, false},
	{"e-mail case", "person",
		pipedrive.Entity{"name": "Ann Lee", "emails": []any{map[string]any{"value": "Ann.Lee@Acme.COM", "primary": true}}},
		pipedrive.Entity{"name": "Ann Lee", "emails": []any{map[string]any{"value": "ann.lee@acme.com", "primary": true, "label": "work"}}, "label_ids": []any{}}, true},
	{"another e-mail", "person",
		pipedrive.Entity{"name": "Ann Lee", "emails": []any{map[string]any{"value": "ann@acme.com"}}},
		pipedrive.Entity{"name": "Ann Lee", "emails": []any{map[string]any{"value": "anne@acme.com"}}, "label_ids": []any{}}, false},
	{"phone formatting", "person",
		pipedrive.Entity{"name": "Ann Lee", "phones": []any{map[string]any{"value": "+44 113 496 0001"}}},
		pipedrive.Entity{"name": "Ann Lee", "phones": []any{map[string]any{"value": "+441134960001", "label": "work"}}, "label_ids": []any{}}, true},
	{"number types", "deal",
		pipedrive.Entity{"title": "A", "value": int64(1200)},
		pipedrive.Entity{"title": "A", "value": float64(1200), "label_ids": []any{}}, true},
	{"another number", "deal",
		pipedrive.Entity{"title": "A", "value": 1200.5},
		pipedrive.Entity{"title": "A", "value": 1200.49, "label_ids": []any{}}, false},
	{"label ids in another order", "organization",
		pipedrive.Entity{"name": "Acme", "label_ids": []int64{3, 1}},
		pipedrive.Entity{"name": "Acme", "label_ids": []any{float64(1), float64(3)}}, true},
	{"a label missing", "organization",
		pipedrive.Entity{"name": "Acme", "label_ids": []int64{3, 1}},
		pipedrive.Entity{"name": "Acme", "label_ids": []any{float64(1)}}, false},
	{"custom field nested", "person",
		pipedrive.Entity{"name": "Ann", "custom_fields": map[string]any{"abc": "Referral"}},
		pipedrive.Entity{"name": "Ann", "custom_fields": map[string]any{"abc": "Referral", "zzz": nil}, "label_ids": []any{}}, true},
	{"custom field differs", "person",
		pipedrive.Entity{"name": "Ann", "custom_fields": map[string]any{"abc": "Referral"}},
		pipedrive.Entity{"name": "Ann", "custom_fields": map[string]any{"abc": "Website"}, "label_ids": []any{}}, false},
}
