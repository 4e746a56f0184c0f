package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

const (
	errorInfo   = "Please check developers.pipedrive.com"
	notFoundMsg = "Entity was not found"
	v1TimeFmt   = "2006-01-02 15:04:05"
	dateFmt     = "2006-01-02"
)

// apiError is a handler failure rendered as Pipedrive's error envelope.
type apiError struct {
	status int
	msg    string
	code   string // v2 "code" such as ERR_BAD_REQUEST; empty for v1
}

func (e *apiError) Error() string { return e.msg }

// badRequest is a 400 with v2's ERR_BAD_REQUEST code.
func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...), code: "ERR_BAD_REQUEST"}
}

// notFound is the documented 404.
func notFound() *apiError {
	return &apiError{status: http.StatusNotFound, msg: notFoundMsg}
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError renders err as Pipedrive's error envelope.
func writeError(w http.ResponseWriter, err *apiError) {
	body := map[string]any{
		"success": false, "error": err.msg, "error_info": errorInfo,
		"data": nil, "additional_data": nil,
	}
	if err.status == http.StatusNotFound {
		body["error_info"] = "Object was not found."
	}
	if err.code != "" {
		body["code"] = err.code
	}
	writeJSON(w, err.status, body)
}

// writeUnauthorized writes the documented 401 body.
func writeUnauthorized(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, map[string]any{
		"success": false, "error": "unauthorized access", "errorCode": 401,
	})
}

// writeData writes {"success":true,"data":data} with status 200.
func writeData(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": data})
}

// writeV2List writes a v2 list page with additional_data.next_cursor.
func writeV2List(w http.ResponseWriter, data any, next *int) {
	var cur any
	if next != nil {
		cur = encodeCursor(*next)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true, "data": data, "additional_data": map[string]any{"next_cursor": cur},
	})
}

// v1Page is an offset page request.
type v1Page struct{ start, limit int }

// writeV1List writes a v1 list with additional_data.pagination for the page of total items.
func writeV1List(w http.ResponseWriter, data any, p v1Page, total int) {
	pg := map[string]any{"start": p.start, "limit": p.limit, "more_items_in_collection": p.start+p.limit < total}
	if p.start+p.limit < total {
		pg["next_start"] = p.start + p.limit
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true, "data": data, "additional_data": map[string]any{"pagination": pg},
	})
}

// encodeCursor makes an opaque cursor for an offset into a sorted result.
func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(`{"offset":` + strconv.Itoa(offset) + `}`))
}

// decodeCursor reverses encodeCursor; an empty cursor is offset 0.
func decodeCursor(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, fmt.Errorf("invalid cursor: %w", err)
	}
	var v struct{ Offset *int }
	if err := json.Unmarshal(raw, &v); err != nil || v.Offset == nil || *v.Offset < 0 {
		return 0, fmt.Errorf("invalid cursor")
	}
	return *v.Offset, nil
}

// v2Page parses cursor and limit (default 100, at most max).
func v2Page(r *http.Request, max int) (offset, limit int, err *apiError) {
	q := r.URL.Query()
	limit = 100
	if s := q.Get("limit"); s != "" {
		n, e := strconv.Atoi(s)
		if e != nil || n < 1 {
			return 0, 0, badRequest("Validation failed: limit: Expected number, received %q", s)
		}
		if n > max {
			return 0, 0, badRequest("Validation failed: limit: Number must be less than or equal to %d", max)
		}
		limit = n
	}
	offset, e := decodeCursor(q.Get("cursor"))
	if e != nil {
		return 0, 0, badRequest("Validation failed: cursor: Invalid cursor")
	}
	return offset, limit, nil
}

// pageSlice returns items[offset:offset+limit] and the next offset when more remain.
func pageSlice[T any](items []T, offset, limit int) ([]T, *int) {
	if offset > len(items) {
		offset = len(items)
	}
	end := min(offset+limit, len(items))
	var next *int
	if end < len(items) {
		next = &end
	}
	return items[offset:end], next
}

// parseV1Page parses start (default 0) and limit (default 100, at most max).
func parseV1Page(r *http.Request, max int) (v1Page, *apiError) {
	q := r.URL.Query()
	p := v1Page{limit: 100}
	if s := q.Get("start"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, &apiError{status: http.StatusBadRequest, msg: "start must be a non-negative integer"}
		}
		p.start = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, &apiError{status: http.StatusBadRequest, msg: "limit must be a positive integer"}
		}
		p.limit = min(n, max)
	}
	return p, nil
}

// v1Slice returns the items of page p.
func v1Slice[T any](items []T, p v1Page) []T {
	start := min(p.start, len(items))
	return items[start:min(start+p.limit, len(items))]
}

// fmtV2 formats t as RFC 3339 UTC with Z; the zero time is nil.
func fmtV2(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// fmtV1 formats t as "YYYY-MM-DD HH:MM:SS" UTC; the zero time is nil.
func fmtV1(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(v1TimeFmt)
}
