package sandbox

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestParticipantsFollowersCurrencies(t *testing.T) {
	e := newEnv(t, Options{Seats: 2})
	d := e.create("/api/v2/deals", map[string]any{"title": "D"})
	p := e.create("/api/v2/persons", map[string]any{"name": "Extra"})
	part := obj(e.must(200, "POST", "/api/v1/deals/"+itoa(d)+"/participants", map[string]any{"person_id": p}))
	if obj(part["person_id"])["value"] != float64(p) || obj(part["related_item_data"])["deal_id"] != float64(d) {
		t.Errorf("participant = %v", part)
	}
	e.must(400, "POST", "/api/v1/deals/"+itoa(d)+"/participants", map[string]any{"person_id": p})
	e.must(400, "POST", "/api/v1/deals/"+itoa(d)+"/participants", map[string]any{"person_id": 999})
	e.must(404, "POST", "/api/v1/deals/999/participants", map[string]any{"person_id": p})
	f := obj(e.must(201, "POST", "/api/v2/deals/"+itoa(d)+"/followers", map[string]any{"user_id": 2}))
	if f["user_id"] != float64(2) {
		t.Errorf("follower = %v", f)
	}
	e.must(400, "POST", "/api/v2/deals/"+itoa(d)+"/followers", map[string]any{"user_id": 2})
	e.must(400, "POST", "/api/v2/deals/"+itoa(d)+"/followers", map[string]any{"user_id": "2"})
	cur := list(e.must(200, "GET", "/api/v1/currencies?term=eur", nil))
	if len(cur) != 1 || obj(cur[0])["code"] != "EUR" {
		t.Errorf("currencies?term=eur = %v", cur)
	}
	if n := len(list(e.must(200, "GET", "/api/v1/leadFields", nil))); n == 0 {
		t.Error("no lead fields")
	}
}

func TestLeads(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.create("/api/v2/persons", map[string]any{"name": "Lead person"})
	label := obj(list(e.must(200, "GET", "/api/v1/leadLabels", nil))[0])["id"]
	l := obj(e.must(201, "POST", "/api/v1/leads", map[string]any{"title": "L", "person_id": p, "label_ids": []any{label},
		"value": map[string]any{"amount": 5, "currency": "EUR"}}))
	id := l["id"].(string)
	if len(id) != 36 || l["person_id"] != float64(p) || list(l["label_ids"])[0] != label {
		t.Errorf("lead = %v", l)
	}
	for _, bad := range []map[string]any{{"title": "L"}, {"person_id": p}, {"title": "L", "person_id": p, "label_ids": []any{"nope"}},
		{"title": "L", "person_id": p, "note_id": 1}, {"title": "L", "person_id": "1"}} {
		if r := e.do("POST", "/api/v1/leads", bad); r.status != 400 {
			t.Errorf("POST lead %v: %d", bad, r.status)
		}
	}
	e.must(200, "PATCH", "/api/v1/leads/"+id, map[string]any{"title": "L2"})
	if got := obj(e.must(200, "GET", "/api/v1/leads/"+id, nil))["title"]; got != "L2" {
		t.Errorf("title after PATCH = %v", got)
	}
	if n := len(list(e.must(200, "GET", "/api/v1/leads?person_id="+itoa(p), nil))); n != 1 {
		t.Errorf("leads of person: %d", n)
	}
	e.must(200, "DELETE", "/api/v1/leads/"+id, nil)
	e.must(404, "GET", "/api/v1/leads/"+id, nil)
}

func TestRecentsAndPicture(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Now: clock.Now})
	old := e.create("/api/v2/persons", map[string]any{"name": "Old"})
	clock.Advance(time.Hour)
	since := clock.Now().Format(v1TimeFmt)
	e.create("/api/v2/organizations", map[string]any{"name": "New org"})
	e.must(200, "PATCH", "/api/v2/persons/"+itoa(old), map[string]any{"name": "Old, renamed"})
	r := e.do("GET", "/api/v1/recents?since_timestamp="+url.QueryEscape(since), nil)
	var got []string
	for _, it := range list(r.body["data"]) {
		got = append(got, obj(it)["item"].(string))
	}
	if len(got) != 2 {
		t.Errorf("recents since %s = %v", since, got)
	}
	if r := e.do("GET", "/api/v1/recents?since_timestamp="+url.QueryEscape(since)+"&items=person", nil); len(list(r.body["data"])) != 1 {
		t.Errorf("recents of persons = %v", r.body["data"])
	}
	e.must(400, "GET", "/api/v1/recents?since_timestamp=yesterday", nil)
	body, ct := multipartBody(t, []byte("\x89PNG"), nil)
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/persons/"+itoa(old)+"/picture", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("x-api-token", testToken)
	pic := e.send(req)
	if pic.status != 200 {
		t.Fatalf("picture: %d %s", pic.status, pic.raw)
	}
	p := obj(e.must(200, "GET", "/api/v2/persons/"+itoa(old), nil))
	if p["picture_id"] != obj(pic.body["data"])["id"] {
		t.Errorf("picture_id = %v, picture %v", p["picture_id"], pic.body["data"])
	}
}
