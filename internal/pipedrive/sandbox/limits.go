package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"ferry/internal/pipedrive/costs"
	"ferry/internal/workspace"
)

const (
	burstWindow        = 2 * time.Second
	defaultSearchBurst = 10
)

// limiter implements Pipedrive's token-based limits: a daily token budget per company, a
// rolling 2-second request window per token and a separate 10-per-2-s window for search.
type limiter struct {
	mu          sync.Mutex
	on          bool
	now         func() time.Time
	budget      int
	spent       int
	resetAt     time.Time // next UTC midnight
	burst       int       // 0 = off
	burstOAuth  int       // for OAuth bearer tokens; 0 = off
	searchBurst int       // 0 = off
	blockAfter  int
	windows     map[string][]time.Time
	strikes     map[string]int // consecutive 429s per token
}

func newLimiter(opts Options, now func() time.Time) *limiter {
	plan := workspace.Plans[strings.ToLower(opts.Plan)]
	l := &limiter{on: opts.Limits, now: now, blockAfter: opts.BlockAfter429s,
		windows: map[string][]time.Time{}, strikes: map[string]int{}}
	l.budget = 30000 * max(plan.Multiplier, 1) * opts.Seats
	if opts.DailyBudget > 0 {
		l.budget = opts.DailyBudget
	}
	l.burst = pick(opts.Burst, plan.BurstToken)
	l.burstOAuth = pick(opts.Burst, plan.BurstOAuth)
	l.searchBurst = pick(opts.SearchBurst, defaultSearchBurst)
	return l
}

// pick returns explicit when positive, 0 (off) when negative, else def.
func pick(explicit, def int) int {
	switch {
	case explicit > 0:
		return explicit
	case explicit < 0:
		return 0
	}
	return def
}

// requestCost returns the spec's token cost of r and whether it is a search endpoint.
func requestCost(r *http.Request) (int, bool) {
	tmpl, cost, ok := costs.Match(r.Method, r.URL.Path)
	if !ok {
		return 0, false
	}
	return cost, strings.HasSuffix(tmpl, "/search") || strings.Contains(tmpl, "/itemSearch")
}

// admit charges cost to the budget and the windows, writing the rate-limit headers; when a
// limit is exceeded it writes the 429 (or the HTML 403 block) and returns false.
// An OAuth request (oauth) counts against the plan's OAuth burst limit instead.
func (l *limiter) admit(w *statusWriter, token string, cost int, search, oauth bool) bool {
	if !l.on {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !now.Before(l.resetAt) {
		l.spent = 0
		l.resetAt = now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	if l.blockAfter > 0 && l.strikes[token] >= l.blockAfter {
		l.strikes[token]++
		writeCloudflareBlock(w)
		return false
	}
	key, limit := token, l.burst
	if oauth {
		limit = l.burstOAuth
	}
	if search && l.searchBurst > 0 {
		key, limit = token+"\x00search", l.searchBurst
	}
	win := prune(l.windows[key], now)
	l.windows[key] = win
	h := w.Header()
	h.Set("x-daily-ratelimit-token-limit", strconv.Itoa(l.budget))
	switch {
	case l.spent+cost > l.budget:
		l.reject(w, token, win, limit, now, "Daily API token budget exhausted. Requests are accepted again after the daily reset.")
		return false
	case limit > 0 && len(win) >= limit:
		l.reject(w, token, win, limit, now, "Request over limit. Too many requests in the rolling 2-second window.")
		return false
	}
	win = append(win, now)
	l.windows[key] = win
	l.spent += cost
	l.strikes[token] = 0
	setWindowHeaders(h, win, limit, now)
	h.Set("x-daily-ratelimit-token-remaining", strconv.Itoa(l.budget-l.spent))
	return true
}

// reject writes a 429 with the headers and counts a strike.
func (l *limiter) reject(w *statusWriter, token string, win []time.Time, limit int, now time.Time, msg string) {
	l.strikes[token]++
	setWindowHeaders(w.Header(), win, limit, now)
	w.Header().Set("x-daily-ratelimit-token-remaining", strconv.Itoa(max(l.budget-l.spent, 0)))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"success": false, "error": msg,
		"error_info": errorInfo, "errorCode": 429, "data": nil, "additional_data": nil})
}

// prune drops window entries older than 2 s.
func prune(win []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(win) && !win[i].After(now.Add(-burstWindow)) {
		i++
	}
	return win[i:]
}

// setWindowHeaders writes x-ratelimit-limit/remaining/reset (reset in whole seconds until
// the oldest request leaves the window).
func setWindowHeaders(h http.Header, win []time.Time, limit int, now time.Time) {
	if limit <= 0 {
		return
	}
	reset := 2
	if len(win) > 0 {
		d := win[0].Add(burstWindow).Sub(now)
		reset = max(int((d+time.Second-1)/time.Second), 1)
	}
	h.Set("x-ratelimit-limit", strconv.Itoa(limit))
	h.Set("x-ratelimit-remaining", strconv.Itoa(max(limit-len(win), 0)))
	h.Set("x-ratelimit-reset", strconv.Itoa(reset))
}

// writeCloudflareBlock writes the HTML 403 an abusive integration gets.
func writeCloudflareBlock(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Header().Set("Server", "cloudflare")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>` +
		`<body><h1>Sorry, you have been blocked</h1><p>You are unable to access pipedrive.com</p></body></html>`))
}

// remaining returns the daily budget left (for stats).
func (l *limiter) remaining() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.now().Before(l.resetAt) {
		return l.budget
	}
	return l.budget - l.spent
}

// reset clears the budget spent, the windows and the strikes.
func (l *limiter) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.spent = 0
	l.windows = map[string][]time.Time{}
	l.strikes = map[string]int{}
}
