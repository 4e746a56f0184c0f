package pipedrive

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/store"
)

func personCreator(cnt *counter) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := cnt.add(r)
		okData(w, map[string]any{"id": n, "name": "x"})
	}
}

func TestBudgetRefusesCallBeyondDailyBudget(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, personCreator(cnt), func(c *Config) { c.DailyBudget = 12 })
	ctx := context.Background()
	for i := range 2 {
		if _, err := h.c.CreatePerson(ctx, Entity{"name": "p"}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	_, err := h.c.CreatePerson(ctx, Entity{"name": "p"})
	var be *BudgetError
	if !errors.As(err, &be) || !errors.Is(err, ErrBudgetExhausted) {
		t.Fatalf("third create (cost 5, 2 left): err = %v, want *BudgetError wrapping ErrBudgetExhausted", err)
	}
	want := &BudgetError{Endpoint: "POST /api/v2/persons", Cost: 5, Remaining: 2, Reset: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, be); diff != "" {
		t.Errorf("budget error (-want +got):\n%s", diff)
	}
	if got := cnt.get("POST /api/v2/persons"); got != 2 {
		t.Errorf("server saw %d creates, want 2 (the refused call must not be made)", got)
	}
	wantRows := map[[2]string]store.Spend{{"2026-11-28", "POST /api/v2/persons"}: {Day: "2026-11-28", Endpoint: "POST /api/v2/persons", Calls: 2, Tokens: 10}}
	if diff := cmp.Diff(wantRows, h.ledger.rows); diff != "" {
		t.Errorf("ledger (-want +got):\n%s", diff)
	}
}

func TestBudgetCountsLedgerSpendOfToday(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, personCreator(cnt), func(c *Config) { c.DailyBudget = 100 })
	ctx := context.Background()
	_ = h.ledger.AddSpend(ctx, store.Spend{Day: "2026-11-28", Endpoint: "GET /api/v2/deals", Calls: 10, Tokens: 97})
	_ = h.ledger.AddSpend(ctx, store.Spend{Day: "2026-11-27", Endpoint: "GET /api/v2/deals", Calls: 10, Tokens: 1000})
	if _, err := h.c.CreatePerson(ctx, Entity{"name": "p"}); !errors.Is(err, ErrBudgetExhausted) {
		t.Fatalf("create with 3 tokens left: err = %v, want ErrBudgetExhausted", err)
	}
	if left, _ := h.c.Remaining(ctx); left != 3 {
		t.Errorf("Remaining = %d, want 3", left)
	}
	// Next UTC day: the budget is back.
	_ = h.clock.Sleep(ctx, 12*time.Hour)
	if _, err := h.c.CreatePerson(ctx, Entity{"name": "p"}); err != nil {
		t.Fatalf("create on the next day: %v", err)
	}
}

func TestBudgetFromServerHeader(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cnt.add(r)
		w.Header().Set("X-Daily-Ratelimit-Token-Limit", "30000")
		w.Header().Set("X-Daily-Ratelimit-Token-Remaining", strconv.Itoa(11-5*n)) // 6, then 1
		okData(w, map[string]any{"id": 1})
	}), nil) // no DailyBudget configured
	ctx := context.Background()
	if _, err := h.c.CreatePerson(ctx, Entity{"name": "a"}); err != nil {
		t.Fatal(err)
	}
	// Server said 6 left after the first create: a second (5) fits, a third does not.
	if _, err := h.c.CreatePerson(ctx, Entity{"name": "b"}); err != nil {
		t.Fatalf("second create: %v", err)
	}
	_, err := h.c.CreatePerson(ctx, Entity{"name": "c"})
	if !errors.Is(err, ErrBudgetExhausted) {
		t.Fatalf("third create: err = %v, want ErrBudgetExhausted", err)
	}
	if got := cnt.get("POST /api/v2/persons"); got != 2 {
		t.Errorf("server saw %d creates, want 2", got)
	}
}

// TestBudgetServerHeaderWinsOverConfigured: ferry.yaml says 12 tokens a day (plan × seats),
// Pipedrive says its budget is 3,000,000 with 25,000 left: Pipedrive's figure governs, so the
// third create is sent (it was refused when the configured figure capped the run), and
// DailyBudget reports both.
func TestBudgetServerHeaderWinsOverConfigured(t *testing.T) {
	cnt := &counter{}
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cnt.add(r)
		w.Header().Set("X-Daily-Ratelimit-Token-Limit", "3000000")
		w.Header().Set("X-Daily-Ratelimit-Token-Remaining", "25000")
		okData(w, map[string]any{"id": 1})
	}), func(c *Config) { c.DailyBudget = 12 })
	ctx := context.Background()
	for i := range 5 {
		if _, err := h.c.CreatePerson(ctx, Entity{"name": "p"}); err != nil {
			t.Fatalf("create %d with 25,000 tokens left at Pipedrive: %v", i, err)
		}
	}
	if got := cnt.get("POST /api/v2/persons"); got != 5 {
		t.Errorf("server saw %d creates, want 5", got)
	}
	if reported, configured := h.c.DailyBudget(); reported != 3000000 || configured != 12 {
		t.Errorf("DailyBudget() = %d, %d; want 3000000 reported, 12 configured", reported, configured)
	}
}

func TestBudget429IsNotRetried(t *testing.T) {
	for _, retryAfter := range []string{"", "7200"} {
		cnt := &counter{}
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cnt.add(r)
			w.Header().Set("X-Daily-Ratelimit-Token-Remaining", "0")
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			failBody(w, 429, "Too many requests")
		}), nil)
		_, err := h.c.GetPerson(context.Background(), 1)
		var be *BudgetError
		if !errors.As(err, &be) {
			t.Fatalf("budget 429: err = %v, want *BudgetError", err)
		}
		want := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
		if retryAfter != "" {
			want = time.Date(2026, 11, 28, 14, 0, 0, 0, time.UTC)
		}
		if !be.Reset.Equal(want) {
			t.Errorf("Retry-After %q: reset = %v, want %v", retryAfter, be.Reset, want)
		}
		if got := cnt.get("GET /api/v2/persons/1"); got != 1 {
			t.Errorf("server saw %d requests, want 1 (no retry loop on a budget 429)", got)
		}
		// Later calls are refused locally until the reset.
		if _, err := h.c.GetPerson(context.Background(), 1); !errors.Is(err, ErrBudgetExhausted) || cnt.get("GET /api/v2/persons/1") != 1 {
			t.Errorf("call after budget 429: err = %v, server count %d; want refusal without a request", err, cnt.get("GET /api/v2/persons/1"))
		}
	}
}
