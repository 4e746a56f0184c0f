package pipedrive

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuthHeaders(t *testing.T) {
	for _, oauth := range []bool{false, true} {
		var got http.Header
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = r.Header.Clone()
			okData(w, map[string]any{"id": 1, "company_domain": "acme"})
		}), func(c *Config) { c.OAuth = oauth })
		if _, err := h.c.Me(context.Background()); err != nil {
			t.Fatal(err)
		}
		if oauth {
			if got.Get("Authorization") != "Bearer "+testToken || got.Get("X-Api-Token") != "" {
				t.Errorf("OAuth: headers %v, want only Authorization: Bearer", got)
			}
		} else if got.Get("X-Api-Token") != testToken || got.Get("Authorization") != "" {
			t.Errorf("API token: want x-api-token header only")
		}
		if strings.Contains(got.Get("Accept"), "json") == false {
			t.Errorf("Accept = %q, want JSON", got.Get("Accept"))
		}
	}
}

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no base", Config{Token: testToken}, "base URL"},
		{"relative base", Config{BaseURL: "acme.pipedrive.com", Token: testToken}, "base URL"},
		{"credentials in base", Config{BaseURL: "https://u:" + testToken + "@acme.pipedrive.com", Token: testToken}, "base URL"},
		{"no token", Config{BaseURL: "https://acme.pipedrive.com"}, "PIPEDRIVE_API_TOKEN"},
		{"bad plan", Config{BaseURL: "https://acme.pipedrive.com", Token: testToken, Plan: "gold"}, "allowed are lite"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want mention of %q", tt.name, err, tt.want)
		}
		noToken(t, err)
	}
	burst := map[[2]any]int{{"lite", false}: 20, {"growth", true}: 160, {"Premium", false}: 100, {"ultimate", true}: 480}
	for k, want := range burst {
		c, err := New(Config{BaseURL: "https://acme.pipedrive.com/api/v2/", Token: testToken, Plan: k[0].(string), OAuth: k[1].(bool)})
		if err != nil || c.BurstLimit() != want {
			t.Errorf("plan %v: burst %v, %v; want %d", k, c.BurstLimit(), err, want)
		}
		if c.base.String() != "https://acme.pipedrive.com" {
			t.Errorf("base = %q, want the /api/v2 suffix trimmed", c.base)
		}
	}
}

func TestUnknownOperationRefused(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, scripted(cnt, ok), nil)
	_, err := h.c.Do(context.Background(), Request{Method: "POST", Path: "/api/v1/persons"})
	if err == nil || !strings.Contains(err.Error(), "token cost is unknown") {
		t.Fatalf("err = %v, want refusal of an undocumented operation", err)
	}
	if cnt.get("POST /api/v1/persons") != 0 {
		t.Error("an undocumented operation was sent")
	}
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	handlers := []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) { failBody(w, 401, "unauthorized access") },
		func(w http.ResponseWriter, r *http.Request) {
			failBody(w, 400, "bad token "+r.Header.Get("X-Api-Token")[:3]) // partial echo is fine
		},
		htmlBlock, hangup,
		func(w http.ResponseWriter, r *http.Request) { failBody(w, 500, "boom") },
		func(w http.ResponseWriter, r *http.Request) { rateLimited("1")(w, r) },
	}
	for i, hf := range handlers {
		h := newHarness(t, hf, nil)
		ctx := context.Background()
		_, err1 := h.c.CreatePerson(ctx, Entity{"name": "n"})
		_, err2 := h.c.GetPerson(ctx, 1)
		_, _, err3 := h.c.FindUserByEmail(ctx, "a@b.co")
		for _, err := range []error{err1, err2, err3} {
			if err == nil {
				t.Errorf("handler %d: no error", i)
			}
			noToken(t, err)
		}
	}
}

func TestV2CursorPagination(t *testing.T) {
	var limits []string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limits = append(limits, r.URL.Query().Get("limit"))
		cur := r.URL.Query().Get("cursor")
		next := map[string]any{"": "c1", "c1": "c2", "c2": nil}[cur]
		base := map[string]int{"": 0, "c1": 2, "c2": 4}[cur]
		writeJSON(w, 200, map[string]any{"success": true,
			"data":            []map[string]any{{"id": base + 1}, {"id": base + 2}},
			"additional_data": map[string]any{"next_cursor": next}})
	}), nil)
	var ids []int64
	err := h.c.ListPersons(context.Background(), ListOptions{Filter: map[string][]string{"owner_id": {"3"}}}, func(p []Entity) error {
		for _, e := range p {
			ids = append(ids, e.ID())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{1, 2, 3, 4, 5, 6}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"500", "500", "500"}, limits); diff != "" {
		t.Errorf("limits (-want +got):\n%s", diff)
	}
	if left := h.ledger.rows[[2]string{"2026-11-28", "GET /api/v2/persons"}]; left.Calls != 3 || left.Tokens != 30 {
		t.Errorf("ledger row %+v, want 3 calls, 30 tokens", left)
	}
}

func TestSearchPacedAtTenPerWindow(t *testing.T) {
	var starts []time.Time
	var h *harness
	h = newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		starts = append(starts, h.clock.Now())
		okData(w, map[string]any{"items": []map[string]any{{"result_score": 1.5, "item": map[string]any{"id": 3, "type": "person"}}}})
	}), func(c *Config) { c.Plan = "ultimate" })
	for range 35 {
		hits, err := h.c.SearchPersons(context.Background(), SearchOptions{Term: "a@b.co", Fields: []string{"email"}, ExactMatch: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 1 || hits[0].Item.ID() != 3 || hits[0].ResultScore != 1.5 {
			t.Fatalf("hits = %+v", hits)
		}
	}
	assertWindow(t, starts, 10, 2*time.Second)
	// A non-search call is not held back by the search window.
	before := h.clock.Now()
	if _, err := h.c.GetPerson(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	if h.clock.Now() != before {
		t.Errorf("a GET waited %v behind the search window", h.clock.Now().Sub(before))
	}
}

func TestEntityHelpers(t *testing.T) {
	var e Entity
	if err := decodeJSON([]byte(`{"id": 12345678901234, "value": 0.1234567890123456, "owner_id": "7"}`), &e); err != nil {
		t.Fatal(err)
	}
	if e.ID() != 12345678901234 || e.Int("owner_id") != 7 {
		t.Errorf("ID %d owner %d", e.ID(), e.Int("owner_id"))
	}
	e.SetCustom("abc", 5)
	b, _ := json.Marshal(e)
	want := `{"custom_fields":{"abc":5},"id":12345678901234,"owner_id":"7","value":0.1234567890123456}`
	if string(b) != want {
		t.Errorf("re-encoded %s, want %s", b, want)
	}
}

func TestTimeFormats(t *testing.T) {
	at := time.Date(2025, 3, 4, 23, 6, 7, 0, time.FixedZone("EST", -5*3600))
	got := []string{V2Time(at), V1Time(at), Date(at)}
	want := []string{"2025-03-05T04:06:07Z", "2025-03-05 04:06:07", "2025-03-04"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRemainingUnknownWithoutBudget(t *testing.T) {
	h := newHarness(t, http.HandlerFunc(ok), nil)
	if left, err := h.c.Remaining(context.Background()); err != nil || left != -1 {
		t.Errorf("Remaining = %d, %v; want -1 (unknown) without a budget or header", left, err)
	}
}

func TestConfigPrintsNoToken(t *testing.T) {
	cfg := Config{BaseURL: "https://acme.pipedrive.com", Token: testToken, Plan: "lite"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(format, cfg); strings.Contains(s, testToken) || !strings.Contains(s, "redacted") {
			t.Errorf("Sprintf(%s, cfg) = %s", format, s)
		}
	}
	c, _ := New(cfg)
	if s := fmt.Sprintf("%+v %+v", c, c.base); strings.Contains(s, testToken) {
		t.Errorf("printing a Client reveals the token: %s", s)
	}
}
