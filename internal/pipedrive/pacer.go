package pipedrive

import (
	"context"
	"sync"
	"time"
)

// window is a sliding-window limiter: at most limit slots in any interval of length span. A
// slot is taken when a request is sent and released (re-stamped) when its answer arrives, so
// it counts for span after the answer; in-flight requests always count.
type window struct {
	mu       sync.Mutex
	clock    Clock
	span     time.Duration
	limit    int
	inflight int
	done     []time.Time // completion stamps within the last span, oldest first
	until    time.Time   // nobody starts before this (server said remaining 0 / 429 / block)
}

func newWindow(clock Clock, limit int, span time.Duration) *window {
	if limit < 1 {
		limit = 1
	}
	return &window{clock: clock, limit: limit, span: span}
}

// acquire waits for a free slot, takes it and returns its release function, which must be
// called once when the answer (or the error) arrived.
func (w *window) acquire(ctx context.Context) (release func(), err error) {
	for {
		wait := w.tryTake()
		if wait == 0 {
			var once sync.Once
			return func() { once.Do(w.release) }, nil
		}
		if err := w.clock.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// tryTake takes a slot and returns 0, or returns how long to wait before trying again.
func (w *window) tryTake() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.clock.Now()
	if now.Before(w.until) {
		return w.until.Sub(now)
	}
	w.expire(now)
	if w.inflight+len(w.done) < w.limit {
		w.inflight++
		return 0
	}
	if len(w.done) == 0 {
		return w.span / 20 // all slots in flight: poll until one completes
	}
	return w.done[0].Add(w.span).Sub(now) + time.Millisecond
}

func (w *window) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inflight--
	w.done = append(w.done, w.clock.Now())
}

// expire drops stamps older than span.
func (w *window) expire(now time.Time) {
	i := 0
	for i < len(w.done) && !now.Before(w.done[i].Add(w.span)) {
		i++
	}
	w.done = w.done[i:]
}

// observe corrects the window from an answer's rate-limit headers.
func (w *window) observe(rl rateHeaders) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.clock.Now()
	if rl.hasLimit && rl.limit > 0 && rl.limit <= 10000 {
		w.limit = rl.limit
	}
	if !rl.hasRemaining {
		return
	}
	// The server counted limit-remaining requests; everything of ours it could have counted is
	// in w.done or in flight. What it counted beyond that is someone else's traffic, which
	// holds slots for one more window. (A remaining of 0 caused by our own requests needs
	// nothing: the window already waits exactly as long as it must.)
	w.expire(now)
	extra := (w.limit - rl.remaining) - (w.inflight + len(w.done))
	for ; extra > 0; extra-- {
		w.done = append(w.done, now)
	}
}

// pause stops every new request until t.
func (w *window) pause(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pauseLocked(t)
}

func (w *window) pauseLocked(t time.Time) {
	if t.After(w.until) {
		w.until = t
	}
}

// size returns the current limit.
func (w *window) size() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.limit
}
