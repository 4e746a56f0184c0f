package sandbox

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults configures injected failures. Rates are probabilities in [0,1] drawn per API
// request from a generator seeded with Seed, so a run is reproducible.
type Faults struct {
	Rate5xx          float64       // 500 answered, the request is NOT applied
	Rate429          float64       // 429 answered, not applied
	ResetRate        float64       // connection closed without a response, not applied
	LostResponseRate float64       // the request IS applied, then the connection is closed
	Latency          time.Duration // added to every API request
	Seed             int64
}

// faultInjector draws and applies faults.
type faultInjector struct {
	mu  sync.Mutex
	f   Faults
	rng *rand.Rand
}

func newFaultInjector(f Faults) *faultInjector {
	fi := &faultInjector{}
	fi.set(f)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.f = f
	fi.rng = rand.New(rand.NewPCG(uint64(f.Seed), 0x5eed))
}

// SetFaults replaces the fault configuration and restarts its generator from f.Seed.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// draw picks the fault for one request: "", "429", "5xx", "reset" or "lost".
func (fi *faultInjector) draw() (string, time.Duration) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f := fi.f
	if f.Rate5xx == 0 && f.Rate429 == 0 && f.ResetRate == 0 && f.LostResponseRate == 0 {
		return "", f.Latency
	}
	u := [4]float64{fi.rng.Float64(), fi.rng.Float64(), fi.rng.Float64(), fi.rng.Float64()}
	switch {
	case u[0] < f.Rate429:
		return "429", f.Latency
	case u[1] < f.Rate5xx:
		return "5xx", f.Latency
	case u[2] < f.ResetRate:
		return "reset", f.Latency
	case u[3] < f.LostResponseRate:
		return "lost", f.Latency
	}
	return "", f.Latency
}

// serve runs h under the drawn fault.
func (fi *faultInjector) serve(w *statusWriter, r *http.Request, h http.Handler) {
	kind, latency := fi.draw()
	if latency > 0 {
		time.Sleep(latency)
	}
	switch kind {
	case "429":
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"success": false,
			"error":      "Request over limit. Too many requests in the rolling 2-second window.",
			"error_info": errorInfo, "errorCode": 429, "data": nil, "additional_data": nil})
	case "5xx":
		writeJSON(w, http.StatusInternalServerError, map[string]any{"success": false,
			"error": "Internal Server Error", "code": "ERR_UNKNOWN"})
	case "reset":
		w.fault = "reset"
		closeConn(w)
	case "lost":
		h.ServeHTTP(&discardWriter{header: http.Header{}}, r)
		w.fault = "lost"
		closeConn(w)
	default:
		h.ServeHTTP(w, r)
	}
}

// closeConn drops the connection without a response: hijack and close when possible,
// otherwise abort the handler (net/http then closes the connection).
func closeConn(w *statusWriter) {
	w.finished()
	if conn, _, err := http.NewResponseController(w.ResponseWriter).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// discardWriter swallows a response that will never be delivered.
type discardWriter struct {
	header http.Header
	buf    bytes.Buffer
}

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return d.buf.Write(b) }
func (d *discardWriter) WriteHeader(int)             {}

// ParseFaults parses a fault spec such as "5xx=0.05,429=0.02,lost=0.01,reset=0.01,latency=20ms,seed=7".
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
		if err := f.setField(strings.TrimSpace(key), strings.TrimSpace(val)); err != nil {
			return Faults{}, fmt.Errorf("fault %q: %w", item, err)
		}
	}
	return f, nil
}

func (f *Faults) setField(key, val string) error {
	switch key {
	case "latency":
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return fmt.Errorf("latency must be a non-negative duration such as 20ms")
		}
		f.Latency = d
		return nil
	case "seed":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return fmt.Errorf("seed must be an integer: %w", err)
		}
		f.Seed = n
		return nil
	}
	dst := map[string]*float64{"5xx": &f.Rate5xx, "429": &f.Rate429, "lost": &f.LostResponseRate, "reset": &f.ResetRate}[key]
	if dst == nil {
		return fmt.Errorf("unknown fault %q (known: 5xx, 429, lost, reset, latency, seed)", key)
	}
	r, err := strconv.ParseFloat(val, 64)
	if err != nil || r < 0 || r > 1 {
		return fmt.Errorf("rate must be a number between 0 and 1")
	}
	*dst = r
	return nil
}
