package pipedrive

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrNotFound is wrapped by a 404 answer (and 410 for deleted fields).
	ErrNotFound = errors.New("pipedrive: not found")
	// ErrUnauthorized is wrapped by a 401 answer: the API token or OAuth token was rejected.
	ErrUnauthorized = errors.New("pipedrive: token rejected")
	// ErrRateLimited is wrapped by a 429 answer that retries did not get past.
	ErrRateLimited = errors.New("pipedrive: rate limited")
	// ErrBlocked is wrapped by a Cloudflare-style HTML 403 (abuse block after ignored 429s).
	ErrBlocked = errors.New("pipedrive: blocked by the edge after repeated 429s")
	// ErrBudgetExhausted is wrapped by *BudgetError.
	ErrBudgetExhausted = errors.New("pipedrive: daily token budget exhausted")
	// ErrOutcomeUnknown is wrapped by *OutcomeUnknownError.
	ErrOutcomeUnknown = errors.New("pipedrive: outcome of write unknown")
)

// APIError is an answer of Pipedrive with success=false or a non-2xx status.
type APIError struct {
	Status   int    // HTTP status
	Message  string // "error" of the envelope (or a summary of a non-JSON body)
	Info     string // "error_info" of the envelope
	Code     string // "code" (v2, feature capping) or "errorCode" of the envelope
	Endpoint string // "METHOD /api/v2/persons/{id}": the template, never the query
	HTML     bool   // the body was HTML (an edge/proxy page, not Pipedrive's JSON)
}

// Error describes the failure without any secret.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "pipedrive: %s: status %d", e.Endpoint, e.Status)
	switch e.Status {
	case 401:
		b.WriteString(": the API token was rejected (check PIPEDRIVE_API_TOKEN and the company domain)")
	case 402:
		b.WriteString(": the company account is not open (trial expired or unpaid)")
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code != "" {
		b.WriteString(" (code " + e.Code + ")")
	}
	return b.String()
}

// Is lets errors.Is match the sentinel of the status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == 404 || e.Status == 410
	case ErrUnauthorized:
		return e.Status == 401
	case ErrRateLimited:
		return e.Status == 429
	case ErrBlocked:
		return e.Status == 403 && e.HTML
	}
	return false
}

// BudgetError says a call was not made (or was refused by Pipedrive) because the daily token
// budget is spent. Reset is when the budget is expected back.
type BudgetError struct {
	Endpoint  string    // the call that was refused
	Cost      int       // its token cost
	Remaining int64     // tokens left when it was refused
	Reset     time.Time // next UTC midnight unless the server said otherwise
}

// Error names the endpoint, cost and reset time.
func (e *BudgetError) Error() string {
	return fmt.Sprintf("pipedrive: %s: daily token budget exhausted (cost %d, %d left); resets at %s",
		e.Endpoint, e.Cost, e.Remaining, e.Reset.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrBudgetExhausted.
func (e *BudgetError) Unwrap() error { return ErrBudgetExhausted }

// OutcomeUnknownError says a write (POST) may or may not have been applied: its response was
// lost or was a 5xx. It is never re-sent automatically; look the record up first.
type OutcomeUnknownError struct {
	Endpoint string
	Status   int   // 0 when no response arrived
	Err      error // the transport error or *APIError
}

// Error explains what happened and what to do.
func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("pipedrive: %s: outcome unknown, not re-sent (look the record up before retrying): %v", e.Endpoint, e.Err)
}

// Unwrap returns ErrOutcomeUnknown and the cause.
func (e *OutcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.Err} }

// envelope is the part of Pipedrive's answer that carries an error.
type envelope struct {
	Success   *bool           `json:"success"`
	Error     json.RawMessage `json:"error"`
	ErrorInfo json.RawMessage `json:"error_info"`
	Code      json.RawMessage `json:"code"`
	ErrorCode json.RawMessage `json:"errorCode"`
}

// parseError builds an *APIError from a failed answer's status and body. It accepts any body:
// Pipedrive's JSON envelope, HTML pages from an edge, or garbage.
func parseError(endpoint string, status int, contentType string, body []byte) *APIError {
	e := &APIError{Status: status, Endpoint: endpoint}
	trimmed := strings.TrimSpace(string(body))
	if strings.Contains(contentType, "html") || strings.HasPrefix(trimmed, "<") {
		e.HTML = true
		e.Message = "HTML page instead of JSON (" + htmlTitle(trimmed) + ")"
		return e
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		e.Message = summarize(trimmed)
		return e
	}
	e.Message = scalar(env.Error)
	e.Info = scalar(env.ErrorInfo)
	e.Code = scalar(env.Code)
	if e.Code == "" {
		e.Code = scalar(env.ErrorCode)
	}
	if e.Message == "" && e.Info == "" {
		e.Message = summarize(trimmed)
	}
	return e
}

// scalar renders a JSON string, number or other value as text.
func scalar(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return summarize(s)
	}
	return summarize(string(raw))
}

func summarize(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

func htmlTitle(page string) string {
	lower := asciiLower(page) // same byte offsets as page
	i := strings.Index(lower, "<title>")
	j := strings.Index(lower, "</title>")
	if i < 0 || j <= i+7 {
		return "no title"
	}
	return summarize(page[i+7 : j])
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// ErrUnreachable is wrapped by *UnreachableError: no connection to Pipedrive could be made.
var ErrUnreachable = errors.New("pipedrive: unreachable")

// UnreachableError says that the host could not be reached: a name that does not resolve, a
// refused or timed-out connection, or a TLS handshake that failed. It is returned within
// seconds (a few quick retries for refused connections and timeouts, none for DNS and TLS).
type UnreachableError struct {
	Host     string
	Attempts int
	Err      error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("pipedrive: cannot reach %s (%d attempt(s)): %v; check PIPEDRIVE_COMPANY_DOMAIN or PIPEDRIVE_BASE_URL and the network",
		e.Host, e.Attempts, e.Err)
}

func (e *UnreachableError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }
