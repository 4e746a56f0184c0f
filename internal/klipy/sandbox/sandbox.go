// Package sandbox is a local stand-in for Klipy CRM's beta REST API (ref/klipy/NOTES.md §3),
// serving a dataset (normally internal/gen's) through either API generation, in the shapes
// Klipy documents:
//
//   - new (https://klipy.ai/docs/api/introduction): {object, data, meta{request_id,
//     api_version, timestamp}}, key in X-Klipy-Api-Key or Authorization: Bearer, keys
//     klipy_api_…; errors {object:"error", error{code, message, details}, meta};
//   - old (https://developer.klipycrm.com/api-reference/interactions/query-interaction-records):
//     {success, data}, a list as data{interactions|people: […]} exactly as the reference's
//     example, ISO 8601 times, key in X-KLIPY-API-KEY only, keys klipy_pk_…; errors
//     {success:false, error{code, message, details}}; GET /authenticate answers the bare
//     {team_name} the old docs show.
//
// The documented examples themselves live in internal/klipy/docs; TestServesDocumentedOldExamples
// checks the old generation answers them byte for byte (as JSON).
//
// Where the docs are silent the sandbox makes a choice and lets it be switched, so the client
// is tested against every plausible reading rather than one guess:
//
//   - paging (Options.PagingStyle, see PagingStyles): the new generation documents only
//     "page_info (cursor-based)", the old one no paging at all. Default page_info{has_more,
//     next_cursor} at the top (new) and next_cursor/has_more inside data (old);
//   - field names (Options.FieldCase): the API's examples are camelCase, the webhooks'
//     snake_case; default camel;
//   - times (Options.TimeFormat): Unix milliseconds (as create's interactionDate is
//     documented) or ISO 8601 (as the old reference's read examples); default ms for new,
//     iso for old;
//   - person and company fields: no official schema; NOTES.md's names are served;
//   - limits: Klipy documents a default of 20 and no maximum; the sandbox refuses limits above
//     Options.MaxLimit (default MaxLimit) with a 400 naming the allowed range;
//   - cursors: opaque; with Options.CursorTTL they expire (400 cursor_expired), which Klipy
//     does not document but an opaque cursor may do;
//   - X-RateLimit-Reset (Options.ResetUnit): Unix seconds (default) or milliseconds; Klipy
//     names the header, not its unit;
//   - /authenticate: any valid key by default; with Options.AuthNeedsAll only a key with the
//     ALL scope (https://klipy.ai/docs/api/introduction lists Authenticate under ALL).
//
// Routes, under /api/v1: GET /authenticate; POST /people/query, GET /people/{id};
// GET /companies/{id} (Klipy has no company list); POST /interactions/query (body
// {cursor, limit, filter{companyId, contactId}}), GET /interactions/{id}. Write routes answer
// 501. Keys carry scopes (ALL, people:read, companies:read, interactions:read): a route whose
// scope the key lacks answers 403. With Options.Limits, each key may make KeyLimit requests
// per window and the organisation OrgLimit (Klipy: 200 and 1,000 per minute,
// https://klipy.ai/docs/guides/klipy-api); answers carry X-RateLimit-Limit, -Remaining and
// -Reset, and an exceeded limit answers 429 with Retry-After (seconds). Options.Faults
// injects Klipy's failure modes: 5xx answers, answers held past a client's timeout, latency,
// and a key that expires mid-run (401), drawn per request from a seeded generator.
// GET /_sandbox/stats (no key) reports what was served.
//
// Webhooks (webhooks.go) go out as Svix delivers them
// (https://docs.svix.com/receiving/verifying-payloads/how-manual): svix-id "msg_" + a KSUID
// made when the event happened and kept by every retry, svix-timestamp of the attempt,
// svix-signature a space-separated list of "v1,<base64>" (two, old and new, with
// Options.WebhookOldSecret, as during a Svix secret rotation); a failed attempt is retried on
// Svix's schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: https://docs.svix.com/retries)
// divided by Options.WebhookCompress, in the background while later events go out, so retries
// arrive late and out of order, and Options.WebhookLate holds some events back on purpose.
// After the deal events come one documented example of every other type (lead.captured,
// interaction.captured, booking.*, contact.job_changed, meeting.*). Payloads as documented per type
// (https://klipy.ai/docs/webhooks/event-types): deal.contact_added is {deal_id, contact_id,
// association_type, supervisor_id}, and no event carries an event time but deal.created's
// deal_creation_date (data.occurred_at only with SendOptions.AddEventTime, off by default).
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
	"slices"
	"strings"
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

	// AuthNeedsAll makes GET /authenticate need the ALL scope, as Klipy's scope table suggests.
	AuthNeedsAll bool
	// ResetUnit is the unit of X-RateLimit-Reset: "s" (Unix seconds, default) or "ms".
	ResetUnit string
	// CursorTTL, when set, is how long a query cursor stays valid; an older one answers 400
	// cursor_expired.
	CursorTTL time.Duration
	// MaxLimit is the largest query limit accepted (default MaxLimit); above it a 400 names it.
	MaxLimit int
	// Faults injects failures (see Faults); the zero value injects none.
	Faults Faults

	// Choices the docs leave open (see the package comment); "" takes the default.
	FieldCase   string // "camel" (default) or "snake": the spelling of object field names
	TimeFormat  string // "ms" (default for new) or "iso" (default for old): how times are written
	PagingStyle string // one of PagingStyles; default "page_info" (new) or "in-data" (old)

	// Webhook sender settings, used by the sender in webhooks*.go (see Run).
	WebhookURL       string
	WebhookSecret    string
	WebhookOldSecret string  // also sign with this rotated-out secret ("v1,<old> v1,<new>")
	WebhookCompress  float64 // divides Svix's retry schedule (default 1000: 10 h becomes 36 s)
	WebhookLate      int     // hold back every n-th event and send it last (0: none)
}

// Server is the sandbox: an http.Handler.
type Server struct {
	opts    Options
	enc     *encoder
	mux     *http.ServeMux
	tables  map[source.Kind]*table
	loadErr error
	limits  *limiter
	stats   counters
	reqSeq  atomic.Uint64
	faults  *faultState

	mu   sync.RWMutex
	over map[source.Kind]*overlay
}

// served lists the kinds Klipy's API exposes.
var served = []source.Kind{source.Person, source.Company, source.Interaction}

// New builds the server, encoding every record of opts.Source. It panics when opts.API or one
// of the choices is not an allowed value (a programming error: callers check user input with
// Options.Check); a Source failure is kept in Err and every request then answers 500.
func New(opts Options) *Server {
	opts = withDefaults(opts)
	s := &Server{opts: opts, tables: map[source.Kind]*table{}, over: map[source.Kind]*overlay{},
		limits: newLimiter(opts), enc: &encoder{snake: opts.FieldCase == "snake", iso: opts.TimeFormat == "iso"},
		faults: newFaultState(opts.Faults)}
	for _, k := range served {
		s.over[k] = newOverlay()
		t, err := buildTable(opts.Source, k, s.enc)
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
	if err := o.checkChoices(); err != nil {
		panic("sandbox: " + err.Error())
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
	if o.MaxLimit <= 0 {
		o.MaxLimit = MaxLimit
	}
	if o.WebhookCompress <= 0 {
		o.WebhookCompress = 1000
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

// PagingStyles are the list paging shapes the sandbox can serve. Klipy documents only that the
// new generation pages "via page_info (cursor-based)" and shows no paging for the old one, so
// the field names and places are a choice:
//
//	page_info    top-level page_info{has_more, next_cursor} (default of the new generation)
//	meta         meta.page_info{has_more, next_cursor}
//	camel        top-level pageInfo{hasMore, nextCursor}
//	cursor-only  top-level page_info{next_cursor}, no has_more (null on the last page)
//	in-data      next_cursor/has_more (camelCase with FieldCase camel) inside the data object
//	             beside the list (default of the old generation)
//	none         no paging fields at all: only the first page is ever served; a client must
//	             not take a full page of it as the end
var PagingStyles = []string{"page_info", "meta", "camel", "cursor-only", "in-data", "none"}

// Check reports the first option value that is not allowed, naming the allowed ones.
func (o Options) Check() error {
	if o.API == "" {
		o.API = "new"
	}
	if o.API != "new" && o.API != "old" {
		return fmt.Errorf("api %q: allowed values are new, old", o.API)
	}
	return o.checkChoices()
}

func (o *Options) checkChoices() error {
	switch o.ResetUnit {
	case "":
		o.ResetUnit = "s"
	case "s", "ms":
	default:
		return fmt.Errorf("reset unit %q: allowed values are s, ms", o.ResetUnit)
	}
	switch o.FieldCase {
	case "":
		o.FieldCase = "camel"
	case "camel", "snake":
	default:
		return fmt.Errorf("field case %q: allowed values are camel, snake", o.FieldCase)
	}
	switch o.TimeFormat {
	case "":
		o.TimeFormat = map[string]string{"old": "iso"}[o.API]
		if o.TimeFormat == "" {
			o.TimeFormat = "ms"
		}
	case "ms", "iso":
	default:
		return fmt.Errorf("time format %q: allowed values are ms, iso", o.TimeFormat)
	}
	if o.PagingStyle == "" {
		o.PagingStyle = map[string]string{"old": "in-data"}[o.API]
		if o.PagingStyle == "" {
			o.PagingStyle = "page_info"
		}
	}
	if !slices.Contains(PagingStyles, o.PagingStyle) {
		return fmt.Errorf("paging style %q: allowed values are %s", o.PagingStyle, strings.Join(PagingStyles, ", "))
	}
	return nil
}
