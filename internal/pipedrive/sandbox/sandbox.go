package sandbox

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// User seeds one company user.
type User struct {
	Name     string `json:"name" yaml:"name"`
	Email    string `json:"email" yaml:"email"`
	Inactive bool   `json:"inactive,omitempty" yaml:"inactive,omitempty"` // deactivated: active_flag false
}

// Options configures a Server. The zero value is a usable sandbox with limits off.
type Options struct {
	// Token is the API token of the default admin user; empty means "sandbox-token".
	Token string
	// Plan is a workspace plan name (lite, growth, premium, ultimate); empty means growth.
	Plan string
	// Seats is the number of seats, for the daily budget and seeded users; 0 means 1.
	Seats int
	// Users are extra company users (the admin who owns Token is always user 1).
	Users []User
	// Limits turns token accounting, the burst window and the daily budget on.
	Limits bool
	// DailyBudget overrides 30,000 × plan multiplier × seats when positive.
	DailyBudget int
	// Burst overrides the plan's burst limit per 2 s when positive; negative turns it off.
	Burst int
	// SearchBurst overrides the search limit of 10 per 2 s when positive; negative turns it off.
	SearchBurst int
	// BlockAfter429s makes the sandbox answer a Cloudflare-style HTML 403 once a token keeps
	// sending after this many consecutive 429s; 0 disables it.
	BlockAfter429s int
	// Seed makes field codes, UUIDs and fault draws reproducible; 0 picks a random seed.
	Seed int64
	// Now is the clock (for tests); nil means time.Now.
	Now func() time.Time
	// Faults are injected from the start; change them later with SetFaults.
	Faults Faults
	// CompanyDomain is reported by /users/me; empty means "sandbox".
	CompanyDomain string
	// SearchLag delays search (itemSearch, itemSearch/field, /persons/search, …): a created
	// record is found only this long after its creation, as Pipedrive's search index lags
	// behind writes by an undocumented delay. List and get endpoints see it at once.
	SearchLag time.Duration
	// NotAdmin makes the token's user a regular user: POST /api/v1/users (admin scope)
	// answers 403.
	NotAdmin bool
	// OAuth, when set, serves the OAuth 2.0 endpoints and accepts their access tokens.
	OAuth *OAuthOptions
	// LogRequests keeps every request (method, path, query, body, status) for Requests.
	LogRequests bool
}

// Server is the sandbox. Create it with New.
type Server struct {
	opts   Options
	now    func() time.Time
	mux    *http.ServeMux
	paths  map[string]map[string]bool // path → registered methods, for JSON 405s
	mu     sync.Mutex                 // guards st and rng
	st     *state
	rng    *rand.Rand
	limits *limiter
	faults *faultInjector
	stats  *statsRecorder
	oauth  *oauthServer // nil without Options.OAuth
	reqlog *requestLog  // nil without Options.LogRequests
}

// New builds a sandbox with seeded users, default pipeline and stages, built-in fields and
// activity types.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "sandbox-token"
	}
	if opts.Plan == "" {
		opts.Plan = "growth"
	}
	if opts.Seats <= 0 {
		opts.Seats = 1
	}
	if opts.CompanyDomain == "" {
		opts.CompanyDomain = "sandbox"
	}
	seed := opts.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		opts:  opts,
		now:   func() time.Time { return now().UTC().Truncate(time.Second) },
		rng:   rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		stats: newStatsRecorder(),
	}
	s.limits = newLimiter(opts, now)
	if opts.OAuth != nil {
		s.oauth = newOAuthServer(*opts.OAuth, now)
	}
	if opts.LogRequests {
		s.reqlog = &requestLog{}
	}
	s.faults = newFaultInjector(opts.Faults)
	s.st = newState()
	s.seed()
	s.mux = http.NewServeMux()
	s.routes()
	return s
}

// Token returns the API token of the default admin user.
func (s *Server) Token() string { return s.opts.Token }

// ServeHTTP implements http.Handler: sandbox helpers, auth, limits, faults, then the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/v1/") {
		// The official clients' default base is https://api.pipedrive.com/v1: the v1 API is
		// served there as well as under /api/v1.
		r = r.Clone(r.Context())
		r.URL.Path = "/api" + r.URL.Path
		if r.URL.RawPath != "" {
			r.URL.RawPath = "/api" + r.URL.RawPath
		}
	}
	switch r.URL.Path {
	case "/_sandbox/stats":
		s.serveStats(w, r)
		return
	}
	rec := &statusWriter{ResponseWriter: w}
	rec.finish = func() { s.stats.record(r.Method, r.URL.Path, rec) }
	if s.reqlog != nil {
		entry := s.reqlog.start(r)
		rec.finish = func() { s.stats.record(r.Method, r.URL.Path, rec); s.reqlog.finish(entry, rec.status) }
	}
	defer rec.finished()
	if s.oauth != nil && strings.HasPrefix(r.URL.Path, "/oauth/") {
		s.oauth.serve(rec, r)
		return
	}
	s.serveAPI(rec, r)
}

// serveAPI authenticates the request, applies limits and faults and dispatches it.
func (s *Server) serveAPI(w *statusWriter, r *http.Request) {
	if !s.authorized(r) {
		writeUnauthorized(w)
		return
	}
	cost, search := requestCost(r)
	key, oauth := s.opts.Token, false
	if s.oauth != nil && isBearer(r) {
		key, oauth = "oauth:user1", true // OAuth tokens share the user's window, whichever token
	}
	if !s.limits.admit(w, key, cost, search, oauth) {
		return
	}
	w.tokens = cost
	s.faults.serve(w, r, s.mux)
}

// Reset discards every record, field, user change and counter and seeds a fresh company
// (custom field codes created afterwards differ from the ones before).
func (s *Server) Reset() {
	s.mu.Lock()
	s.st = newState()
	s.seed()
	s.mu.Unlock()
	s.stats.reset()
	s.limits.reset()
	if s.reqlog != nil {
		s.reqlog.mu.Lock()
		s.reqlog.list = nil
		s.reqlog.mu.Unlock()
	}
}
