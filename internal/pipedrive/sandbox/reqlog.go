package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"sync"
)

// maxLoggedBody is the most of a request body the request log keeps.
const maxLoggedBody = 1 << 20

// LoggedRequest is one request the sandbox received (Options.LogRequests): what a test reads
// to show what was sent, not only how it was answered.
type LoggedRequest struct {
	Method string
	Path   string // the URL path, without the query
	Query  string
	Status int    // the answer's status; 0 when the connection was dropped
	Body   []byte // the request body (the first MiB)
}

// requestLog is the sandbox's log of every request, when Options.LogRequests is set.
type requestLog struct {
	mu   sync.Mutex
	list []LoggedRequest
}

// start reads the body of r for the log, leaves it readable for the handler and returns the
// entry to finish with the status.
func (l *requestLog) start(r *http.Request) *LoggedRequest {
	e := &LoggedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	if r.Body != nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxLoggedBody))
		if err == nil {
			e.Body = body
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		}
	}
	return e
}

func (l *requestLog) finish(e *LoggedRequest, status int) {
	e.Status = status
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, *e)
}

// Requests returns the requests received so far, in order (nil unless Options.LogRequests).
func (s *Server) Requests() []LoggedRequest {
	if s.reqlog == nil {
		return nil
	}
	s.reqlog.mu.Lock()
	defer s.reqlog.mu.Unlock()
	return append([]LoggedRequest(nil), s.reqlog.list...)
}
