package sandbox

import (
	"strings"
	"testing"
)

// TestV2Strictness checks that v2 rejects what the migration guide says it rejects.
func TestV2Strictness(t *testing.T) {
	e := newEnv(t, Options{})
	enum := obj(e.must(200, "POST", "/api/v2/personFields", map[string]any{"field_name": "Tier", "field_type": "enum",
		"options": []any{map[string]any{"label": "Gold"}, map[string]any{"label": "Silver"}}}))
	set := obj(e.must(200, "POST", "/api/v2/personFields", map[string]any{"field_name": "Tags", "field_type": "set",
		"options": []any{map[string]any{"label": "a"}}}))
	num := obj(e.must(200, "POST", "/api/v2/personFields", map[string]any{"field_name": "Score", "field_type": "double"}))
	enumCode, setCode, numCode := enum["field_code"].(string), set["field_code"].(string), num["field_code"].(string)
	tests := []struct {
		name, path, body, wantErr string
	}{
		{"string for integer", "/api/v2/persons", `{"name":"A","owner_id":"1"}`, "owner_id"},
		{"string for number", "/api/v2/deals", `{"title":"D","value":"100"}`, "value"},
		{"1 for boolean", "/api/v2/activities", `{"subject":"S","done":1}`, "done"},
		{"0 for boolean", "/api/v2/pipelines", `{"name":"P","is_deal_probability_enabled":0}`, "is_deal_probability_enabled"},
		{"non-RFC3339 time", "/api/v2/persons", `{"name":"A","add_time":"2024-01-01 10:00:00"}`, "add_time"},
		{"date for time", "/api/v2/deals", `{"title":"D","won_time":"2024-01-01"}`, "won_time"},
		{"bad date", "/api/v2/deals", `{"title":"D","expected_close_date":"01/02/2024"}`, "expected_close_date"},
		{"unknown top-level key", "/api/v2/persons", `{"name":"A","` + numCode + `":5}`, "Unrecognized key"},
		{"deal add_time not in v2", "/api/v2/deals", `{"title":"D","add_time":"2024-01-01T00:00:00Z"}`, "add_time"},
		{"unknown custom code", "/api/v2/persons", `{"name":"A","custom_fields":{"0000000000000000000000000000000000000000":"x"}}`, "Unknown custom field"},
		{"custom_fields not object", "/api/v2/persons", `{"name":"A","custom_fields":[]}`, "custom_fields"},
		{"string for double custom", "/api/v2/persons", `{"name":"A","custom_fields":{"` + numCode + `":"5"}}`, numCode},
		{"unknown enum option", "/api/v2/persons", `{"name":"A","custom_fields":{"` + enumCode + `":999}}`, "Option"},
		{"enum as string", "/api/v2/persons", `{"name":"A","custom_fields":{"` + enumCode + `":"Gold"}}`, enumCode},
		{"empty set", "/api/v2/persons", `{"name":"A","custom_fields":{"` + setCode + `":[]}}`, "null to clear"},
		{"unknown label", "/api/v2/persons", `{"name":"A","label_ids":[9999]}`, "label_ids"},
		{"visible_to string", "/api/v2/persons", `{"name":"A","visible_to":"3"}`, "visible_to"},
		{"visible_to bad value", "/api/v2/persons", `{"name":"A","visible_to":2}`, "visible_to"},
		{"two primary emails", "/api/v2/persons", `{"name":"A","emails":[{"value":"a","primary":true},{"value":"b","primary":true}]}`, "primary"},
		{"missing name", "/api/v2/persons", `{"emails":[{"value":"a@b"}]}`, "name"},
		{"missing title", "/api/v2/deals", `{"value":5}`, "title"},
		{"missing org name", "/api/v2/organizations", `{}`, "name"},
		{"unknown org ref", "/api/v2/persons", `{"name":"A","org_id":12345}`, "Organization"},
		{"bad status", "/api/v2/deals", `{"title":"D","status":"deleted"}`, "status"},
		{"bad currency", "/api/v2/deals", `{"title":"D","currency":"euro"}`, "currency"},
		{"activity person_id read-only", "/api/v2/activities", `{"subject":"S","person_id":1}`, "read-only"},
		{"unknown activity type", "/api/v2/activities", `{"subject":"S","type":"telepathy"}`, "type"},
		{"bad due_time", "/api/v2/activities", `{"subject":"S","due_time":"9am"}`, "due_time"},
		{"not JSON", "/api/v2/persons", `name=A`, "JSON"},
		{"stage without pipeline", "/api/v2/stages", `{"name":"S"}`, "pipeline_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", tc.path, tc.body)
			if r.status != 400 {
				t.Fatalf("status %d, want 400: %s", r.status, r.raw)
			}
			if r.body["success"] != false || r.body["code"] != "ERR_BAD_REQUEST" {
				t.Errorf("envelope = %v", r.body)
			}
			if msg, _ := r.body["error"].(string); !strings.Contains(msg, tc.wantErr) {
				t.Errorf("error %q does not mention %q", msg, tc.wantErr)
			}
		})
	}
	if n := len(e.srv.Snapshot().Persons); n != 0 {
		t.Errorf("%d persons stored by rejected requests", n)
	}
}

// TestCustomFieldValues checks accepted custom values, null clearing and deleted codes.
func TestCustomFieldValues(t *testing.T) {
	e := newEnv(t, Options{})
	mk := func(typ string, opts ...string) (string, []any) {
		body := map[string]any{"field_name": typ + " field", "field_type": typ}
		var o []any
		for _, l := range opts {
			o = append(o, map[string]any{"label": l})
		}
		if o != nil {
			body["options"] = o
		}
		f := obj(e.must(200, "POST", "/api/v2/dealFields", body))
		return f["field_code"].(string), list(f["options"])
	}
	text, _ := mk("varchar")
	money, _ := mk("monetary")
	set, setOpts := mk("set", "x", "y")
	day, _ := mk("date")
	gone, _ := mk("text")
	optY := obj(setOpts[1])["id"]
	id := e.create("/api/v2/deals", map[string]any{"title": "D", "custom_fields": map[string]any{
		text: "K-1", money: map[string]any{"value": 10.5, "currency": "EUR"}, set: []any{optY}, day: "2024-02-03"}})
	got := obj(obj(e.must(200, "GET", "/api/v2/deals/"+itoa(id), nil))["custom_fields"])
	if got[text] != "K-1" || obj(got[money])["currency"] != "EUR" || list(got[set])[0] != optY || got[day] != "2024-02-03" {
		t.Errorf("custom values = %v", got)
	}
	e.must(200, "PATCH", "/api/v2/deals/"+itoa(id), map[string]any{"custom_fields": map[string]any{set: nil}})
	e.must(200, "DELETE", "/api/v2/dealFields/"+gone, nil)
	upd := obj(e.must(200, "PATCH", "/api/v2/deals/"+itoa(id), map[string]any{"custom_fields": map[string]any{gone: "ignored"}}))
	cf := obj(upd["custom_fields"])
	if v, ok := cf[set]; !ok || v != nil {
		t.Errorf("set after null = %v (present %v), want null", v, ok)
	}
	if _, ok := cf[gone]; ok {
		t.Errorf("deleted field %s still rendered", gone)
	}
}

func TestCustomFieldsSelection(t *testing.T) {
	e := newEnv(t, Options{})
	a := createField(e, "organization", "A", "varchar")["field_code"].(string)
	b := createField(e, "organization", "B", "varchar")["field_code"].(string)
	id := e.create("/api/v2/organizations", map[string]any{"name": "O", "custom_fields": map[string]any{a: "1", b: "2"}})
	cf := obj(obj(e.must(200, "GET", "/api/v2/organizations/"+itoa(id)+"?custom_fields="+a, nil))["custom_fields"])
	if len(cf) != 1 || cf[a] != "1" {
		t.Errorf("selected custom_fields = %v", cf)
	}
	many := make([]string, 16)
	for i := range many {
		many[i] = strings.Repeat(string(rune('a'+i)), 3)
	}
	if r := e.do("GET", "/api/v2/organizations?custom_fields="+strings.Join(many, ","), nil); r.status != 400 {
		t.Errorf("16 custom_fields keys: %d", r.status)
	}
}
