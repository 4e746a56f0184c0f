package klipy_test

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"ferry/internal/klipy"
	"ferry/internal/klipy/sandbox"
	"ferry/internal/source"
	"ferry/internal/store"
)

// memSource is a small hand-made dataset; it satisfies sandbox.Source as *gen.Dataset does.
type memSource map[source.Kind][]source.Record

func (m memSource) Each(kind source.Kind, fn func(source.Record) error) error {
	for _, r := range m[kind] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// synthetic builds people, companies and interactions with the messes the client must
// survive: people without a company, interactions naming two companies or a company Klipy no
// longer knows, a company nobody refers to (unreachable through the API), HTML and quotes.
func synthetic(people, companies int) memSource {
	m := memSource{}
	for c := range companies {
		m[source.Company] = append(m[source.Company], rec(source.Company, fmt.Sprintf("cmp_%03d", c), map[string]string{
			"name": fmt.Sprintf("Acme %d GmbH", c), "domain": fmt.Sprintf("acme%d.de", c), "industry": "Software",
			"employee_count": fmt.Sprint(10 + c), "city": "Köln", "country": "DE", "website": "https://acme.de",
			"linkedin_url": "https://www.linkedin.com/company/acme", "created_at": "2023-01-02T03:04:05Z"}))
	}
	for p := range people {
		f := map[string]string{"first_name": "Zoë", "last_name": fmt.Sprintf("O'Brien %d", p),
			"email": fmt.Sprintf("zoe%d@example.com", p), "title": "CTO", "phone": "+49 221 123456",
			"linkedin_url": "linkedin.com/in/zoe", "created_at": "2022-05-06T07:08:09Z", "updated_at": "2024-01-01T00:00:00Z"}
		if p%5 != 0 { // every fifth person has no company
			f["company_id"] = fmt.Sprintf("cmp_%03d", p%(companies-1)) // the last company is unreferenced
		}
		m[source.Person] = append(m[source.Person], rec(source.Person, fmt.Sprintf("per_%04d", p), f))
		for j := range p % 4 {
			g := map[string]string{"type": source.InteractionTypes[(p+j)%len(source.InteractionTypes)],
				"channel": "email", "direction": "INBOUND", "title": "Re: \"pricing\"",
				"summary": "<p>Discussed <b>pricing</b> &amp; terms</p>", "interaction_date": "2024-03-04T05:06:07Z",
				"created_at": "2024-03-04T06:00:00Z", "person_ids": fmt.Sprintf("per_%04d", p), "created_by": "usr_1"}
			switch j {
			case 1:
				g["company_ids"] = source.JoinList([]string{fmt.Sprintf("cmp_%03d", (p+1)%(companies-1)), fmt.Sprintf("cmp_%03d", (p+2)%(companies-1))})
			case 2:
				g["company_ids"] = "cmp_gone" // deleted in Klipy: GET answers 404
				g["person_ids"] = source.JoinList([]string{fmt.Sprintf("per_%04d", p), "per_0000"})
			}
			m[source.Interaction] = append(m[source.Interaction], rec(source.Interaction, fmt.Sprintf("int_%04d_%d", p, j), g))
		}
	}
	return m
}

func rec(kind source.Kind, id string, f map[string]string) source.Record {
	f = maps.Clone(f)
	f["id"] = id
	return source.Record{Kind: kind, ID: id, Channel: source.API, Fields: f}
}

// apiFields lists the canonical fields the Klipy API carries per kind (see objects.go).
var apiFields = map[source.Kind][]string{
	source.Person: {"id", "first_name", "last_name", "email", "phone", "title", "company_id",
		"linkedin_url", "created_at", "updated_at"},
	source.Company: {"id", "name", "domain", "website", "industry", "employee_count", "city",
		"country", "linkedin_url", "created_at"},
	source.Interaction: {"id", "type", "channel", "direction", "title", "summary", "interaction_date",
		"created_at", "person_ids", "company_ids", "created_by"},
}

// project keeps the non-empty fields the API carries.
func project(r source.Record) map[string]string {
	out := map[string]string{}
	for _, k := range apiFields[r.Kind] {
		if v := r.Fields[k]; v != "" {
			out[k] = v
		}
	}
	return out
}

// serve starts a sandbox for src and returns it with its base URL and a key with scopes.
func serve(t testing.TB, api string, src sandbox.Source, mod func(*sandbox.Options), scopes ...string) (*sandbox.Server, string, string) {
	t.Helper()
	key := sandbox.NewKey(api)
	opts := sandbox.Options{API: api, Source: src, Keys: []sandbox.Key{{Value: key, Scopes: scopes}}}
	if mod != nil {
		mod(&opts)
	}
	s := sandbox.New(opts)
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL + "/api/v1", key
}

func newClient(t testing.TB, cfg klipy.Config) *klipy.Client {
	t.Helper()
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = -1
	}
	c, err := klipy.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// memStore is an in-memory CursorStore and record store (upsert by kind and id) that
// counts emissions; failAt makes the n-th operation (emit or PutCursor, from 1) fail as a
// crash would.
type memStore struct {
	mu      sync.Mutex
	cursors map[string]string
	records map[string]source.Record
	emitted int             // records handed to emit, re-emissions included
	seen    map[string]bool // keys emitted since newMemStore or forget
	ops     int
	failAt  int
}

var errCrash = fmt.Errorf("simulated crash")

func newMemStore() *memStore {
	return &memStore{cursors: map[string]string{}, records: map[string]source.Record{}, seen: map[string]bool{}}
}

// clone copies the store's cursors and records into a new store with fresh counters.
func (m *memStore) clone() *memStore {
	c := newMemStore()
	maps.Copy(c.cursors, m.cursors)
	maps.Copy(c.records, m.records)
	return c
}

func (m *memStore) op() error {
	m.ops++
	if m.ops == m.failAt {
		return errCrash
	}
	return nil
}

func (m *memStore) PutCursor(_ context.Context, name, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.op(); err != nil {
		return err
	}
	m.cursors[name] = value
	return nil
}

func (m *memStore) GetCursor(_ context.Context, name string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.cursors[name]
	if !ok {
		return "", fmt.Errorf("cursor %s: %w", name, store.ErrNotFound)
	}
	return v, nil
}

func (m *memStore) emit(recs []source.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.op(); err != nil {
		return err
	}
	for _, r := range recs {
		m.records[string(r.Kind)+"/"+r.ID] = r
		m.seen[string(r.Kind)+"/"+r.ID] = true
	}
	m.emitted += len(recs)
	return nil
}

// want is what a complete extraction of src must hold: every person and interaction, and
// the companies referred to that exist, projected on the API's fields.
func want(src memSource) map[string]map[string]string {
	out := map[string]map[string]string{}
	refs := map[string]bool{}
	for _, k := range []source.Kind{source.Person, source.Interaction} {
		for _, r := range src[k] {
			out[string(k)+"/"+r.ID] = project(r)
			refs[r.Fields["company_id"]] = true
			for _, id := range source.List(r.Fields["company_ids"]) {
				refs[id] = true
			}
		}
	}
	for _, r := range src[source.Company] {
		if refs[r.ID] {
			out["company/"+r.ID] = project(r)
		}
	}
	return out
}

func got(m *memStore) map[string]map[string]string {
	out := map[string]map[string]string{}
	for k, r := range m.records {
		out[k] = r.Fields
	}
	return out
}

// fakeClock is a Clock whose Sleep advances time at once; the sandbox reads the same time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.mu.Lock()
		c.now = c.now.Add(d)
		c.mu.Unlock()
	}
	return ctx.Err()
}

func mustNotContain(t *testing.T, what, s, secret string) {
	t.Helper()
	if strings.Contains(s, secret) {
		t.Errorf("%s shows the API key: %s", what, s)
	}
}
