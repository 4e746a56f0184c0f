package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// routes registers every endpoint the sandbox serves.
func (s *Server) routes() {
	s.registerV2("persons", personKind)
	s.registerV2("organizations", orgKind)
	s.registerV2("deals", dealKind, "GET /api/v2/deals")
	s.handle("GET /api/v2/deals", s.locked(s.dealsList(false)))
	s.handle("GET /api/v2/deals/archived", s.locked(s.dealsList(true)))
	s.registerV2("activities", activityKind, "POST /api/v2/activities", "PATCH /api/v2/activities/{id}")
	s.handle("POST /api/v2/activities", s.locked(s.activityWrite(true)))
	s.handle("PATCH /api/v2/activities/{id}", s.locked(s.activityWrite(false)))
	s.registerV2("pipelines", pipelineKind)
	s.registerV2("stages", stageKind)
	s.fieldRoutes()
	s.searchRoutes()
	s.v1Routes()
	s.extraRoutes()
	s.leadRoutes()
	notAllowed := func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, msg: "Method not allowed"})
	}
	for path, methods := range s.paths {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if !methods[m] {
				s.mux.HandleFunc(m+" "+path, notAllowed)
			}
		}
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, &apiError{status: http.StatusNotFound, msg: "Unknown method ."})
	})
}

// handle registers a "METHOD /path" pattern and remembers the path, so that other methods
// on it get a JSON 405 instead of net/http's plain-text one.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	if s.paths == nil {
		s.paths = map[string]map[string]bool{}
	}
	method, path, _ := strings.Cut(pattern, " ")
	if s.paths[path] == nil {
		s.paths[path] = map[string]bool{}
	}
	s.paths[path][method] = true
	s.mux.HandleFunc(pattern, h)
}

// reencode turns a decoded body back into a request body.
func reencode(body map[string]any) io.ReadCloser {
	raw, _ := json.Marshal(body)
	return io.NopCloser(bytes.NewReader(raw))
}
