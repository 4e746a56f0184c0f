package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"ferry/internal/store"
)

// MaxBody is the default limit on a delivery body (Klipy's deal events are a few KB).
const MaxBody = 1 << 20

// EventStore is the part of store.Store the Handler needs.
type EventStore interface {
	// PutEvent stores an event once; it reports false when the id was already stored.
	PutEvent(ctx context.Context, e store.Event) (bool, error)
}

// Outcome is what the Handler did with one delivery.
type Outcome string

// Outcomes.
const (
	Stored    Outcome = "stored"    // new event, stored; 200
	Duplicate Outcome = "duplicate" // svix-id already stored; 200 so Svix stops retrying
	Rejected  Outcome = "rejected"  // not verified or not an envelope; 4xx, nothing stored
	Failed    Outcome = "failed"    // the store failed; 500 so Svix retries
)

// Result describes one delivery. It never holds the secret.
type Result struct {
	Outcome Outcome `json:"outcome"`
	Status  int     `json:"status"`
	ID      string  `json:"id,omitempty"` // svix-id, when the request had one
	Type    string  `json:"type,omitempty"`
	Reason  string  `json:"reason,omitempty"` // why rejected or failed
}

// HandlerOptions tune a Handler; zero values take defaults.
type HandlerOptions struct {
	Now      func() time.Time // clock for the timestamp check (default time.Now)
	MaxBody  int64            // body limit in bytes (default MaxBody)
	Log      *slog.Logger     // default: discard
	OnResult func(Result)     // called once per request, after the response status is chosen
}

// Handler receives Klipy's Svix deliveries: POST only; the body is read up to the limit,
// verified, parsed and stored once by svix-id. Statuses:
//
//	200  stored, or a duplicate of a stored svix-id (Svix stops retrying on any 2xx)
//	400  missing/malformed svix headers, stale timestamp, bad signature (Svix's own receiving
//	     guides answer 400 to every verification failure), or a verified body that is not an
//	     envelope; Svix retries it, and the retry is rejected the same way
//	405  not a POST
//	413  body over the limit
//	500  the store failed; Svix retries later
type Handler struct {
	v    *Verifier
	st   EventStore
	opts HandlerOptions
}

// NewHandler returns a Handler verifying with secret and storing into st. The error wraps
// ErrBadSecret.
func NewHandler(secret string, st EventStore, opts HandlerOptions) (*Handler, error) {
	v, err := NewVerifier(secret)
	if err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = MaxBody
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Handler{v: v, st: st, opts: opts}, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	res := h.handle(w, r)
	h.opts.Log.Info("webhook delivery", "outcome", res.Outcome, "status", res.Status,
		"id", res.ID, "type", res.Type, "reason", res.Reason)
	if h.opts.OnResult != nil {
		h.opts.OnResult(res)
	}
	if res.Outcome == Failed {
		res.Reason = "internal error; retry later" // store details stay in the local log
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(res.Status)
	json.NewEncoder(w).Encode(res)
}

// printable makes an unverified header value safe to print: at most 100 runes, control and
// non-printable characters escaped.
func printable(s string) string {
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100]) + "…"
	}
	q := strconv.Quote(s)
	if q[1:len(q)-1] == s {
		return s
	}
	return q
}

// handle decides the result of one request.
func (h *Handler) handle(w http.ResponseWriter, r *http.Request) Result {
	rawID := header(r.Header, HeaderID)
	id := printable(rawID)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return Result{Outcome: Rejected, Status: http.StatusMethodNotAllowed, ID: id, Reason: "method " + r.Method}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return Result{Outcome: Rejected, Status: http.StatusRequestEntityTooLarge, ID: id,
				Reason: fmt.Sprintf("body over %d bytes", h.opts.MaxBody)}
		}
		return Result{Outcome: Rejected, Status: http.StatusBadRequest, ID: id, Reason: "read body: " + err.Error()}
	}
	received := h.opts.Now()
	if err := h.v.Verify(r.Header, body, received); err != nil {
		return Result{Outcome: Rejected, Status: http.StatusBadRequest, ID: id, Reason: err.Error()}
	}
	ev, err := ParseEvent(body)
	if err != nil {
		return Result{Outcome: Rejected, Status: http.StatusBadRequest, ID: id, Reason: err.Error()}
	}
	inserted, err := h.st.PutEvent(r.Context(), store.Event{ID: rawID, Type: ev.Type, Payload: body, ReceivedAt: received.UTC()})
	switch {
	case err != nil:
		return Result{Outcome: Failed, Status: http.StatusInternalServerError, ID: id, Type: ev.Type, Reason: "store: " + err.Error()}
	case !inserted:
		return Result{Outcome: Duplicate, Status: http.StatusOK, ID: id, Type: ev.Type}
	}
	return Result{Outcome: Stored, Status: http.StatusOK, ID: id, Type: ev.Type}
}
