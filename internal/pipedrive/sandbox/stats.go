package sandbox

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"ferry/internal/pipedrive/costs"
)

// EndpointStats counts the traffic of one endpoint template.
type EndpointStats struct {
	Requests    int            `json:"requests"`
	Status      map[string]int `json:"status"` // "200", "404", … plus "reset" and "lost" for dropped connections
	Tokens      int            `json:"tokens"`
	RateLimited int            `json:"rate_limited"` // 429 answers
}

// Stats is the sandbox's traffic summary, served at GET /_sandbox/stats.
type Stats struct {
	Requests        int                       `json:"requests"`
	Tokens          int                       `json:"tokens"`
	RateLimited     int                       `json:"rate_limited"`
	BudgetRemaining int                       `json:"budget_remaining"`
	Endpoints       map[string]*EndpointStats `json:"endpoints"` // key "GET /api/v2/persons/{id}"
}

type statsRecorder struct {
	mu sync.Mutex
	st Stats
}

func newStatsRecorder() *statsRecorder {
	return &statsRecorder{st: Stats{Endpoints: map[string]*EndpointStats{}}}
}

// record adds one request; status 0 with a fault means the connection was dropped.
func (sr *statsRecorder) record(method, path string, w *statusWriter) {
	key := method + " " + path
	if tmpl, _, ok := costs.Match(method, path); ok {
		key = method + " " + tmpl
	} else if !strings.HasPrefix(path, "/api/") {
		key = method + " (other)"
	}
	status := strconv.Itoa(w.status)
	if w.fault != "" {
		status = w.fault
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	e := sr.st.Endpoints[key]
	if e == nil {
		e = &EndpointStats{Status: map[string]int{}}
		sr.st.Endpoints[key] = e
	}
	e.Requests++
	e.Status[status]++
	e.Tokens += w.tokens
	sr.st.Requests++
	sr.st.Tokens += w.tokens
	if w.status == http.StatusTooManyRequests {
		e.RateLimited++
		sr.st.RateLimited++
	}
}

// Stats returns a copy of the traffic counters.
func (s *Server) Stats() Stats {
	s.stats.mu.Lock()
	out := s.stats.st
	out.Endpoints = make(map[string]*EndpointStats, len(s.stats.st.Endpoints))
	for k, v := range s.stats.st.Endpoints {
		cp := *v
		cp.Status = make(map[string]int, len(v.Status))
		for sk, sv := range v.Status {
			cp.Status[sk] = sv
		}
		out.Endpoints[k] = &cp
	}
	s.stats.mu.Unlock()
	out.BudgetRemaining = s.limits.remaining()
	return out
}

// serveStats answers GET /_sandbox/stats (no auth needed; a token, if sent, must be right).
func (s *Server) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, msg: "Method not allowed"})
		return
	}
	if presentedToken(r) != "" && !s.authorized(r) {
		writeUnauthorized(w)
		return
	}
	writeJSON(w, http.StatusOK, s.Stats())
}

// statusWriter records the status and charged tokens of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	tokens int
	fault  string
	finish func() // records the request; called once by finished
}

// finished records the request once (before a dropped connection is closed, so a client
// that sees the drop already finds it in the stats).
func (w *statusWriter) finished() {
	if w.finish != nil {
		w.finish()
		w.finish = nil
	}
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (for hijacking).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// presentedToken returns the token of r: x-api-token, Bearer, or ?api_token=.
func presentedToken(r *http.Request) string {
	if t := r.Header.Get("x-api-token"); t != "" {
		return t
	}
	if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
		return strings.TrimPrefix(a, "Bearer ")
	}
	return r.URL.Query().Get("api_token")
}

// authorized reports whether r carries the sandbox token.
func (s *Server) authorized(r *http.Request) bool {
	t := presentedToken(r)
	if t != "" && s.oauth != nil && isBearer(r) && s.oauth.valid(t) {
		return true
	}
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(s.opts.Token)) == 1
}

func (sr *statsRecorder) reset() {
	sr.mu.Lock()
	sr.st = Stats{Endpoints: map[string]*EndpointStats{}}
	sr.mu.Unlock()
}
