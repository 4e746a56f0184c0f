// Package sandbox is a local stand-in for Klipy CRM's beta REST API (ref/klipy/NOTES.md §3),
// serving a dataset (normally internal/gen's) through either API generation:
//
//   - new: {object, data, meta{request_id, api_version, timestamp}}, lists paged with
//     page_info{has_more, next_cursor}, key in X-Klipy-Api-Key or Authorization: Bearer,
//     keys klipy_api_…; errors {object:"error", error{code, message, details}, meta};
//   - old: {success, data}, lists as data{items, nextCursor, hasMore}, key in X-KLIPY-API-KEY
//     only, keys klipy_pk_…; errors {success:false, error{code, message, details}};
//     GET /authenticate answers the bare {team_name} the old docs show.
//
// Routes, under /api/v1: GET /authenticate; POST /people/query, GET /people/{id};
// GET /companies/{id} (Klipy has no company list); POST /interactions/query (body
// {cursor, limit, filter{companyId, contactId}}), GET /interactions/{id}. Write routes answer
// 501. Queries return DefaultLimit objects unless limit says otherwise; limit must be 1 to
// MaxLimit (400 otherwise); cursors are opaque. Keys carry scopes (ALL, people:read,
// companies:read, interactions:read): a route whose scope the key lacks answers 403. With
// Options.Limits, each key may make KeyLimit requests per window and the organisation
// OrgLimit (Klipy: 200 and 1,000 per minute); answers carry X-RateLimit-Limit, -Remaining and
// -Reset (Unix seconds), and an exceeded limit answers 429 with Retry-After (seconds).
// GET /_sandbox/stats (no key) reports what was served.
//
// Records are encoded once at start into compressed blocks (see table); UpsertPerson and
// friends overlay changes for delta tests.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"ferry/internal/source"
)

// Page sizes of the query routes.
const (
	DefaultLimit = 20  // Klipy's documented default
	MaxLimit     = 100 // the sandbox's maximum (Klipy documents none)
)

// Source gives the records of a kind; *gen.Dataset is one.
type Source interface {
	Each(kind source.Kind, fn func(source.Record) error) error
}

// Key is an API key the sandbox accepts and the scopes it carries (none means ALL).
type Key struct {
	Value  string
	Scopes []string
}

// Options configures a Server. Zero values take the documented defaults.
type Options struct {
	API      string // "new" (default) or "old"
	Source   Source // served people, companies and interactions; nil serves none
	Keys     []Key  // accepted keys; at least one is needed to get past 401
	TeamName string // answered by /authenticate (default "Sandbox Workspace")

	Limits   bool          // enforce rate limits
	KeyLimit int           // requests per key per window (default 200)
	OrgLimit int           // requests per organisation per window (default 1,000)
	Window   time.Duration // default one minute
	Now      func() time.Time

	// Webhook sender settings, used by the sender in webhooks*.go (see Run).
	WebhookURL    string
	WebhookSecret string
}

// Server is the sandbox: an http.Handler.
type Server struct {
	opts    Options
	mux     *http.ServeMux
	tables  map[source.Kind]*table
	loadErr error
	limits  *limiter
	stats   counters
	reqSeq  atomic.Uint64

	mu   sync.RWMutex
	over map[source.Kind]*overlay
}

// served lists the kinds Klipy's API exposes.
var served = []source.Kind{source.Person, source.Company, source.Interaction}

// New builds the server, encoding every record of opts.Source. It panics when opts.API is
// neither "", "new" nor "old" (a programming error); a Source failure is kept in Err and
// every request then answers 500.
func New(opts Options) *Server {
	opts = withDefaults(opts)
	s := &Server{opts: opts, tables: map[source.Kind]*table{}, over: map[source.Kind]*overlay{},
		limits: newLimiter(opts)}
	for _, k := range served {
		s.over[k] = newOverlay()
		t, err := buildTable(opts.Source, k)
		if err != nil {
			s.loadErr = err
			t = &table{}
		}
		s.tables[k] = t
	}
	s.routes()
	return s
}

func withDefaults(o Options) Options {
	switch o.API {
	case "":
		o.API = "new"
	case "new", "old":
	default:
		panic(fmt.Sprintf("sandbox: API %q: allowed values are new and old", o.API))
	}
	if o.Source == nil {
		o.Source = emptySource{}
	}
	if o.TeamName == "" {
		o.TeamName = "Sandbox Workspace"
	}
	if o.KeyLimit <= 0 {
		o.KeyLimit = 200
	}
	if o.OrgLimit <= 0 {
		o.OrgLimit = 1000
	}
	if o.Window <= 0 {
		o.Window = time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

type emptySource struct{}

func (emptySource) Each(source.Kind, func(source.Record) error) error { return nil }

// Err reports why the dataset could not be loaded, or nil.
func (s *Server) Err() error { return s.loadErr }

// Options returns the options the server runs with (defaults filled in).
func (s *Server) Options() Options { return s.opts }

// Count returns how many records of kind the server holds (generated, plus added, minus deleted).
func (s *Server) Count(kind source.Kind) int {
	t := s.tables[kind]
	if t == nil {
		return 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return t.n + s.over[kind].delta
}

// MemoryBytes is the memory the encoded dataset holds.
func (s *Server) MemoryBytes() int {
	n := 0
	for _, t := range s.tables {
		n += t.size()
	}
	return n
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// backgroundTasks run beside the server while Run runs. The webhook sender
// (webhooks*.go, another file of this package) appends itself here from an init function.
var backgroundTasks []func(ctx context.Context, s *Server) error

// Run runs the registered background tasks (the webhook sender) until ctx is done, and
// returns the first error one of them returns. With no task it just waits for ctx.
func (s *Server) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(backgroundTasks))
	for _, task := range backgroundTasks {
		go func() { errs <- task(ctx, s) }()
	}
	for range backgroundTasks {
		if err := <-errs; err != nil && ctx.Err() == nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}

// NewKey returns a random key with the prefix of api ("new": klipy_api_, "old": klipy_pk_).
func NewKey(api string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	if api == "old" {
		return "klipy_pk_" + hex.EncodeToString(b)
	}
	return "klipy_api_" + hex.EncodeToString(b)
}
