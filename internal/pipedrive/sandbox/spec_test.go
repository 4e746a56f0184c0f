package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ferry/internal/pipedrive/spectest"
)

// TestResponsesMatchSpec drives a realistic session through the spectest Recorder, which
// validates every request and response against Pipedrive's OpenAPI documents.
func TestResponsesMatchSpec(t *testing.T) {
	specs := spectest.Load(t)
	srv := New(Options{Token: testToken, Seed: 3, Limits: true, Burst: -1})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	rec := spectest.NewRecorder(specs, http.DefaultTransport)
	ts.Client().Transport = rec
	e := &env{t: t, srv: srv, ts: ts}
	specSession(e)
	rec.Check(t)
}

// specSession exercises every endpoint family with valid requests (and a few 404s).
func specSession(e *env) {
	klipy := createField(e, "person", "Klipy ID", "varchar")["field_code"].(string)
	tier := createField(e, "deal", "Tier", "enum", "Gold", "Silver")
	tierCode := tier["field_code"].(string)
	e.must(200, "POST", "/api/v2/dealFields/"+tierCode+"/options", []any{map[string]any{"label": "Bronze"}})
	e.must(200, "PATCH", "/api/v2/dealFields/"+tierCode, map[string]any{"field_name": "Deal tier"})
	e.must(200, "GET", "/api/v2/personFields", nil)
	e.must(200, "GET", "/api/v2/activityFields", nil)
	orgLabel := obj(list(obj(e.must(200, "GET", "/api/v2/organizationFields/label_ids", nil))["options"])[0])["id"]
	org := e.create("/api/v2/organizations", map[string]any{"name": "Acme", "address": map[string]any{"value": "1 Main St"},
		"add_time": "2020-01-02T03:04:05Z", "label_ids": []any{orgLabel}})
	p := e.create("/api/v2/persons", map[string]any{"name": "Ann", "org_id": org,
		"emails":        []any{map[string]any{"value": "ann@acme.com", "primary": true, "label": "work"}},
		"custom_fields": map[string]any{klipy: "kp_1"}})
	e.must(200, "PATCH", "/api/v2/persons/"+itoa(p), map[string]any{"name": "Ann Lee"})
	e.must(200, "GET", "/api/v2/persons?limit=1", nil)
	e.must(200, "GET", "/api/v2/persons/"+itoa(p), nil)
	e.must(404, "GET", "/api/v2/persons/999", nil)
	gold := obj(list(tier["options"])[0])["id"]
	d := e.create("/api/v2/deals", map[string]any{"title": "Deal", "value": 10, "currency": "EUR", "person_id": p,
		"org_id": org, "custom_fields": map[string]any{tierCode: gold}})
	e.must(200, "PATCH", "/api/v2/deals/"+itoa(d), map[string]any{"status": "won"})
	e.must(200, "GET", "/api/v2/deals?status=won", nil)
	e.must(200, "GET", "/api/v2/deals/search?term=Deal", nil)
	e.must(200, "GET", "/api/v2/persons/search?term=ann@acme.com&fields=email&exact_match=true", nil)
	e.must(200, "GET", "/api/v2/organizations/search?term=Acme", nil)
	e.must(200, "GET", "/api/v2/itemSearch?term=Acme&item_types=organization,deal,person", nil)
	e.must(200, "GET", "/api/v2/itemSearch/field?entity_type=person&field="+klipy+"&term=kp_1&match=exact", nil)
	a := e.create("/api/v2/activities", map[string]any{"subject": "Call", "type": "call", "due_date": "2026-01-02",
		"due_time": "10:00", "participants": []any{map[string]any{"person_id": p, "primary": true}}, "deal_id": d})
	e.must(200, "GET", "/api/v2/activities?deal_id="+itoa(d), nil)
	pl := e.create("/api/v2/pipelines", map[string]any{"name": "Partners"})
	st := e.create("/api/v2/stages", map[string]any{"name": "Intro", "pipeline_id": pl})
	e.must(200, "GET", "/api/v2/stages?pipeline_id="+itoa(pl), nil)
	e.must(200, "GET", "/api/v2/pipelines", nil)
	e.must(200, "GET", "/api/v1/users/me", nil)
	e.must(200, "GET", "/api/v1/users", nil)
	e.must(200, "GET", "/api/v1/users/find?term=admin@sandbox.example&search_by_email=1", nil)
	e.must(200, "POST", "/api/v1/users", map[string]any{"email": "new.user@sandbox.example", "access": []any{map[string]any{"app": "sales"}}})
	n := obj(e.must(200, "POST", "/api/v1/notes", map[string]any{"content": "hi", "person_id": p, "deal_id": d}))
	e.must(200, "PUT", "/api/v1/notes/"+itoa(int64(n["id"].(float64))), map[string]any{"content": "bye"})
	e.must(200, "GET", "/api/v1/notes?person_id="+itoa(p), nil)
	e.must(200, "GET", "/api/v1/personFields", nil)
	e.must(200, "GET", "/api/v1/noteFields", nil)
	e.must(200, "GET", "/api/v1/activityTypes", nil)
	e.must(200, "POST", "/api/v1/activityTypes", map[string]any{"name": "Chat", "icon_key": "bubble"})
	e.must(200, "GET", "/api/v1/leadLabels", nil)
	e.must(200, "POST", "/api/v1/leadLabels", map[string]any{"name": "VIP", "color": "purple"})
	if r := e.upload([]byte("file"), map[string]string{"deal_id": itoa(d)}); r.status != 200 {
		e.t.Errorf("upload: %d", r.status)
	}
	e.must(200, "GET", "/api/v1/files", nil)
	e.must(200, "GET", "/api/v1/files/1", nil)
	for _, path := range []string{"/api/v2/activities/" + itoa(a), "/api/v2/stages/" + itoa(st),
		"/api/v2/deals/" + itoa(d), "/api/v2/persons/" + itoa(p), "/api/v2/dealFields/" + tierCode, "/api/v1/files/1"} {
		e.must(200, "DELETE", path, nil)
	}
	e.must(410, "GET", "/api/v2/dealFields/"+tierCode, nil)
	specSessionMore(e, org, pl)
}

// specSessionMore covers the remaining update and delete operations.
func specSessionMore(e *env, org, pl int64) {
	o := "/api/v2/organizations/" + itoa(org)
	e.must(200, "PATCH", o, map[string]any{"name": "Acme Inc", "website": "https://acme.example"})
	e.must(200, "GET", o, nil)
	e.must(200, "GET", "/api/v2/organizations", nil)
	e.must(200, "GET", "/api/v2/deals/archived", nil)
	e.must(200, "PATCH", "/api/v2/pipelines/"+itoa(pl), map[string]any{"name": "Partner deals"})
	e.must(200, "DELETE", "/api/v2/pipelines/"+itoa(pl), nil)
	set := createField(e, "organization", "Regions", "set", "EU", "US")
	base := "/api/v2/organizationFields/" + set["field_code"].(string) + "/options"
	eu := obj(list(set["options"])[0])["id"]
	e.must(200, "PATCH", base, []any{map[string]any{"id": eu, "label": "Europe"}})
	e.must(200, "DELETE", base, []any{map[string]any{"id": eu}})
	n := obj(e.must(200, "POST", "/api/v1/notes", map[string]any{"content": "x", "org_id": org}))
	e.must(200, "DELETE", "/api/v1/notes/"+itoa(int64(n["id"].(float64))), nil)
	e.must(200, "DELETE", o, nil)
	v1 := obj(e.must(200, "POST", "/api/v1/dealFields", map[string]any{"name": "Source", "field_type": "enum",
		"options": []any{map[string]any{"label": "Web"}}}))
	id := itoa(int64(v1["id"].(float64)))
	opt := obj(list(v1["options"])[0])["id"]
	e.must(200, "PUT", "/api/v1/dealFields/"+id, map[string]any{"options": []any{map[string]any{"id": opt, "label": "Web"},
		map[string]any{"label": "Referral"}}})
	e.must(200, "GET", "/api/v1/dealFields/"+id, nil)
	e.must(200, "DELETE", "/api/v1/dealFields/"+id, nil)
	e.must(200, "GET", "/api/v1/users/1", nil)
	at := obj(e.must(200, "POST", "/api/v1/activityTypes", map[string]any{"name": "Visit", "icon_key": "car"}))
	e.must(200, "PUT", "/api/v1/activityTypes/"+itoa(int64(at["id"].(float64))), map[string]any{"name": "Site visit"})
	e.must(200, "DELETE", "/api/v1/activityTypes/"+itoa(int64(at["id"].(float64))), nil)
	ll := obj(e.must(200, "POST", "/api/v1/leadLabels", map[string]any{"name": "Later", "color": "gray"}))["id"].(string)
	e.must(200, "PATCH", "/api/v1/leadLabels/"+ll, map[string]any{"name": "Much later"})
	e.must(200, "DELETE", "/api/v1/leadLabels/"+ll, nil)
	r := e.upload([]byte("second"), map[string]string{})
	f := itoa(int64(obj(r.body["data"])["id"].(float64)))
	req, _ := http.NewRequest("PUT", e.ts.URL+"/api/v1/files/"+f, strings.NewReader("name=renamed.txt"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("x-api-token", testToken)
	if r := e.send(req); r.status != 200 || obj(r.body["data"])["name"] != "renamed.txt" {
		e.t.Errorf("form PUT file: %d %v", r.status, r.body)
	}
	e.must(200, "GET", "/api/v1/files/"+f+"/download", nil)
	e.must(404, "GET", "/api/v1/notes/999", nil)
	e.must(200, "GET", "/api/v1/currencies", nil)
	e.must(200, "GET", "/api/v1/leadFields", nil)
	d := e.create("/api/v2/deals", map[string]any{"title": "Followed"})
	p := e.create("/api/v2/persons", map[string]any{"name": "Participant"})
	e.must(200, "POST", "/api/v1/deals/"+itoa(d)+"/participants", map[string]any{"person_id": p})
	e.must(201, "POST", "/api/v2/deals/"+itoa(d)+"/followers", map[string]any{"user_id": 1})
	lead := obj(e.must(201, "POST", "/api/v1/leads", map[string]any{"title": "Lead", "person_id": p,
		"value": map[string]any{"amount": 5, "currency": "EUR"}}))["id"].(string)
	e.must(200, "PATCH", "/api/v1/leads/"+lead, map[string]any{"title": "Lead 2"})
	e.must(200, "GET", "/api/v1/leads", nil)
	e.must(200, "DELETE", "/api/v1/leads/"+lead, nil)
	e.must(200, "GET", "/api/v1/recents?since_timestamp=2020-01-01+00:00:00&items=person", nil)
	body, ct := multipartBody(e.t, []byte("\x89PNG"), nil)
	req, _ = http.NewRequest("POST", e.ts.URL+"/api/v1/persons/"+itoa(p)+"/picture", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("x-api-token", testToken)
	if r := e.send(req); r.status != 200 {
		e.t.Errorf("picture: %d %s", r.status, r.raw)
	}
}
