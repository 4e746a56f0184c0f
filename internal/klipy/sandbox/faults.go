package sandbox

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults are Klipy's failure modes, injected per API request from a generator seeded with
// Seed so a run is reproducible. Klipy documents no SLA during its beta
// (https://klipy.ai/docs/guides/klipy-api) and keys with an optional expiry
// (https://klipy.ai/docs/api/issuing-api-keys).
type Faults struct {
	Rate5xx      float64       // 500, 502 or 503 answered with an error body; nothing served
	RateTimeout  float64       // the answer is held for Hang, then sent (a client with a shorter timeout gives up)
	Hang         time.Duration // how long a timeout holds the answer (default 2 s)
	Latency      time.Duration // added to every API request
	KeyExpiresAt int           // from this request on (counted from 1), every key answers 401 "api key expired"
	Seed         int64
}

// active reports whether any fault is configured.
func (f Faults) active() bool {
	return f.Rate5xx > 0 || f.RateTimeout > 0 || f.Latency > 0 || f.KeyExpiresAt > 0
}

// faultState draws faults for requests.
type faultState struct {
	mu  sync.Mutex
	f   Faults
	rng *rand.Rand
	n   int // API requests seen
}

func newFaultState(f Faults) *faultState {
	if f.Hang <= 0 {
		f.Hang = 2 * time.Second
	}
	return &faultState{f: f, rng: rand.New(rand.NewPCG(uint64(f.Seed), 0xc1a5))}
}

// draw picks the fault of one request: "", "expired", "5xx" or "timeout", plus the delay.
func (fs *faultState) draw() (string, int, time.Duration) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.f
	if !f.active() {
		return "", 0, 0
	}
	fs.n++
	if f.KeyExpiresAt > 0 && fs.n >= f.KeyExpiresAt {
		return "expired", 0, f.Latency
	}
	u5, ut, which := fs.rng.Float64(), fs.rng.Float64(), fs.rng.IntN(3)
	switch {
	case u5 < f.Rate5xx:
		return "5xx", []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[which], f.Latency
	case ut < f.RateTimeout:
		return "timeout", 0, f.Latency + f.Hang
	}
	return "", 0, f.Latency
}

// inject applies the drawn fault before a request is served; a non-nil error is the answer.
func (s *Server) inject(r *http.Request) *apiError {
	kind, status, delay := s.faults.draw()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	switch kind {
	case "expired":
		return errorf(http.StatusUnauthorized, "unauthorized", "api key expired: an admin issues a new one under Settings → API")
	case "5xx":
		return errorf(status, "internal_error", "the service is unavailable; try again later")
	}
	return nil
}

// ParseFaults parses a fault spec such as "5xx=0.05,timeout=0.02,hang=1s,latency=5ms,expire=500,seed=7".
// Rates must lie in [0,1]; an empty spec means no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, val, ok := strings.Cut(item, "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q: want key=value", item)
		}
		if err := f.set(strings.TrimSpace(key), strings.TrimSpace(val)); err != nil {
			return Faults{}, fmt.Errorf("fault %q: %w", item, err)
		}
	}
	return f, nil
}

func (f *Faults) set(key, val string) error {
	switch key {
	case "5xx", "timeout":
		r, err := strconv.ParseFloat(val, 64)
		if err != nil || r < 0 || r > 1 {
			return fmt.Errorf("rate must be a number between 0 and 1")
		}
		if key == "5xx" {
			f.Rate5xx = r
		} else {
			f.RateTimeout = r
		}
	case "hang", "latency":
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return fmt.Errorf("%s must be a non-negative duration such as 20ms", key)
		}
		if key == "hang" {
			f.Hang = d
		} else {
			f.Latency = d
		}
	case "expire":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			return fmt.Errorf("expire must be a request number of at least 1")
		}
		f.KeyExpiresAt = n
	case "seed":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return fmt.Errorf("seed must be an integer: %w", err)
		}
		f.Seed = n
	default:
		return fmt.Errorf("unknown fault %q (known: 5xx, timeout, hang, latency, expire, seed)", key)
	}
	return nil
}
