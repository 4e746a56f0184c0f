package sandbox

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter counts requests per key and per organisation in fixed windows.
type limiter struct {
	on                 bool
	keyLimit, orgLimit int
	window             time.Duration
	now                func() time.Time

	mu     sync.Mutex
	start  time.Time
	perKey map[string]int
	org    int
	// resetMS writes X-RateLimit-Reset as Unix milliseconds (Options.ResetUnit "ms").
	resetMS bool
}

func newLimiter(o Options) *limiter {
	return &limiter{on: o.Limits, keyLimit: o.KeyLimit, orgLimit: o.OrgLimit, window: o.Window,
		now: o.Now, perKey: map[string]int{}, resetMS: o.ResetUnit == "ms"}
}

// take counts one request of key, sets the X-RateLimit-* headers and reports whether the
// request may proceed; when not, it sets Retry-After too.
func (l *limiter) take(h http.Header, key string) bool {
	if !l.on {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if ws := now.Truncate(l.window); !ws.Equal(l.start) {
		l.start, l.org = ws, 0
		clear(l.perKey)
	}
	reset := l.start.Add(l.window)
	ok := l.perKey[key] < l.keyLimit && l.org < l.orgLimit
	if ok {
		l.perKey[key]++
		l.org++
	}
	remaining := min(l.keyLimit-l.perKey[key], l.orgLimit-l.org)
	h.Set("X-RateLimit-Limit", strconv.Itoa(l.keyLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	if l.resetMS {
		h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.UnixMilli(), 10))
	} else {
		h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(reset.UnixMilli())/1000)), 10))
	}
	if !ok {
		wait := int(math.Ceil(reset.Sub(now).Seconds()))
		h.Set("Retry-After", strconv.Itoa(max(wait, 1)))
	}
	return ok
}
