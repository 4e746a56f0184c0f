package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"ferry/internal/gen"
	"ferry/internal/klipy/webhook"
)

// Webhook sender errors.
var (
	// ErrUndelivered is wrapped when deliveries still failed after every attempt.
	ErrUndelivered = errors.New("webhook deliveries failed")
	// ErrForgedAccepted is wrapped when the receiver answered 2xx to a badly signed delivery.
	ErrForgedAccepted = errors.New("receiver accepted a badly signed delivery")
)

// WebhookEvent is one event the sender delivers: its Svix message id, type, when it happened
// and its data (the payload fields Klipy documents for the type).
type WebhookEvent struct {
	ID   string
	Type string
	Time time.Time
	Data map[string]any
}

// SendOptions tune SendEvents; zero values take defaults.
type SendOptions struct {
	Client   *http.Client     // default: 10 s timeout
	Now      func() time.Time // clock of svix-timestamp (default time.Now)
	Attempts int              // tries per delivery, like Svix's retry schedule (default 5)
	Backoff  time.Duration    // wait before the first retry, doubled after each (default 500 ms, capped at 30 s)

	// AddEventTime adds data.occurred_at (the event's time, RFC 3339). Klipy documents no such
	// field and does not send it; it is off by default and exists only to test that a receiver
	// tolerates it. The event's time travels, as with Svix, in the message id (see svixID).
	AddEventTime bool

	Redeliver int // after the run, deliver this many already-delivered events again (same svix-id)
	Forge     int // then send this many deliveries signed with a wrong key; each must be refused

	BeforeDeliver func(WebhookEvent) // called before each event's first attempt (pacing, test clocks)
	Log           *slog.Logger       // default: discard; never sees the secret
}

// SendStats counts what SendEvents did.
type SendStats struct {
	Events        int `json:"events"`         // events to deliver
	Delivered     int `json:"delivered"`      // answered 2xx
	Retries       int `json:"retries"`        // attempts after a failed one
	Failed        int `json:"failed"`         // still failing after every attempt
	Redelivered   int `json:"redelivered"`    // repeats answered 2xx
	ForgedRefused int `json:"forged_refused"` // badly signed deliveries refused (non-2xx)
}

// DealEvents returns the live deal webhook events of ds (a *gen.Dataset) in time order.
func DealEvents(ds LiveEventSource) ([]WebhookEvent, error) {
	var out []WebhookEvent
	err := ds.LiveDealEvents(func(e gen.DealEvent) error {
		out = append(out, WebhookEvent{ID: e.ID, Type: e.Type, Time: e.Time, Data: e.Data})
		return nil
	})
	return out, err
}

// SendDealEvents delivers the live deal events of ds (a *gen.Dataset) to url; see SendEvents.
func SendDealEvents(ctx context.Context, ds LiveEventSource, url, secret string, opts SendOptions) (SendStats, error) {
	evs, err := DealEvents(ds)
	if err != nil {
		return SendStats{}, fmt.Errorf("live deal events: %w", err)
	}
	return SendEvents(ctx, evs, url, secret, opts)
}

// SendEvents POSTs each event to url as Svix does: body {type, object:"event", data}, headers
// svix-id, svix-timestamp and svix-signature signed with secret ("whsec_…"), retried with
// exponential backoff until a 2xx or opts.Attempts. Then it redelivers opts.Redeliver events
// and sends opts.Forge badly signed ones. A failing event does not stop the others; the error
// wraps ErrUndelivered, ErrForgedAccepted, webhook.ErrBadSecret or the context's error.
func SendEvents(ctx context.Context, events []WebhookEvent, url, secret string, opts SendOptions) (SendStats, error) {
	s, err := newSender(url, secret, opts)
	if err != nil {
		return SendStats{}, err
	}
	st := SendStats{Events: len(events)}
	for _, e := range events {
		if s.opts.BeforeDeliver != nil {
			s.opts.BeforeDeliver(e)
		}
		ok, err := s.deliver(ctx, e, s.v, &st.Retries)
		if err != nil {
			return st, err
		}
		st.Delivered += b2i(ok)
		st.Failed += b2i(!ok)
	}
	if err := s.extras(ctx, events, &st); err != nil {
		return st, err
	}
	if st.Failed > 0 {
		return st, fmt.Errorf("%w: %d of %d after %d attempts each", ErrUndelivered, st.Failed, st.Events, s.opts.Attempts)
	}
	return st, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// forgedSecret signs the deliveries a receiver must refuse.
const forgedSecret = "whsec_Zm9yZ2VkLWtleS1ub3QtdGhlLWVuZHBvaW50cw=="

// sender holds one run's settings.
type sender struct {
	url    string
	v      *webhook.Verifier
	forger *webhook.Verifier
	opts   SendOptions
}

func newSender(url, secret string, opts SendOptions) (*sender, error) {
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return nil, err
	}
	forger, _ := webhook.NewVerifier(forgedSecret)
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &sender{url: url, v: v, forger: forger, opts: opts}, nil
}

// extras redelivers some events and sends the forged ones.
func (s *sender) extras(ctx context.Context, events []WebhookEvent, st *SendStats) error {
	for i := 0; i < s.opts.Redeliver && i < len(events); i++ {
		ok, err := s.deliver(ctx, events[i], s.v, &st.Retries)
		if err != nil {
			return err
		}
		st.Redelivered += b2i(ok)
	}
	for i := 0; i < s.opts.Forge && len(events) > 0; i++ {
		e := events[i%len(events)]
		e.ID = "msg_forged_" + strconv.Itoa(i)
		status, err := s.post(ctx, e, s.forger)
		if err != nil {
			return fmt.Errorf("forged delivery %s: %w", e.ID, err)
		}
		if status/100 == 2 {
			return fmt.Errorf("%w: %s answered %d", ErrForgedAccepted, e.ID, status)
		}
		st.ForgedRefused++
	}
	return nil
}

// deliver tries one event until a 2xx or the attempts run out; it reports whether it
// arrived. The error is only the context's.
func (s *sender) deliver(ctx context.Context, e WebhookEvent, v *webhook.Verifier, retries *int) (bool, error) {
	wait := s.opts.Backoff
	for attempt := 1; ; attempt++ {
		status, err := s.post(ctx, e, v)
		if err == nil && status/100 == 2 {
			return true, nil
		}
		s.opts.Log.Warn("webhook delivery failed", "id", e.ID, "type", e.Type, "attempt", attempt,
			"status", status, "error", err)
		if attempt >= s.opts.Attempts {
			return false, nil
		}
		if err := sleep(ctx, wait); err != nil {
			return false, err
		}
		*retries++
		wait = min(2*wait, 30*time.Second)
	}
}

// post sends one signed attempt and returns the status; the error is a transport one.
func (s *sender) post(ctx context.Context, e WebhookEvent, v *webhook.Verifier) (int, error) {
	body, err := s.body(e)
	if err != nil {
		return 0, err
	}
	ts := s.opts.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	id := svixID(e)
	if v == s.forger {
		id = e.ID // forged deliveries keep their telling msg_forged_… ids
	}
	req.Header.Set(webhook.HeaderID, id)
	req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(webhook.HeaderSignature, v.Sign(id, ts, body))
	resp, err := s.opts.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, nil
}

// svixID is the svix-id of e: like Svix's, "msg_" + a KSUID made when the event happened,
// the same for every attempt (its random part comes from e.ID).
func svixID(e WebhookEvent) string { return webhook.MessageIDFor(e.Time, e.ID) }

// wireData is the data Klipy documents for e's type: deal.contact_added carries only
// {deal_id, contact_id, association_type, supervisor_id} (https://klipy.ai/docs/webhooks/deal-contact-added),
// the others their data as given.
func wireData(e WebhookEvent) map[string]any {
	if e.Type != webhook.DealContactAdded {
		return e.Data
	}
	out := map[string]any{}
	for _, k := range []string{"deal_id", "contact_id", "association_type", "supervisor_id"} {
		if v, ok := e.Data[k]; ok {
			out[k] = v
		}
	}
	return out
}

// body encodes the envelope of e.
func (s *sender) body(e WebhookEvent) ([]byte, error) {
	data := wireData(e)
	if s.opts.AddEventTime {
		withTime := make(map[string]any, len(data)+1)
		for k, v := range data {
			withTime[k] = v
		}
		withTime["occurred_at"] = e.Time.UTC().Format(time.RFC3339)
		data = withTime
	}
	b, err := json.Marshal(map[string]any{"type": e.Type, "object": "event", "data": data})
	if err != nil {
		return nil, fmt.Errorf("encode webhook %s: %w", e.ID, err)
	}
	return b, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// LiveEventSource gives live deal webhook events. The sandbox sends webhooks only when its Source is also one;
// *gen.Dataset is one.
type LiveEventSource interface {
	LiveDealEvents(fn func(gen.DealEvent) error) error
}

func init() { backgroundTasks = append(backgroundTasks, sendWebhooks) }

// sendWebhooks is the Server's background task: when Options.WebhookURL is set it delivers the
// source's live deal events there once, signed with Options.WebhookSecret, their event times in
// their Svix message ids; then it redelivers one and sends one forged delivery, as Svix and
// an attacker would. Without a URL, or a source without live events, it does nothing.
func sendWebhooks(ctx context.Context, s *Server) error {
	src, ok := s.opts.Source.(LiveEventSource)
	if s.opts.WebhookURL == "" || !ok {
		return nil
	}
	evs, err := DealEvents(src)
	if err != nil {
		return fmt.Errorf("live deal events: %w", err)
	}
	opts := SendOptions{Now: s.opts.Now, Attempts: 8, Redeliver: 1, Forge: 1}
	if _, err := SendEvents(ctx, evs, s.opts.WebhookURL, s.opts.WebhookSecret, opts); err != nil {
		return fmt.Errorf("send webhooks to %s: %w", s.opts.WebhookURL, err)
	}
	return nil
}
