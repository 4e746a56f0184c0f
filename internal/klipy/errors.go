package klipy

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinels wrapped by the errors of this package; test with errors.Is.
var (
	ErrUnauthorized = errors.New("klipy rejected the api key")      // 401
	ErrForbidden    = errors.New("klipy api key lacks a scope")     // 403
	ErrNotFound     = errors.New("klipy object not found")          // 404
	ErrRateLimited  = errors.New("klipy rate limit still exceeded") // 429 after every retry
	ErrProtocol     = errors.New("klipy answer not understood")     // a body that is not the documented shape
	// ErrCursorExpired: Klipy refused a cursor it gave earlier (400 naming the cursor).
	ErrCursorExpired = errors.New("klipy paging cursor expired")
)

// Scopes of Klipy API keys this client needs (NOTES.md §3).
const (
	ScopeAll              = "ALL"
	ScopePeopleRead       = "people:read"
	ScopeCompaniesRead    = "companies:read"
	ScopeInteractionsRead = "interactions:read"
)

// APIError is an error answer of the Klipy API: the documented {code, message, details}.
// Message and Details come from the server with the API key redacted.
type APIError struct {
	Method, Path string // e.g. POST /people/query
	Status       int
	Code         string
	Message      string
	Details      string // details as compact JSON, if any
	RequestID    string // meta.request_id (new generation)
	Scope        string // the scope the endpoint needs, named on 401/403
}

// Error says what failed, where, and what to do about it.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "klipy %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Details != "" {
		fmt.Fprintf(&b, " %s", e.Details)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		b.WriteString("; check KLIPY_API_KEY (klipy_api_… for the current API, klipy_pk_… for the old one) and that it has not expired")
	case http.StatusForbidden:
		fmt.Fprintf(&b, "; the api key needs scope %q (or ALL): an admin grants it under Settings → API", e.Scope)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

// Unwrap maps the status to this package's sentinels.
func (e *APIError) Unwrap() error {
	switch e.Status {
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusForbidden:
		return ErrForbidden
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusTooManyRequests:
		return ErrRateLimited
	}
	return nil
}

// scopeFor names the read scope an API path needs.
func scopeFor(path string) string {
	switch {
	case strings.HasPrefix(path, "/people"):
		return ScopePeopleRead
	case strings.HasPrefix(path, "/companies"):
		return ScopeCompaniesRead
	case strings.HasPrefix(path, "/interactions"):
		return ScopeInteractionsRead
	}
	return ScopeAll
}
