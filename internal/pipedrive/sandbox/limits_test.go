package sandbox

import (
	"strconv"
	"testing"
	"time"
)

func TestBurstWindowAndHeaders(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Limits: true, Plan: "lite", Now: clock.Now})
	for i := 1; i <= 20; i++ {
		r := e.do("GET", "/api/v2/persons", nil)
		if r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
		if got := r.header.Get("x-ratelimit-remaining"); got != strconv.Itoa(20-i) {
			t.Fatalf("request %d: remaining %s, want %d", i, got, 20-i)
		}
		if r.header.Get("x-ratelimit-limit") != "20" || r.header.Get("x-ratelimit-reset") != "2" {
			t.Fatalf("headers %v", r.header)
		}
	}
	r := e.do("GET", "/api/v2/persons", nil)
	if r.status != 429 || r.body["success"] != false || r.body["error"] == nil {
		t.Fatalf("21st request: %d %v", r.status, r.body)
	}
	wantDaily := strconv.Itoa(30000 - 20*10)
	if r.header.Get("x-daily-ratelimit-token-remaining") != wantDaily || r.header.Get("x-daily-ratelimit-token-limit") != "30000" {
		t.Errorf("daily headers %v", r.header)
	}
	clock.Advance(2 * time.Second)
	if r := e.do("GET", "/api/v2/persons", nil); r.status != 200 {
		t.Errorf("after the window: %d", r.status)
	}
	st := e.srv.Stats()
	if st.RateLimited != 1 || st.Endpoints["GET /api/v2/persons"].Tokens != 210 {
		t.Errorf("stats = %+v %+v", st, st.Endpoints["GET /api/v2/persons"])
	}
}

func TestSearchLimit(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Limits: true, Plan: "ultimate", Now: clock.Now})
	for i := range 10 {
		if r := e.do("GET", "/api/v2/persons/search?term=ab", nil); r.status != 200 {
			t.Fatalf("search %d: %d", i, r.status)
		}
	}
	if r := e.do("GET", "/api/v2/persons/search?term=ab", nil); r.status != 429 {
		t.Errorf("11th search: %d", r.status)
	}
	if r := e.do("GET", "/api/v2/persons", nil); r.status != 200 {
		t.Errorf("non-search request while search is limited: %d", r.status)
	}
}

func TestDailyBudgetExhaustion(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Limits: true, DailyBudget: 12, Burst: -1, Now: clock.Now})
	e.must(200, "POST", "/api/v2/persons", map[string]any{"name": "A"}) // 5
	e.must(200, "POST", "/api/v2/persons", map[string]any{"name": "B"}) // 10
	r := e.do("POST", "/api/v2/persons", map[string]any{"name": "C"})
	if r.status != 429 || r.header.Get("x-daily-ratelimit-token-remaining") != "2" {
		t.Fatalf("over budget: %d %v", r.status, r.header)
	}
	e.must(200, "GET", "/api/v2/persons/1", nil) // 1 token still fits
	clock.Advance(2 * time.Hour)
	if r := e.do("GET", "/api/v2/persons", nil); r.status != 429 {
		t.Errorf("before the daily reset: %d", r.status)
	}
	clock.Advance(12 * time.Hour) // past midnight UTC
	if r := e.do("POST", "/api/v2/persons", map[string]any{"name": "C"}); r.status != 200 {
		t.Errorf("after the reset: %d", r.status)
	}
	if n := len(e.srv.Snapshot().Persons); n != 3 {
		t.Errorf("%d persons, want 3 (rejected request must not be applied)", n)
	}
}

func TestPlanBudget(t *testing.T) {
	e := newEnv(t, Options{Limits: true, Plan: "growth", Seats: 5})
	r := e.do("GET", "/api/v1/users/me", nil)
	if got := r.header.Get("x-daily-ratelimit-token-limit"); got != "300000" {
		t.Errorf("growth x 5 seats budget = %s, want 300000", got)
	}
	if got := r.header.Get("x-ratelimit-limit"); got != "40" {
		t.Errorf("growth burst = %s, want 40", got)
	}
}

func TestCloudflareBlockAfterIgnored429s(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Limits: true, Burst: 1, BlockAfter429s: 2, Now: clock.Now})
	statuses := []int{}
	for range 5 {
		statuses = append(statuses, e.do("GET", "/api/v2/persons", nil).status)
	}
	want := []int{200, 429, 429, 403, 403}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
	}
	r := e.do("GET", "/api/v2/persons", nil)
	if r.body != nil || r.header.Get("Content-Type") != "text/html; charset=UTF-8" {
		t.Errorf("block is not HTML: %v %q", r.header, r.raw)
	}
}

func TestLimitsOffSendsNoLimitHeaders(t *testing.T) {
	e := newEnv(t, Options{})
	for range 100 {
		e.must(200, "GET", "/api/v2/persons", nil)
	}
	if h := e.do("GET", "/api/v2/persons", nil).header.Get("x-ratelimit-limit"); h != "" {
		t.Errorf("limits off but x-ratelimit-limit = %s", h)
	}
	if st := e.srv.Stats(); st.Tokens != 1010 || st.Requests != 101 {
		t.Errorf("stats tokens %d requests %d", st.Tokens, st.Requests)
	}
}
