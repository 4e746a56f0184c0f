package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/store"
)

// newTestHandler returns a Handler on st at testNow that records every Result and logs to log.
func newTestHandler(t *testing.T, st EventStore, log *bytes.Buffer) (*Handler, *[]Result) {
	t.Helper()
	var results []Result
	opts := HandlerOptions{Now: func() time.Time { return testNow }, MaxBody: 4096,
		OnResult: func(r Result) { results = append(results, r) }}
	if log != nil {
		opts.Log = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	h, err := NewHandler(testSecret, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return h, &results
}

func TestHandlerStatuses(t *testing.T) {
	wrongKey := SecretPrefix + "b3RoZXIta2V5LW9mLWFub3RoZXItZW5kcG9pbnQ="
	good := signed(t, testSecret, "msg_a", testNow, movedBody)
	mod := func(d delivery, f func(http.Header)) http.Header { h := d.headers(); f(h); return h }
	tests := []struct {
		name    string
		d       delivery
		h       http.Header // nil: d's own headers
		status  int
		outcome Outcome
		reason  string
		stored  int
	}{
		{"valid", good, nil, 200, Stored, "", 1},
		{"unknown event type stored", signed(t, testSecret, "msg_u", testNow, `{"type":"lead.captured","object":"event","data":{"id":"x"}}`), nil, 200, Stored, "", 1},
		{"wrong secret", signed(t, wrongKey, "msg_a", testNow, movedBody), nil, 400, Rejected, "no matching signature", 0},
		{"altered body", delivery{id: good.id, ts: good.ts, sig: good.sig, body: []byte(strings.Replace(movedBody, "Proposal", "Won", 1))}, nil, 400, Rejected, "no matching signature", 0},
		{"altered id", good, mod(good, func(h http.Header) { h.Set(HeaderID, "msg_b") }), 400, Rejected, "no matching signature", 0},
		{"missing headers", good, http.Header{}, 400, Rejected, "missing svix-id", 0},
		{"malformed signature header", good, mod(good, func(h http.Header) { h.Set(HeaderSignature, "v1") }), 400, Rejected, "no matching signature", 0},
		{"malformed timestamp", good, mod(good, func(h http.Header) { h.Set(HeaderTimestamp, "12:00") }), 400, Rejected, "malformed svix header", 0},
		{"stale +6m", signed(t, testSecret, "msg_s", testNow.Add(-6*time.Minute), movedBody), nil, 400, Rejected, "stale timestamp", 0},
		{"future +6m", signed(t, testSecret, "msg_f", testNow.Add(6*time.Minute), movedBody), nil, 400, Rejected, "stale timestamp", 0},
		{"signed non-JSON", signed(t, testSecret, "msg_j", testNow, "hello"), nil, 400, Rejected, "not a JSON object", 0},
		{"signed envelope without type", signed(t, testSecret, "msg_t", testNow, `{"object":"event","data":{}}`), nil, 400, Rejected, `missing "type"`, 0},
		{"signed deal event without deal_id", signed(t, testSecret, "msg_d", testNow, `{"type":"deal.created","data":{}}`), nil, 400, Rejected, "without data.deal_id", 0},
		{"body over limit", signed(t, testSecret, "msg_l", testNow, `{"type":"x","data":{"p":"`+strings.Repeat("a", 5000)+`"}}`), nil, 413, Rejected, "body over 4096 bytes", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			h, results := newTestHandler(t, st, nil)
			hdr := tt.h
			if hdr == nil {
				hdr = tt.d.headers()
			}
			w := post(h, tt.d, hdr)
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d (body %s)", w.Code, tt.status, w.Body)
			}
			if len(*results) != 1 {
				t.Fatalf("got %d results, want 1", len(*results))
			}
			r := (*results)[0]
			if r.Outcome != tt.outcome || r.Status != tt.status || !strings.Contains(r.Reason, tt.reason) {
				t.Errorf("result = %+v, want outcome %s, reason containing %q", r, tt.outcome, tt.reason)
			}
			if st.count() != tt.stored {
				t.Errorf("stored %d events, want %d", st.count(), tt.stored)
			}
		})
	}
}

func TestHandlerMethod(t *testing.T) {
	h, _ := newTestHandler(t, newMemStore(), nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET: status %d, Allow %q; want 405, POST", w.Code, w.Header().Get("Allow"))
	}
}

// TestHandlerRetryStoredOnce delivers one message as Svix retries it: same svix-id, new
// timestamp and signature each attempt. It is stored once and every attempt gets a 2xx.
func TestHandlerRetryStoredOnce(t *testing.T) {
	st := newMemStore()
	h, results := newTestHandler(t, st, nil)
	for i := range 3 {
		d := signed(t, testSecret, "msg_retry", testNow.Add(-time.Duration(i)*time.Minute), movedBody)
		if w := post(h, d, d.headers()); w.Code != http.StatusOK {
			t.Fatalf("attempt %d: status %d", i, w.Code)
		}
	}
	var got []Outcome
	for _, r := range *results {
		got = append(got, r.Outcome)
	}
	if diff := cmp.Diff([]Outcome{Stored, Duplicate, Duplicate}, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if st.count() != 1 {
		t.Errorf("stored %d events, want 1", st.count())
	}
	var ev []string
	st.EachEvent(context.Background(), func(e store.Event) error { ev = append(ev, e.ID+" "+e.Type+" "+string(e.Payload)); return nil })
	if want := []string{"msg_retry deal.moved " + movedBody}; !cmp.Equal(want, ev) {
		t.Errorf("stored %q, want %q", ev, want)
	}
}

// TestHandlerStoreFailure answers 500 so Svix retries, and keeps the store's words out of
// the response.
func TestHandlerStoreFailure(t *testing.T) {
	st := newMemStore()
	st.fail = errStoreDown
	h, results := newTestHandler(t, st, nil)
	d := signed(t, testSecret, "msg_x", testNow, movedBody)
	w := post(h, d, d.headers())
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", w.Code)
	}
	if strings.Contains(w.Body.String(), "disk full") {
		t.Errorf("response %q leaks the store error", w.Body)
	}
	if r := (*results)[0]; r.Outcome != Failed || !strings.Contains(r.Reason, "disk full") {
		t.Errorf("result = %+v, want failed with the store error", r)
	}
	st.fail = nil
	if w := post(h, d, d.headers()); w.Code != http.StatusOK || st.count() != 1 {
		t.Errorf("retry after recovery: status %d, %d stored; want 200, 1", w.Code, st.count())
	}
}

// TestHandlerNeverRevealsSecret runs accepted and rejected deliveries with debug logging and
// looks for the secret (and its key in every encoding) in logs, responses and results.
func TestHandlerNeverRevealsSecret(t *testing.T) {
	var log bytes.Buffer
	h, results := newTestHandler(t, newMemStore(), &log)
	var out bytes.Buffer
	for _, d := range []delivery{
		signed(t, testSecret, "msg_1", testNow, movedBody),
		signed(t, testSecret, "msg_2", testNow.Add(-time.Hour), movedBody),
		signed(t, testSecret, "msg_3", testNow, "garbage"),
		{id: "msg_4", ts: testNow, body: []byte(movedBody), sig: "v1,AAAA"},
	} {
		out.Write(post(h, d, d.headers()).Body.Bytes())
	}
	b, _ := json.Marshal(*results)
	out.Write(b)
	out.WriteString(h.v.String())
	all := log.String() + out.String()
	for _, s := range []string{testSecret, strings.TrimPrefix(testSecret, SecretPrefix), string(testKey)} {
		if strings.Contains(all, s) {
			t.Fatalf("output reveals the secret:\n%s", all)
		}
	}
	if !strings.Contains(log.String(), "stale timestamp") {
		t.Errorf("log lacks the rejection reason:\n%s", log.String())
	}
}

func TestPrintable(t *testing.T) {
	tests := map[string]string{
		"msg_2abc":               "msg_2abc",
		"msg\x1b[31mred":         `"msg\x1b[31mred"`,
		strings.Repeat("a", 101): strings.Repeat("a", 100) + "…",
	}
	for in, want := range tests {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}
