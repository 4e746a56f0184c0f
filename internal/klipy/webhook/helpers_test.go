package webhook

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"ferry/internal/store"
)

// testKey is the key behind testSecret.
var testKey = []byte("ferry-test-key-0123456789abcdef")

// testSecret is a Svix-style endpoint secret used across the tests.
var testSecret = SecretPrefix + base64.StdEncoding.EncodeToString(testKey)

// testNow is the clock of every test delivery.
var testNow = time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)

// memStore is an in-memory EventStore and EventWalker.
type memStore struct {
	mu     sync.Mutex
	events []store.Event
	ids    map[string]bool
	fail   error
}

func newMemStore() *memStore { return &memStore{ids: map[string]bool{}} }

func (m *memStore) PutEvent(_ context.Context, e store.Event) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	if m.ids[e.ID] {
		return false, nil
	}
	m.ids[e.ID] = true
	m.events = append(m.events, e)
	return true, nil
}

func (m *memStore) EachEvent(_ context.Context, fn func(store.Event) error) error {
	m.mu.Lock()
	evs := append([]store.Event(nil), m.events...)
	m.mu.Unlock()
	for _, e := range evs {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.events)
}

var errStoreDown = errors.New("disk full")

// delivery is one signed request's parts.
type delivery struct {
	id   string
	ts   time.Time
	body []byte
	sig  string
}

// signed returns a delivery of body signed with secret at ts.
func signed(t testing.TB, secret, id string, ts time.Time, body string) delivery {
	t.Helper()
	sig, err := Sign(secret, id, ts, []byte(body))
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return delivery{id: id, ts: ts, body: []byte(body), sig: sig}
}

// headers returns the svix headers of d.
func (d delivery) headers() http.Header {
	h := http.Header{}
	h.Set(HeaderID, d.id)
	h.Set(HeaderTimestamp, strconv.FormatInt(d.ts.Unix(), 10))
	h.Set(HeaderSignature, d.sig)
	return h
}

// post sends d to h and returns the recorded response.
func post(h http.Handler, d delivery, hdr http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/klipy/webhooks", bytes.NewReader(d.body))
	for k, v := range hdr {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const movedBody = `{"type":"deal.moved","object":"event","data":{"deal_id":"dl_1","deal_name":"Acme renewal",` +
	`"pipeline":"Q4 Pipeline","estimated_value":12000,"currency":"USD","from":"Opportunity","to":"Proposal",` +
	`"occurred_at":"2026-05-20T11:00:00Z"}}`
