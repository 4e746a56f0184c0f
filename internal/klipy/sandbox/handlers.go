package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"ferry/internal/source"
)

// routes registers every route.
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	api := func(pattern, scope string, h func(http.ResponseWriter, *http.Request) *apiError) {
		s.mux.Handle(pattern, s.guard(pattern, scope, h))
	}
	authScope := ""
	if s.opts.AuthNeedsAll {
		authScope = ScopeAll
	}
	api("GET /api/v1/authenticate", authScope, s.handleAuthenticate)
	api("POST /api/v1/people/query", ScopePeopleRead, s.handleQuery(source.Person))
	api("GET /api/v1/people/{id}", ScopePeopleRead, s.handleGet(source.Person, "person"))
	api("GET /api/v1/companies/{id}", ScopeCompaniesRead, s.handleGet(source.Company, "company"))
	api("POST /api/v1/interactions/query", ScopeInteractionsRead, s.handleQuery(source.Interaction))
	api("GET /api/v1/interactions/{id}", ScopeInteractionsRead, s.handleGet(source.Interaction, "interaction"))
	for _, p := range []string{"POST /api/v1/people", "PUT /api/v1/people", "PATCH /api/v1/people/{id}",
		"DELETE /api/v1/people/{id}", "POST /api/v1/companies", "PATCH /api/v1/companies/{id}",
		"DELETE /api/v1/companies/{id}", "POST /api/v1/interactions"} {
		api(p, "", readOnly)
	}
	s.mux.HandleFunc("GET /_sandbox/stats", s.handleStats)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.stats.count("unknown route", http.StatusNotFound, false)
		s.writeError(w, errorf(http.StatusNotFound, "not_found", "no route %s %s; routes live under /api/v1", r.Method, r.URL.Path))
	})
}

// guard authenticates, rate-limits and scope-checks a request, counts it and runs h.
func (s *Server) guard(route, scope string, h func(http.ResponseWriter, *http.Request) *apiError) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, limited := s.admit(w, r, scope)
		if e == nil {
			e = h(w, r)
		}
		status := http.StatusOK
		if e != nil {
			status = e.status
			s.writeError(w, e)
		}
		s.stats.count(route, status, limited)
	})
}

func (s *Server) admit(w http.ResponseWriter, r *http.Request, scope string) (*apiError, bool) {
	if s.loadErr != nil {
		return errorf(http.StatusInternalServerError, "internal_error", "sandbox dataset failed to load: %v", s.loadErr), false
	}
	if e := s.inject(r); e != nil {
		return e, false
	}
	key, e := s.authenticate(r)
	if e != nil {
		return e, false
	}
	if !s.limits.take(w.Header(), key.Value) {
		return errorf(http.StatusTooManyRequests, "rate_limited", "rate limit exceeded: %d requests per key and %d per organisation per %s",
			s.opts.KeyLimit, s.opts.OrgLimit, s.opts.Window), true
	}
	if !key.allows(scope) {
		return forbidden(scope), false
	}
	return nil, false
}

func readOnly(http.ResponseWriter, *http.Request) *apiError {
	return errorf(http.StatusNotImplemented, "not_implemented", "the sandbox serves reads only; change data with its Go methods (UpsertPerson, …)")
}

func (s *Server) handleAuthenticate(w http.ResponseWriter, _ *http.Request) *apiError {
	b, _ := json.Marshal(map[string]string{"team_name": s.opts.TeamName})
	if s.opts.API == "old" {
		s.write(w, http.StatusOK, b) // the old docs show a bare {team_name}
		return nil
	}
	s.writeObject(w, "authentication", b)
	return nil
}

func (s *Server) handleGet(kind source.Kind, object string) func(http.ResponseWriter, *http.Request) *apiError {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		id := r.PathValue("id")
		obj, err := s.lookup(kind, id)
		if err != nil {
			return errorf(http.StatusInternalServerError, "internal_error", "%v", err)
		}
		if obj == nil {
			return errorf(http.StatusNotFound, "not_found", "no %s with id %q", object, id)
		}
		s.writeObject(w, object, obj)
		return nil
	}
}

// resourceName is the list name of a queried kind in the old generation's data object.
var resourceName = map[source.Kind]string{source.Person: "people", source.Interaction: "interactions"}

// queryBody is the body of a query route.
type queryBody struct {
	Cursor string `json:"cursor"`
	Limit  *int   `json:"limit"`
	Filter *struct {
		CompanyID string `json:"companyId"`
		ContactID string `json:"contactId"`
	} `json:"filter"`
}

func (s *Server) handleQuery(kind source.Kind) func(http.ResponseWriter, *http.Request) *apiError {
	return func(w http.ResponseWriter, r *http.Request) *apiError {
		q, e := readQuery(r)
		if e != nil {
			return e
		}
		pos, e := s.decodeCursor(kind, q.Cursor)
		if e != nil {
			return e
		}
		limit := DefaultLimit
		if q.Limit != nil {
			limit = *q.Limit
		}
		if limit < 1 || limit > s.opts.MaxLimit {
			return errorf(http.StatusBadRequest, "invalid_request", "limit %d: allowed are 1 to %d (default %d)", limit, s.opts.MaxLimit, DefaultLimit)
		}
		items, next, err := s.page(kind, pos, limit, q)
		if err != nil {
			return errorf(http.StatusInternalServerError, "internal_error", "%v", err)
		}
		cursor := ""
		if next >= 0 && s.opts.PagingStyle != "none" {
			cursor = s.encodeCursor(kind, next)
		}
		s.writeList(w, resourceName[kind], items, cursor)
		return nil
	}
}

func readQuery(r *http.Request) (queryBody, *apiError) {
	var q queryBody
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		return q, errorf(http.StatusBadRequest, "invalid_request", "read body: %v", err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return q, nil
	}
	if err := json.Unmarshal(body, &q); err != nil {
		return q, errorf(http.StatusBadRequest, "invalid_request", "body must be JSON {cursor, limit, filter}: %v", err)
	}
	return q, nil
}

// page collects up to limit objects from position pos; next is the position to continue
// from, or -1 at the end.
func (s *Server) page(kind source.Kind, pos, limit int, q queryBody) ([][]byte, int, error) {
	items := make([][]byte, 0, limit)
	n := s.seqLen(kind)
	rd := &reader{t: s.tables[kind]}
	for ; pos < n && len(items) < limit; pos++ {
		obj, err := s.objectAt(kind, pos, rd)
		if err != nil {
			return nil, 0, err
		}
		if obj != nil && matches(obj, q) {
			items = append(items, obj)
		}
	}
	if pos >= n {
		return items, -1, nil
	}
	return items, pos, nil
}

// matches applies an interactions filter{companyId, contactId}.
func matches(obj []byte, q queryBody) bool {
	if q.Filter == nil || (q.Filter.CompanyID == "" && q.Filter.ContactID == "") {
		return true
	}
	var v struct{ Companies, Contacts []string }
	if json.Unmarshal(obj, &v) != nil {
		return false
	}
	return (q.Filter.CompanyID == "" || slices.Contains(v.Companies, q.Filter.CompanyID)) &&
		(q.Filter.ContactID == "" || slices.Contains(v.Contacts, q.Filter.ContactID))
}

// Cursors are opaque to clients: base64url of "<kind>:<position>", plus ":<issued, Unix ms>"
// when cursors expire (Options.CursorTTL).
func (s *Server) encodeCursor(kind source.Kind, pos int) string {
	raw := string(kind) + ":" + strconv.Itoa(pos)
	if s.opts.CursorTTL > 0 {
		raw += ":" + strconv.FormatInt(s.opts.Now().UnixMilli(), 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeCursor reads a cursor of kind; with Options.CursorTTL an old one is refused.
func (s *Server) decodeCursor(kind source.Kind, c string) (int, *apiError) {
	if c == "" {
		return 0, nil
	}
	bad := errorf(http.StatusBadRequest, "invalid_cursor", "cursor %q was not given by this query; start without a cursor", c)
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, bad
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) < 2 || parts[0] != string(kind) {
		return 0, bad
	}
	pos, err := strconv.Atoi(parts[1])
	if err != nil || pos < 0 {
		return 0, bad
	}
	if len(parts) == 3 && s.opts.CursorTTL > 0 {
		ms, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return 0, bad
		}
		if age := s.opts.Now().Sub(time.UnixMilli(ms)); age > s.opts.CursorTTL {
			return 0, errorf(http.StatusBadRequest, "cursor_expired", "cursor expired %s ago (cursors live %s); start the query again without a cursor",
				(age - s.opts.CursorTTL).Round(time.Millisecond), s.opts.CursorTTL)
		}
	}
	return pos, nil
}
