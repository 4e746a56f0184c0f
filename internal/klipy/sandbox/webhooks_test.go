package sandbox

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/klipy/webhook"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

const testSecret = "whsec_c2FuZGJveC13ZWJob29rLWtleS1mb3ItdGVzdHM="

// clock is a settable clock shared by sender and receiver.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// advance moves the clock to t unless it is past t already (a held-back event goes out late,
// not back in time).
func (c *clock) advance(t time.Time) {
	c.mu.Lock()
	if t.After(c.t) {
		c.t = t
	}
	c.mu.Unlock()
}

// receiver is an httptest server running webhook.Handler on a SQLite state store. Every
// third request for a new, genuine svix-id first gets a 503 when flaky, so the sender has to
// retry.
type receiver struct {
	srv     *httptest.Server
	st      *sqlite.Store
	results []webhook.Result
	mu      sync.Mutex
	flaked  map[string]bool
	reqs    atomic.Int64
}

func newReceiver(t *testing.T, now func() time.Time, flaky bool) *receiver {
	t.Helper()
	return newReceiverSecret(t, now, flaky, testSecret)
}

// newReceiverWith is a receiver verifying with secret, never flaky.
func newReceiverWith(t *testing.T, now func() time.Time, secret string) *receiver {
	t.Helper()
	return newReceiverSecret(t, now, false, secret)
}

func newReceiverSecret(t *testing.T, now func() time.Time, flaky bool, secret string) *receiver {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rc := &receiver{st: st, flaked: map[string]bool{}}
	h, err := webhook.NewHandler(secret, st, webhook.HandlerOptions{Now: now,
		OnResult: func(r webhook.Result) { rc.mu.Lock(); rc.results = append(rc.results, r); rc.mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := rc.reqs.Add(1)
		id := r.Header.Get(webhook.HeaderID)
		rc.mu.Lock()
		flake := flaky && n%3 == 0 && !rc.flaked[id] && !strings.HasPrefix(id, "msg_forged")
		rc.flaked[id] = true
		rc.mu.Unlock()
		if flake {
			http.Error(w, "try later", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// staleRejections counts genuine deliveries refused for their timestamp.
func (rc *receiver) staleRejections() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for _, r := range rc.results {
		if r.Outcome == webhook.Rejected && !strings.HasPrefix(r.ID, "msg_forged") && strings.Contains(r.Reason, "stale") {
			n++
		}
	}
	return n
}

func (rc *receiver) outcomes() map[webhook.Outcome]int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	m := map[webhook.Outcome]int{}
	for _, r := range rc.results {
		m[r.Outcome]++
	}
	return m
}

// TestSendEventsEndToEnd: sender → Handler → SQLite store → Fold gives the generator's live
// deals, with retries, a redelivery and forged deliveries along the way.
func TestSendEventsEndToEnd(t *testing.T) {
	ds := gen.New(gen.Config{People: 600, Seed: 7})
	events, err := DealEvents(ds)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		addTime  bool
		realTime bool
	}{
		// As a live Klipy does it: each event sent when it happens (a simulated clock).
		{name: "sent as they happen"},
		// A replay now, as Klipy sends it: no time in the payload; the order comes from the
		// Svix message ids, which carry when each event happened.
		{name: "replayed, times only in message ids", realTime: true},
		// A replay now with the undocumented data.occurred_at added (tolerated, not needed).
		{name: "replayed with occurred_at", addTime: true, realTime: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{}
			now := clk.now
			if tt.realTime {
				now = time.Now
			}
			rc := newReceiver(t, now, true)
			opts := SendOptions{Now: now, Compress: 5000, AddEventTime: tt.addTime, Late: 5,
				Redeliver: 2, Forge: 3, BeforeDeliver: func(e WebhookEvent) { clk.advance(e.Time) }}
			stats, err := SendEvents(context.Background(), events, rc.srv.URL, testSecret, opts)
			if err != nil {
				t.Fatalf("SendEvents: %v (stats %+v)", err, stats)
			}
			n := len(events)
			want := SendStats{Events: n, Delivered: n, Retries: stats.Retries, Redelivered: 2, ForgedRefused: 3}
			if diff := gocmp.Diff(want, stats); diff != "" || stats.Retries == 0 {
				t.Errorf("stats (-want +got):\n%s (retries %d, want > 0)", diff, stats.Retries)
			}
			// On the simulated clock an in-flight retry may find the clock hours ahead (the
			// next events moved it) and be refused as stale; Svix retries it and it is stored.
			out := rc.outcomes()
			out[webhook.Rejected] -= rc.staleRejections()
			wantOut := map[webhook.Outcome]int{webhook.Stored: n, webhook.Duplicate: 2, webhook.Rejected: 3}
			if diff := gocmp.Diff(wantOut, out); diff != "" {
				t.Errorf("receiver outcomes (-want +got):\n%s", diff)
			}
			if late := rc.outOfOrder(t, events); late == 0 {
				t.Errorf("every event arrived in event order; retries and held-back events should arrive late")
			}
			recs, rep, err := webhook.Fold(context.Background(), rc.st)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Events != n || rep.Folded != n {
				t.Errorf("fold report %+v, want %d events all folded", rep, n)
			}
			if got, want := len(recs), ds.Key().Distinct.LiveDeals; got != want {
				t.Errorf("folded %d deals, the key says %d live deals", got, want)
			}
			if diff := gocmp.Diff(liveDeals(events), project(recs)); diff != "" {
				t.Errorf("deals (-generator +folded):\n%s", diff)
			}
		})
	}
}

// compared are the fields checked against the generator's truth.
var compared = []string{"id", "name", "pipeline", "stage", "status", "created_at", "closed_at",
	"stage_history", webhook.FieldPersonEmail}

func project(recs []source.Record) []map[string]string {
	var out []map[string]string
	for _, r := range recs {
		m := map[string]string{}
		for _, f := range compared {
			if v := r.Fields[f]; v != "" {
				m[f] = v
			}
		}
		out = append(out, m)
	}
	return out
}

// liveDeals derives each live deal's truth straight from the generator's events (their Time,
// not anything that went over the wire): the stage path, when each stage was entered, how it
// ended. deal.created names no stage, so a deal that never moved has no known stage.
func liveDeals(events []WebhookEvent) []map[string]string {
	byDeal := map[string][]WebhookEvent{}
	for _, e := range events {
		id := e.Data["deal_id"].(string)
		byDeal[id] = append(byDeal[id], e)
	}
	var out []map[string]string
	for id, evs := range byDeal {
		slices.SortStableFunc(evs, func(a, b WebhookEvent) int { return a.Time.Compare(b.Time) })
		out = append(out, liveDeal(id, evs))
	}
	slices.SortFunc(out, func(a, b map[string]string) int { return cmp.Compare(a["id"], b["id"]) })
	return out
}

func liveDeal(id string, evs []WebhookEvent) map[string]string {
	rfc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	m := map[string]string{"id": id, "status": "open"}
	var path []string
	for _, e := range evs {
		d := e.Data
		switch e.Type {
		case gen.EventDealCreated:
			m["name"], m["pipeline"], m["created_at"] = d["deal_name"].(string), d["pipeline"].(string), d["deal_creation_date"].(string)
			if email := d["point_of_contact"].(map[string]any)["email"].(string); email != "" {
				m[webhook.FieldPersonEmail] = email
			}
		case gen.EventDealMoved, gen.EventDealClosed:
			if len(path) == 0 {
				path = append(path, d["from"].(string)+"@"+m["created_at"])
			}
			stage, _ := d["to"].(string)
			if e.Type == gen.EventDealClosed {
				stage, m["status"], m["closed_at"] = "Closed Lost", "lost", rfc(e.Time)
				if d["won"].(bool) {
					stage, m["status"] = "Closed Won", "won"
				}
			}
			m["stage"] = stage
			path = append(path, stage+"@"+rfc(e.Time))
		}
	}
	if len(path) > 0 {
		m["stage_history"] = source.JoinList(path)
	}
	return m
}

func TestSendEventsGivesUp(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	evs := []WebhookEvent{{ID: "msg_1", Type: "deal.created", Data: map[string]any{"deal_id": "d"}}}
	var log strings.Builder
	opts := SendOptions{Attempts: 3, Compress: 5000,
		Log: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	stats, err := SendEvents(context.Background(), evs, srv.URL, testSecret, opts)
	if !errors.Is(err, ErrUndelivered) {
		t.Fatalf("err = %v, want ErrUndelivered", err)
	}
	if !strings.Contains(log.String(), "msg_1") || strings.Contains(log.String()+err.Error(), testSecret[len("whsec_"):]) {
		t.Errorf("log should name the failing delivery and never the secret:\n%s", log.String())
	}
	if want := (SendStats{Events: 1, Failed: 1, Retries: 2}); stats != want || hits.Load() != 3 {
		t.Errorf("stats %+v, %d requests; want %+v, 3", stats, hits.Load(), want)
	}
}

func TestSendEventsForgedAccepted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})) // accepts anything
	defer srv.Close()
	evs := []WebhookEvent{{ID: "msg_1", Type: "deal.created", Data: map[string]any{"deal_id": "d"}}}
	_, err := SendEvents(context.Background(), evs, srv.URL, testSecret, SendOptions{Forge: 1})
	if !errors.Is(err, ErrForgedAccepted) {
		t.Fatalf("err = %v, want ErrForgedAccepted", err)
	}
}

func TestSendEventsBadSecret(t *testing.T) {
	_, err := SendEvents(context.Background(), nil, "http://127.0.0.1:1", "whsec_%%%", SendOptions{})
	if !errors.Is(err, webhook.ErrBadSecret) {
		t.Fatalf("err = %v, want ErrBadSecret", err)
	}
	_, err = SendDealEvents(context.Background(), gen.New(gen.Config{People: 10}), "http://127.0.0.1:1", "", SendOptions{})
	if !errors.Is(err, webhook.ErrBadSecret) {
		t.Fatalf("SendDealEvents: err = %v, want ErrBadSecret", err)
	}
}

func TestSendEventsCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) }))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	evs := []WebhookEvent{{ID: "msg_1", Type: "x", Data: map[string]any{}}}
	_, err := SendEvents(ctx, evs, srv.URL, testSecret, SendOptions{Attempts: 100, Compress: 250})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's error", err)
	}
}

// TestServerRunSendsWebhooks: with a webhook URL, the sandbox's Run delivers the dataset's
// live deal events and one documented event of every other type, signed with the secret and
// the rotated-out one ("v1,<old> v1,<new>"), one redelivery and one forged delivery. The
// receiver knows only the new secret; a second receiver still on the old one accepts them too.
func TestServerRunSendsWebhooks(t *testing.T) {
	ds := gen.New(gen.Config{People: 300, Seed: 3})
	events, err := DealEvents(ds)
	if err != nil {
		t.Fatal(err)
	}
	others := DocumentedEvents(time.Now())
	rc := newReceiver(t, time.Now, false)
	s := New(Options{Source: ds, WebhookURL: rc.srv.URL, WebhookSecret: testSecret, WebhookOldSecret: oldSecret})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	want := map[webhook.Outcome]int{webhook.Stored: len(events) + len(others), webhook.Duplicate: 1, webhook.Rejected: 1}
	for deadline := time.Now().Add(10 * time.Second); !gocmp.Equal(want, rc.outcomes()) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if diff := gocmp.Diff(want, rc.outcomes()); diff != "" {
		t.Fatalf("receiver outcomes (-want +got):\n%s", diff)
	}
	recs, rep, err := webhook.Fold(context.Background(), rc.st)
	if err != nil {
		t.Fatal(err)
	}
	var deals []source.Record
	for _, r := range recs {
		if r.Kind == source.Deal {
			deals = append(deals, r)
		}
	}
	if diff := gocmp.Diff(liveDeals(events), project(deals)); diff != "" {
		t.Errorf("deals (-generator +folded):\n%s", diff)
	}
	if rep.Interactions != 1 || len(recs) != len(deals)+1 || len(rep.NotMigrated) != len(others)-1 {
		t.Errorf("fold report %+v: want the interaction.captured as one interaction and the other %d types not migrated",
			rep, len(others)-1)
	}
	for _, line := range rep.NotMigratedLines() {
		if !strings.HasPrefix(line, "not migrated: ") {
			t.Errorf("line %q", line)
		}
	}

	// The receiver still on the old secret accepts the same deliveries.
	oldRecv := newReceiverWith(t, time.Now, oldSecret)
	if _, err := SendEvents(context.Background(), events[:3], oldRecv.srv.URL, testSecret,
		SendOptions{RotatedSecret: oldSecret}); err != nil {
		t.Fatalf("receiver on the old secret: %v", err)
	}
}

const oldSecret = "whsec_b2xkLXNhbmRib3gtd2ViaG9vay1rZXktYmVmb3JlLXJvdGF0aW9u"

// outOfOrder counts the stored events that arrived after an event that happened later.
func (rc *receiver) outOfOrder(t *testing.T, events []WebhookEvent) int {
	t.Helper()
	at := map[string]time.Time{}
	for _, e := range events {
		at[svixID(e)] = e.Time
	}
	late := 0
	var latest time.Time
	err := rc.st.EachEvent(context.Background(), func(e store.Event) error {
		if t, ok := at[e.ID]; ok {
			if t.Before(latest) {
				late++
			}
			if t.After(latest) {
				latest = t
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return late
}

func TestServerRunWithoutWebhookURL(t *testing.T) {
	s := New(Options{Source: gen.New(gen.Config{People: 20, Seed: 1})})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := s.Run(ctx); err != nil {
		t.Fatalf("Run = %v, want nil when no webhook URL is set", err)
	}
}
