package compare

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive"
)

func TestSame(t *testing.T) {
	tests := []struct {
		name      string
		want, got any
		same      bool
	}{
		{"number vs padded string", 1200.5, "1200.50", true},
		{"number vs json number", 1200.5, json.Number("1200.5"), true},
		{"int id vs json number", int64(7), json.Number("7"), true},
		{"different numbers", 1200.5, json.Number("1200.49"), false},
		{"rfc3339 vs v1 time", "2024-03-01T10:20:30Z", "2024-03-01 10:20:30", true},
		{"rfc3339 offset vs utc", "2024-03-01T11:20:30+01:00", "2024-03-01T10:20:30Z", true},
		{"different instants", "2024-03-01T10:20:30Z", "2024-03-01 10:20:31", false},
		{"date vs datetime same day", "2024-03-01", "2024-03-01T00:00:00Z", true},
		{"date vs other day", "2024-03-01", "2024-03-02", false},
		{"clock with seconds", "09:30", "09:30:00", true},
		{"clock differs", "09:30", "09:31:00", false},
		{"html sanitised", "<p>Hello &amp; <b>bye</b></p>", "<p>Hello &amp; bye</p>", true},
		{"html text differs", "<p>Hello</p>", "<p>Goodbye</p>", false},
		{"whitespace collapsed", "Acme  Inc ", "Acme Inc", true},
		{"text case matters", "Acme", "ACME", false},
		{"empty alike", "", nil, true},
		{"empty vs value", "", "x", false},
		{"bool vs bool", true, true, true},
		{"bool vs false", true, false, false},
		{"bool vs 1", true, json.Number("1"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Same(tt.want, tt.got); got != tt.same {
				t.Errorf("Same(%#v, %#v) = %v, want %v", tt.want, tt.got, got, tt.same)
			}
		})
	}
}

func TestSamePhone(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"+14155550123", "+1 (415) 555-0123", true},
		{"+14155550123", "(415) 555-0123", true},
		{"+442079460958", "020 7946 0958", true},
		{"+14155550123", "+14155550124", false},
		{"+14155550123", "0123", false},
	}
	for _, tt := range tests {
		if got := SamePhone(tt.a, tt.b); got != tt.same {
			t.Errorf("SamePhone(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

func contactList(items ...any) []any {
	var out []any
	for i := 0; i < len(items); i += 2 {
		out = append(out, map[string]any{"value": items[i], "primary": items[i+1], "label": "work"})
	}
	return out
}

func TestCompareBody(t *testing.T) {
	names := map[string]string{"abc": "Klipy ID", "def": "Industry"}
	base := func() pipedrive.Entity {
		return pipedrive.Entity{"name": "Ada Lovelace", "org_id": json.Number("3"), "owner_id": json.Number("2"),
			"emails":    contactList("ada@example.com", true, "ada2@example.com", false),
			"phones":    contactList("+1 415 555 0123", true),
			"label_ids": []any{json.Number("5"), json.Number("4")}, "add_time": "2023-01-02T03:04:05Z",
			"visible_to":    json.Number("3"),
			"custom_fields": map[string]any{"abc": "per_1", "def": json.Number("12"), "zzz": nil}}
	}
	want := pipedrive.Entity{"name": "Ada Lovelace", "org_id": int64(3), "owner_id": int64(2),
		"emails":    contactList("Ada@Example.com", true, "ada2@example.com", false),
		"phones":    contactList("+14155550123", true),
		"label_ids": []any{int64(4), int64(5)}, "add_time": "2023-01-02T03:04:05Z",
		"custom_fields": map[string]any{"abc": "per_1", "def": int64(12)}}
	tests := []struct {
		name   string
		edit   func(pipedrive.Entity)
		only   map[string]bool
		fields []string
	}{
		{"identical up to storage", func(pipedrive.Entity) {}, nil, nil},
		{"email changed", func(g pipedrive.Entity) {
			g["emails"] = contactList("eve@example.com", true, "ada2@example.com", false)
		}, nil, []string{"emails"}},
		{"primary email swapped", func(g pipedrive.Entity) {
			g["emails"] = contactList("ada@example.com", false, "ada2@example.com", true)
		}, nil, []string{"emails"}},
		{"org moved", func(g pipedrive.Entity) { g["org_id"] = json.Number("9") }, nil, []string{"org_id"}},
		{"label removed", func(g pipedrive.Entity) { g["label_ids"] = []any{json.Number("5")} }, nil, []string{"label_ids"}},
		{"custom field changed", func(g pipedrive.Entity) { g.SetCustom("abc", "per_2") }, nil, []string{"custom field Klipy ID"}},
		{"option id changed", func(g pipedrive.Entity) { g.SetCustom("def", json.Number("13")) }, nil, []string{"custom field Industry"}},
		{"owner and name", func(g pipedrive.Entity) { g["owner_id"], g["name"] = json.Number("1"), "Ada" }, nil, []string{"name", "owner_id"}},
		{"merge patch compares only its keys", func(g pipedrive.Entity) {
			g["name"], g["label_ids"] = "Someone Else", []any{}
			g.SetCustom("def", json.Number("99"))
		}, map[string]bool{"custom_fields": true, "custom_fields.abc": true, "org_id": true}, nil},
		{"merge patch sees its custom field", func(g pipedrive.Entity) { g.SetCustom("abc", "per_9") },
			map[string]bool{"custom_fields": true, "custom_fields.abc": true}, []string{"custom field Klipy ID"}},
		{"merge patch still sees its keys", func(g pipedrive.Entity) { g["org_id"] = json.Number("8") },
			map[string]bool{"org_id": true}, []string{"org_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := base()
			tt.edit(got)
			var fields []string
			for _, d := range CompareBody("person", want, got, tt.only, names) {
				fields = append(fields, d.Field)
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompareBodyLabelsAppeared(t *testing.T) {
	got := pipedrive.Entity{"title": "Deal", "label_ids": []any{json.Number("4")}}
	diffs := CompareBody("deal", pipedrive.Entity{"title": "Deal"}, got, nil, nil)
	want := []Diff{{Field: "label_ids", Want: "[]", Got: "[4]"}}
	if d := cmp.Diff(want, diffs); d != "" {
		t.Errorf("diffs (-want +got):\n%s", d)
	}
}

func TestCompareParticipants(t *testing.T) {
	want := pipedrive.Entity{"participants": []any{map[string]any{"person_id": int64(1), "primary": true},
		map[string]any{"person_id": int64(2), "primary": false}}}
	same := pipedrive.Entity{"participants": []any{map[string]any{"person_id": json.Number("2"), "primary": false},
		map[string]any{"person_id": json.Number("1"), "primary": true}}}
	moved := pipedrive.Entity{"participants": []any{map[string]any{"person_id": json.Number("1"), "primary": true}}}
	if d := CompareBody("activity", want, same, nil, nil); len(d) != 0 {
		t.Errorf("same participants in another order: %+v", d)
	}
	if d := CompareBody("activity", want, moved, nil, nil); len(d) != 1 || d[0].Field != "participants" {
		t.Errorf("dropped participant: %+v", d)
	}
}
