package spectest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Redacted replaces credentials in recorded headers and query strings.
const Redacted = "REDACTED"

// Exchange is one recorded request and its response (or transport error), with credentials
// redacted, and the outcome of validating both against the documents.
type Exchange struct {
	Method       string
	URL          string // path and query, api_token redacted
	Template     string // operation template, "" when no operation matched
	OperationID  string
	Cost         int         // the operation's x-token-cost; -1 when unknown
	Header       http.Header // request headers, credentials redacted
	RequestBody  []byte
	Status       int // 0 when the round trip failed
	ResponseBody []byte
	TransportErr error    // the round trip's own error (e.g. a lost response)
	Err          error    // validation failure of request or response; nil when valid
	Undeclared   []string // response properties the schema does not declare (valid, reported)
	Control      bool     // a /_sandbox/ request: recorded, not validated
}

// Recorder is an http.RoundTripper that forwards to Next, records every exchange and
// validates it against Specs. It is safe for concurrent use.
type Recorder struct {
	Specs *Specs
	Next  http.RoundTripper // http.DefaultTransport when nil

	mu        sync.Mutex
	exchanges []Exchange
}

// NewRecorder returns a Recorder validating against specs and forwarding to next.
func NewRecorder(specs *Specs, next http.RoundTripper) *Recorder {
	return &Recorder{Specs: specs, Next: next}
}

// RoundTrip forwards req, buffers both bodies, records and validates the exchange. The
// response reaches the caller unchanged; an error while reading the response body is
// recorded and handed on when the caller reads past the buffered bytes.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := readAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("spectest: read request body: %w", err)
	}
	out := req.Clone(req.Context())
	if req.Body != nil {
		out.Body = io.NopCloser(bytes.NewReader(reqBody))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	}
	ex := Exchange{Method: req.Method, URL: redactURL(req), Header: redactHeader(req.Header),
		RequestBody: reqBody, Control: isSandboxControl(req.URL.Path)}
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, rtErr := next.RoundTrip(out)
	if rtErr != nil {
		ex.TransportErr = rtErr
		r.record(req, ex)
		return nil, rtErr
	}
	respBody, readErr := readAll(resp.Body)
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{readErr}))
	ex.Status, ex.ResponseBody, ex.TransportErr = resp.StatusCode, respBody, readErr
	r.recordResponse(req, ex, resp.Header)
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

func readAll(rc io.ReadCloser) ([]byte, error) {
	if rc == nil || rc == http.NoBody {
		return nil, nil
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func (r *Recorder) record(req *http.Request, ex Exchange) { r.recordResponse(req, ex, nil) }

// recordResponse validates the request and, when a complete response arrived, the response.
func (r *Recorder) recordResponse(req *http.Request, ex Exchange, header http.Header) {
	if !ex.Control {
		ex.Err = r.validate(req, &ex, header)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exchanges = append(r.exchanges, ex)
}

func (r *Recorder) validate(req *http.Request, ex *Exchange, header http.Header) error {
	ex.Cost = -1
	m, err := r.Specs.Find(req.Method, req.URL)
	if err != nil {
		return err
	}
	ex.Template, ex.OperationID, ex.Cost = m.Template, m.OperationID(), m.TokenCost()
	var errs []error
	if err := r.Specs.validateRequest(m, req, ex.RequestBody); err != nil {
		errs = append(errs, fmt.Errorf("request: %w", err))
	}
	if ex.Status != 0 && ex.TransportErr == nil {
		if err := r.Specs.validateResponse(m, req, ex.Status, header, ex.ResponseBody); err != nil {
			errs = append(errs, fmt.Errorf("response %d: %w", ex.Status, err))
		}
		ex.Undeclared = undeclaredIn(m, ex.Status, header, ex.ResponseBody)
	}
	return errors.Join(errs...)
}

func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"X-Api-Token", "Authorization"} {
		if out.Get(k) != "" {
			out.Set(k, Redacted)
		}
	}
	return out
}

func redactURL(req *http.Request) string {
	u := *req.URL
	q := u.Query()
	if q.Has("api_token") {
		q.Set("api_token", Redacted)
		u.RawQuery = q.Encode()
	}
	return u.RequestURI()
}

// Exchanges returns a copy of everything recorded so far.
func (r *Recorder) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.exchanges...)
}

// Count returns the number of exchanges validated so far (sandbox control requests excluded).
func (r *Recorder) Count() int {
	n := 0
	for _, ex := range r.Exchanges() {
		if !ex.Control {
			n++
		}
	}
	return n
}

// Check fails tb for every exchange that did not validate, showing both bodies, and fails it
// when nothing was validated at all. It logs the number of validated exchanges with counts
// per operation.
func (r *Recorder) Check(tb testing.TB) {
	tb.Helper()
	counts := map[string]int{}
	n, bad := 0, 0
	for _, ex := range r.Exchanges() {
		if ex.Control {
			continue
		}
		n++
		counts[opKey(ex)]++
		if ex.Err != nil {
			bad++
			tb.Errorf("invalid exchange %s", ex.describe())
		}
	}
	if n == 0 {
		tb.Errorf("spectest: no exchange was recorded, nothing was validated")
	}
	tb.Logf("validated %d exchanges against the Pipedrive OpenAPI documents (%d invalid):\n%s",
		n, bad, formatCounts(counts))
	if und := r.Undeclared(); len(und) > 0 {
		tb.Logf("response properties the documents do not declare (valid; make sure nothing relies on them):\n%s", formatUndeclared(und))
	}
}

// Undeclared returns, per operation ("METHOD template"), the union of response properties
// its schema does not declare, sorted.
func (r *Recorder) Undeclared() map[string][]string {
	sets := map[string]map[string]bool{}
	for _, ex := range r.Exchanges() {
		for _, p := range ex.Undeclared {
			key := ex.Method + " " + ex.Template
			if sets[key] == nil {
				sets[key] = map[string]bool{}
			}
			sets[key][p] = true
		}
	}
	out := map[string][]string{}
	for key, set := range sets {
		out[key] = sortedKeys(set)
	}
	return out
}

func formatUndeclared(und map[string][]string) string {
	var b strings.Builder
	for _, key := range sortedKeys(und) {
		fmt.Fprintf(&b, "  %s: %s\n", key, strings.Join(und[key], " "))
	}
	return b.String()
}

func opKey(ex Exchange) string {
	if ex.Template == "" {
		return ex.Method + " (no operation) " + strings.SplitN(ex.URL, "?", 2)[0]
	}
	return ex.Method + " " + ex.Template + " (" + ex.OperationID + ")"
}

func formatCounts(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %5d  %s\n", counts[k], k)
	}
	return b.String()
}

// describe renders the exchange for a failure message, bodies cut to a readable length.
func (ex Exchange) describe() string {
	status := fmt.Sprint(ex.Status)
	if ex.TransportErr != nil {
		status += " (transport: " + ex.TransportErr.Error() + ")"
	}
	return fmt.Sprintf("%s %s -> %s\n  %v\n  request body:  %s\n  response body: %s",
		ex.Method, ex.URL, status, ex.Err, clip(ex.RequestBody), clip(ex.ResponseBody))
}

func clip(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + fmt.Sprintf("… (%d bytes)", len(b))
	}
	return string(b)
}
