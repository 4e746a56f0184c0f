package pipedrive

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"
)

// assertWindow fails when any n+1 consecutive starts fall within span.
func assertWindow(t *testing.T, starts []time.Time, n int, span time.Duration) {
	t.Helper()
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	for i := 0; i+n < len(starts); i++ {
		if d := starts[i+n].Sub(starts[i]); d < span {
			t.Fatalf("requests %d..%d started within %v; at most %d allowed per %v", i, i+n, d, n, span)
		}
	}
}

func TestWindowNeverExceedsLimitFakeClock(t *testing.T) {
	for _, n := range []int{1, 10, 20} {
		clock := newFakeClock()
		w := newWindow(clock, n, 2*time.Second)
		var starts []time.Time
		t0 := clock.Now()
		const total = 100
		for range total {
			release, err := w.acquire(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			starts = append(starts, clock.Now())
			release()
		}
		assertWindow(t, starts, n, 2*time.Second)
		// Full use of the limit: total requests need ceil(total/n)-1 windows (plus 1 ms slack each).
		windows := (total+n-1)/n - 1
		maxElapsed := time.Duration(windows) * (2*time.Second + 2*time.Millisecond)
		if el := clock.Now().Sub(t0); el > maxElapsed {
			t.Errorf("limit %d: %d requests took %v, want ≤ %v (under-using the window)", n, total, el, maxElapsed)
		}
	}
}

func TestWindowConcurrentRealClock(t *testing.T) {
	const n, span = 5, 40 * time.Millisecond
	w := newWindow(realClock{}, n, span)
	var mu sync.Mutex
	var starts []time.Time
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 6 {
				release, err := w.acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				starts = append(starts, time.Now())
				mu.Unlock()
				time.Sleep(time.Millisecond) // the request
				release()
			}
		}()
	}
	wg.Wait()
	assertWindow(t, starts, n, span)
}

func TestWindowInflightCounts(t *testing.T) {
	clock := newFakeClock()
	w := newWindow(clock, 2, 2*time.Second)
	r1, _ := w.acquire(context.Background())
	r2, _ := w.acquire(context.Background())
	if wait := w.tryTake(); wait == 0 {
		t.Fatal("a third slot was granted while two requests were in flight")
	}
	clock.Sleep(context.Background(), 10*time.Second)
	r1()
	r2()
	// Released now: the slots count for one more window from the answer, not from the send.
	if wait := w.tryTake(); wait < 2*time.Second {
		t.Fatalf("slot granted after %v; want a wait of the full window after the answers", wait)
	}
}

func TestWindowObserveHeaders(t *testing.T) {
	tests := []struct {
		name      string
		rl        rateHeaders
		wantLimit int
		wantWait  bool // next tryTake must wait
	}{
		{"limit corrects size", rateHeaders{limit: 40, hasLimit: true}, 40, false},
		{"absurd limit ignored", rateHeaders{limit: 0, hasLimit: true}, 20, false},
		{"remaining zero pauses", rateHeaders{limit: 20, hasLimit: true, remaining: 0, hasRemaining: true, reset: 2 * time.Second, hasReset: true}, 20, true},
		{"foreign traffic fills window", rateHeaders{limit: 20, hasLimit: true, remaining: 1, hasRemaining: true}, 20, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWindow(newFakeClock(), 20, 2*time.Second)
			w.observe(tt.rl)
			if got := w.size(); got != tt.wantLimit {
				t.Errorf("limit = %d, want %d", got, tt.wantLimit)
			}
			if wait := w.tryTake(); (wait > 0) != tt.wantWait {
				t.Errorf("tryTake wait = %v, want waiting %v", wait, tt.wantWait)
			}
		})
	}
	t.Run("foreign traffic leaves one slot", func(t *testing.T) {
		w := newWindow(newFakeClock(), 20, 2*time.Second)
		w.observe(rateHeaders{limit: 20, hasLimit: true, remaining: 1, hasRemaining: true})
		if w.tryTake() != 0 {
			t.Fatal("the one remaining slot was not granted")
		}
		if w.tryTake() == 0 {
			t.Fatal("a second slot was granted although the server said 1 remained")
		}
	})
}

func TestWindowAcquireHonoursContext(t *testing.T) {
	w := newWindow(realClock{}, 1, time.Hour)
	r, _ := w.acquire(context.Background())
	r()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := w.acquire(ctx); err == nil {
		t.Fatal("acquire on a full window returned without error after the context ended")
	}
}
