package sandbox

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// v1Bad is a v1 400 (no v2 code).
func v1Bad(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: msg}
}

// decodeV1Body reads a v1 body: JSON, or form-encoded (values stay strings).
func decodeV1Body(r *http.Request) (map[string]any, *apiError) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	raw, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return nil, v1Bad("could not read request body")
	}
	if ct == "application/x-www-form-urlencoded" {
		vals, err := url.ParseQuery(string(raw))
		if err != nil {
			return nil, v1Bad("invalid form body")
		}
		out := map[string]any{}
		for k, v := range vals {
			out[k] = v[0]
		}
		return out, nil
	}
	var body map[string]any
	if len(strings.TrimSpace(string(raw))) == 0 {
		return map[string]any{}, nil
	}
	if err := decodeJSON(raw, &body); err != nil || body == nil {
		return nil, v1Bad("Invalid JSON body")
	}
	return body, nil
}

// v1Int reads a v1 integer: a JSON number or a numeric string (v1 is lenient).
func v1Int(v any) (int64, bool) {
	if s, ok := v.(string); ok {
		i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return i, err == nil
	}
	return asInt(v)
}

// v1Flag reads a v1 0/1 flag (number, numeric string or boolean).
func v1Flag(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case json.Number, string:
		i, ok := v1Int(x)
		return i == 1, ok && (i == 0 || i == 1)
	}
	return false, false
}

// v1Routes registers the v1 endpoints.
func (s *Server) v1Routes() {
	h := func(pattern string, fn apiHandler) { s.handle(pattern, s.locked(fn)) }
	h("GET /api/v1/users", s.usersList)
	h("POST /api/v1/users", s.userAdd)
	h("GET /api/v1/users/me", s.userMe)
	h("GET /api/v1/users/find", s.usersFind)
	h("GET /api/v1/users/{id}", s.userGet)
	h("GET /api/v1/notes", s.notesList)
	h("POST /api/v1/notes", s.noteCreate)
	h("GET /api/v1/notes/{id}", s.noteGet)
	h("PUT /api/v1/notes/{id}", s.noteUpdate)
	h("DELETE /api/v1/notes/{id}", s.noteDelete)
	h("POST /api/v1/files", s.fileCreate)
	h("GET /api/v1/files", s.filesList)
	h("GET /api/v1/files/{id}", s.fileGet)
	h("PUT /api/v1/files/{id}", s.fileUpdate)
	h("DELETE /api/v1/files/{id}", s.fileDelete)
	h("GET /api/v1/files/{id}/download", s.fileDownload)
	for _, ent := range []string{"deals", "persons", "organizations"} {
		h("GET /api/v1/"+ent+"/{id}/files", s.entityFiles(ent))
	}
	h("GET /api/v1/activityTypes", s.activityTypesList)
	h("POST /api/v1/activityTypes", s.activityTypeCreate)
	h("PUT /api/v1/activityTypes/{id}", s.activityTypeUpdate)
	h("DELETE /api/v1/activityTypes/{id}", s.activityTypeDelete)
	h("GET /api/v1/leadLabels", s.leadLabelsList)
	h("POST /api/v1/leadLabels", s.leadLabelCreate)
	h("PATCH /api/v1/leadLabels/{id}", s.leadLabelUpdate)
	h("DELETE /api/v1/leadLabels/{id}", s.leadLabelDelete)
	s.v1FieldRoutes()
}
