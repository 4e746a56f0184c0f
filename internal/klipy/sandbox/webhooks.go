package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	clk "ferry/internal/clock"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"ferry/internal/gen"
	"ferry/internal/klipy/docs"
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

// SvixSchedule is Svix's retry schedule: after a failed attempt, the next comes 5 s, 5 min,
// 30 min, 2 h, 5 h, 10 h and 10 h later; after the eighth attempt the message fails
// (https://docs.svix.com/retries).
var SvixSchedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// SendOptions tune SendEvents; zero values take defaults.
type SendOptions struct {
	Client   *http.Client     // default: 10 s timeout
	Now      func() time.Time // clock of svix-timestamp (default time.Now)
	Attempts int              // tries per delivery (default 8: the first and Svix's seven retries)
	// Schedule is the wait before each retry (default SvixSchedule; its last wait repeats
	// when Attempts asks for more), divided by Compress (default 1, real time; 1000 turns
	// Svix's 10 h into 36 s).
	Schedule []time.Duration
	Compress float64

	// RotatedSecret, when set, is the endpoint's previous secret: every delivery is signed
	// with it as well, "v1,<old> v1,<new>", as Svix does while a secret rotation is under way.
	RotatedSecret string
	// Late holds back every Late-th event and delivers it after all the others: a late,
	// out-of-order delivery (Svix's retries make those too).
	Late int

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
// svix-id, svix-timestamp and svix-signature signed with secret ("whsec_…"). Events go out in
// order; one whose attempt fails is retried on opts.Schedule in the background while the
// others go on, so its retry arrives late and out of order, as with Svix. Then it redelivers
// opts.Redeliver events and sends opts.Forge badly signed ones. A failing event does not stop
// the others; the error wraps ErrUndelivered, ErrForgedAccepted, webhook.ErrBadSecret or the
// context's error.
func SendEvents(ctx context.Context, events []WebhookEvent, url, secret string, opts SendOptions) (SendStats, error) {
	s, err := newSender(url, secret, opts)
	if err != nil {
		return SendStats{}, err
	}
	st := &sendState{stats: SendStats{Events: len(events)}}
	var held []WebhookEvent
	for i, e := range events {
		if s.opts.Late > 0 && (i+1)%s.opts.Late == 0 {
			held = append(held, e)
			continue
		}
		s.first(ctx, e, st)
	}
	for _, e := range held {
		s.first(ctx, e, st)
	}
	st.wg.Wait()
	if err := ctx.Err(); err != nil {
		return st.get(), err
	}
	stats := st.get()
	if err := s.extras(ctx, events, &stats); err != nil {
		return stats, err
	}
	if stats.Failed > 0 {
		return stats, fmt.Errorf("%w: %d of %d after %d attempts each", ErrUndelivered, stats.Failed, stats.Events, s.opts.Attempts)
	}
	return stats, nil
}

// sendState is the shared progress of one SendEvents run.
type sendState struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	stats SendStats
}

func (st *sendState) add(f func(*SendStats)) {
	st.mu.Lock()
	f(&st.stats)
	st.mu.Unlock()
}

func (st *sendState) get() SendStats {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.stats
}

// first makes e's first attempt now; when it fails, the retries run in the background.
func (s *sender) first(ctx context.Context, e WebhookEvent, st *sendState) {
	if s.opts.BeforeDeliver != nil {
		s.opts.BeforeDeliver(e)
	}
	if ctx.Err() != nil {
		return
	}
	if s.attempt(ctx, e, 1) {
		st.add(func(x *SendStats) { x.Delivered++ })
		return
	}
	st.wg.Go(func() {
		ok, retries := s.retry(ctx, e)
		st.add(func(x *SendStats) {
			x.Retries += retries
			x.Delivered += b2i(ok)
			x.Failed += b2i(!ok && ctx.Err() == nil)
		})
	})
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
	old    *webhook.Verifier // the rotated-out secret, also signing (nil: none)
	forger *webhook.Verifier
	opts   SendOptions
}

func newSender(url, secret string, opts SendOptions) (*sender, error) {
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return nil, err
	}
	forger, _ := webhook.NewVerifier(forgedSecret)
	s := &sender{}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if len(opts.Schedule) == 0 {
		opts.Schedule = SvixSchedule
	}
	if opts.Attempts <= 0 {
		opts.Attempts = len(opts.Schedule) + 1
	}
	if opts.Compress <= 0 {
		opts.Compress = 1
	}
	if opts.RotatedSecret != "" {
		old, err := webhook.NewVerifier(opts.RotatedSecret)
		if err != nil {
			return nil, fmt.Errorf("rotated secret: %w", err)
		}
		s.old = old
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s.url, s.v, s.forger, s.opts = url, v, forger, opts
	return s, nil
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

// attempt posts e once and reports whether it arrived (2xx); failures are logged.
func (s *sender) attempt(ctx context.Context, e WebhookEvent, n int) bool {
	status, err := s.post(ctx, e, s.v)
	if err == nil && status/100 == 2 {
		return true
	}
	s.opts.Log.Warn("webhook delivery failed", "id", svixID(e), "event", e.ID, "type", e.Type, "attempt", n,
		"status", status, "error", err)
	return false
}

// wait is the pause before retry n (1-based) on the compressed schedule.
func (s *sender) wait(n int) time.Duration {
	d := s.opts.Schedule[min(n, len(s.opts.Schedule))-1]
	return time.Duration(float64(d) / s.opts.Compress)
}

// retry makes e's attempts after the first failed one, on the schedule, until one arrives or
// the attempts run out; it reports whether it arrived and how many retries it made.
func (s *sender) retry(ctx context.Context, e WebhookEvent) (bool, int) {
	retries := 0
	for n := 2; n <= s.opts.Attempts; n++ {
		if err := (clk.Real{}).Sleep(ctx, s.wait(n-1)); err != nil {
			return false, retries
		}
		retries++
		if s.attempt(ctx, e, n) {
			return true, retries
		}
	}
	return false, retries
}

// deliver tries one event now and then on the schedule, waiting for the outcome; it reports
// whether it arrived. The error is only the context's.
func (s *sender) deliver(ctx context.Context, e WebhookEvent, _ *webhook.Verifier, retries *int) (bool, error) {
	if s.attempt(ctx, e, 1) {
		return true, nil
	}
	ok, n := s.retry(ctx, e)
	*retries += n
	return ok, ctx.Err()
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
	sig := v.Sign(id, ts, body)
	if s.old != nil && v == s.v {
		sig = s.old.Sign(id, ts, body) + " " + sig // "v1,<old> v1,<new>": both during a rotation
	}
	req.Header.Set(webhook.HeaderSignature, sig)
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

// LiveEventSource gives live deal webhook events. The sandbox sends webhooks only when its Source is also one;
// *gen.Dataset is one.
type LiveEventSource interface {
	LiveDealEvents(fn func(gen.DealEvent) error) error
}

func init() { backgroundTasks = append(backgroundTasks, sendWebhooks) }

// DocumentedEvents returns one event of each documented type that is not a deal event
// (lead.captured, interaction.captured, booking.*, contact.job_changed, meeting.*), with the
// data of Klipy's own example (internal/klipy/docs), a minute apart from start.
func DocumentedEvents(start time.Time) []WebhookEvent {
	var out []WebhookEvent
	for _, ex := range docs.Webhooks() {
		if strings.HasPrefix(ex.Name, "deal.") {
			continue
		}
		at := start.Add(time.Duration(len(out)+1) * time.Minute)
		out = append(out, WebhookEvent{ID: "doc_" + ex.Name, Type: ex.Name, Time: at, Data: docs.WebhookData(ex.Name)})
	}
	return out
}

// sendWebhooks is the Server's background task: when Options.WebhookURL is set it delivers the
// source's live deal events there, then one documented event of every other type, signed with
// Options.WebhookSecret (and Options.WebhookOldSecret, as during a rotation), failed attempts
// retried on Svix's schedule compressed by Options.WebhookCompress, every
// Options.WebhookLate-th event held back and sent last; then it redelivers one and sends one
// forged delivery, as Svix and an attacker would. Without a URL, or a source without live
// events, it does nothing.
func sendWebhooks(ctx context.Context, s *Server) error {
	src, ok := s.opts.Source.(LiveEventSource)
	if s.opts.WebhookURL == "" || !ok {
		return nil
	}
	evs, err := DealEvents(src)
	if err != nil {
		return fmt.Errorf("live deal events: %w", err)
	}
	start := s.opts.Now()
	if len(evs) > 0 {
		start = evs[len(evs)-1].Time
	}
	evs = append(evs, DocumentedEvents(start)...)
	opts := SendOptions{Now: s.opts.Now, Compress: s.opts.WebhookCompress, RotatedSecret: s.opts.WebhookOldSecret,
		Late: s.opts.WebhookLate, Redeliver: 1, Forge: 1}
	if _, err := SendEvents(ctx, evs, s.opts.WebhookURL, s.opts.WebhookSecret, opts); err != nil {
		return fmt.Errorf("send webhooks to %s: %w", s.opts.WebhookURL, err)
	}
	return nil
}
