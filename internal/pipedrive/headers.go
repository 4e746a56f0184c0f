package pipedrive

import (
	"ferry/internal/httpwait"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// rateHeaders is what an answer said about limits. Every field is optional.
type rateHeaders struct {
	limit, remaining            int
	hasLimit, hasRemaining      bool
	reset                       time.Duration // x-ratelimit-reset (seconds until the window resets)
	hasReset                    bool
	retryAfter                  time.Duration
	hasRetryAfter               bool
	dailyLimit, dailyLeft       int64 // x-daily-ratelimit-token-limit / -remaining
	hasDailyLimit, hasDailyLeft bool
}

// resetOr returns the server's reset or retry-after, whichever is longer, else def.
func (r rateHeaders) resetOr(def time.Duration) time.Duration {
	d := time.Duration(-1)
	if r.hasReset {
		d = r.reset
	}
	if r.hasRetryAfter && r.retryAfter > d {
		d = r.retryAfter
	}
	if d < 0 {
		return def
	}
	return d
}

// maxWait bounds any server-given wait so a garbage header cannot stall a run for days.
const maxWait = 24 * time.Hour

// parseRateHeaders reads the documented and observed rate-limit headers; malformed values are
// ignored, never an error. now is used for an HTTP-date Retry-After.
func parseRateHeaders(h http.Header, now time.Time) rateHeaders {
	var r rateHeaders
	r.limit, r.hasLimit = intHeader(h, "X-Ratelimit-Limit")
	r.remaining, r.hasRemaining = intHeader(h, "X-Ratelimit-Remaining")
	r.reset, r.hasReset = httpwait.Seconds(h.Get("X-Ratelimit-Reset"), maxWait)
	r.retryAfter, r.hasRetryAfter = httpwait.RetryAfter(h.Get("Retry-After"), now, maxWait)
	r.dailyLimit, r.hasDailyLimit = int64Header(h, "X-Daily-Ratelimit-Token-Limit")
	r.dailyLeft, r.hasDailyLeft = int64Header(h, "X-Daily-Ratelimit-Token-Remaining")
	return r
}

func int64Header(h http.Header, name string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(h.Get(name)), 10, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return v, true
}

func intHeader(h http.Header, name string) (int, bool) {
	v, ok := int64Header(h, name)
	if !ok || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}
