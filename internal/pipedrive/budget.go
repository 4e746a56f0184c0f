package pipedrive

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"ferry/internal/store"
)

// Ledger is the part of the state store the client needs: the per-day, per-endpoint token
// ledger. store.Store satisfies it.
type Ledger interface {
	// AddSpend adds calls and tokens to the ledger row of (day, endpoint).
	AddSpend(ctx context.Context, s store.Spend) error
	// SpentOn sums the tokens spent on a UTC day (YYYY-MM-DD).
	SpentOn(ctx context.Context, day string) (int64, error)
}

// budget tracks the daily token budget of one Client.
type budget struct {
	mu       sync.Mutex
	clock    Clock
	ledger   Ledger // may be nil
	log      *slog.Logger
	daily    int64 // configured budget; 0 = unknown (then only the server can refuse)
	day      string
	base     int64 // ledger spend of day when it was loaded
	spent    int64 // spent through this client since
	reserved int64 // cost of calls in flight

	server     bool  // the server told us what is left today
	serverLeft int64 // x-daily-ratelimit-token-remaining …
	serverMark int64 // … observed when spent was this
	resetAt    time.Time

	serverLimit int64 // x-daily-ratelimit-token-limit, 0 until the server said it
	told        bool  // the disagreement with the configured budget was logged
}

func dayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func nextMidnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// roll starts a new day (reloading the ledger) or ends a server-announced exhaustion.
func (b *budget) roll(ctx context.Context, now time.Time) error {
	if !b.resetAt.IsZero() && !now.Before(b.resetAt) {
		b.server, b.resetAt = false, time.Time{}
	}
	day := dayOf(now)
	if day == b.day {
		return nil
	}
	var base int64
	if b.ledger != nil {
		v, err := b.ledger.SpentOn(ctx, day)
		if err != nil {
			return fmt.Errorf("pipedrive: read token ledger for %s: %w", day, err)
		}
		base = v
	}
	b.day, b.base, b.spent, b.server = day, base, 0, false
	return nil
}

// left returns the tokens left today, or -1 when unknown (no budget configured, no header).
func (b *budget) left() int64 {
	configured := int64(-1)
	if b.daily > 0 {
		configured = b.daily - b.base - b.spent - b.reserved
	}
	if !b.server {
		return configured
	}
	// What Pipedrive reports wins over ferry.yaml's plan × seats, which only estimates the
	// budget before any call: the server knows the company's real plan, seats and add-ons.
	return b.serverLeft - (b.spent - b.serverMark) - b.reserved
}

// reserve books cost for a call about to be made, or refuses it with a *BudgetError.
func (b *budget) reserve(ctx context.Context, endpoint string, cost int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	if err := b.roll(ctx, now); err != nil {
		return err
	}
	if left := b.left(); left >= 0 && int64(cost) > left {
		return &BudgetError{Endpoint: endpoint, Cost: cost, Remaining: max(left, 0), Reset: b.resetTime(now)}
	}
	b.reserved += int64(cost)
	return nil
}

func (b *budget) resetTime(now time.Time) time.Time {
	if !b.resetAt.IsZero() {
		return b.resetAt
	}
	return nextMidnight(now)
}

// commit ends a reservation; charged calls are added to the spend and the ledger.
func (b *budget) commit(ctx context.Context, template string, cost int, charged bool) {
	b.mu.Lock()
	b.reserved -= int64(cost)
	if charged {
		b.spent += int64(cost)
	}
	day := b.day
	b.mu.Unlock()
	if !charged || b.ledger == nil {
		return
	}
	err := b.ledger.AddSpend(context.WithoutCancel(ctx), store.Spend{Day: day, Endpoint: template, Calls: 1, Tokens: int64(cost)})
	if err != nil {
		b.log.Warn("pipedrive: could not record token spend", "endpoint", template, "tokens", cost, "err", err)
	}
}

// observe takes the server's daily-token headers into account (after commit of that call).
func (b *budget) observe(rl rateHeaders) {
	if !rl.hasDailyLeft {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.server, b.serverLeft, b.serverMark = true, rl.dailyLeft, b.spent
	if rl.hasDailyLimit && rl.dailyLimit > 0 {
		b.serverLimit = rl.dailyLimit
		if !b.told && b.daily > 0 && b.daily != rl.dailyLimit {
			b.told = true
			b.log.Warn(fmt.Sprintf("pipedrive: the daily budget Pipedrive reports (%d tokens) differs from ferry.yaml's plan and seats (%d): using Pipedrive's", rl.dailyLimit, b.daily))
		}
	}
}

// DailyBudget returns the daily token budget Pipedrive reported in its headers (0 until a
// call has answered with them) and the configured one (ferry.yaml's plan × seats, 0 when
// none): the reported one governs once known.
func (c *Client) DailyBudget() (reported, configured int64) {
	c.budget.mu.Lock()
	defer c.budget.mu.Unlock()
	return c.budget.serverLimit, c.budget.daily
}

// exhausted records a budget 429 (fewer daily tokens left than the call costs) and returns
// the error for it.
func (b *budget) exhausted(endpoint string, cost int, rl rateHeaders) *BudgetError {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	b.server, b.serverLeft, b.serverMark = true, min(rl.dailyLeft, int64(cost)-1), b.spent
	if rl.hasRetryAfter && rl.retryAfter > time.Minute {
		b.resetAt = now.Add(rl.retryAfter)
	}
	return &BudgetError{Endpoint: endpoint, Cost: cost, Remaining: max(b.serverLeft, 0), Reset: b.resetTime(now)}
}

// Remaining returns the tokens left today as this client knows them, or -1 when unknown.
func (c *Client) Remaining(ctx context.Context) (int64, error) {
	c.budget.mu.Lock()
	defer c.budget.mu.Unlock()
	if err := c.budget.roll(ctx, c.clock.Now()); err != nil {
		return 0, err
	}
	return c.budget.left(), nil
}
