package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
)

// newClient returns a client of e's sandbox whose HTTP transport is e's Recorder; adjust
// tunes its Config before New.
func (e *env) newClient(t *testing.T, adjust func(*pipedrive.Config)) *pipedrive.Client {
	t.Helper()
	cfg := pipedrive.Config{BaseURL: e.srv.URL, Token: testToken, HTTPClient: e.httpClient(),
		Plan: "growth", Timeout: 10 * time.Second}
	if adjust != nil {
		adjust(&cfg)
	}
	c, err := pipedrive.New(cfg)
	if err != nil {
		t.Fatalf("pipedrive.New: %v", err)
	}
	return c
}

// suite is shared state of TestClientConformance's subtests.
type suite struct {
	c   *pipedrive.Client
	ctx context.Context
	me  pipedrive.User
}

// TestClientConformance drives the client through every operation ferry uses against the
// sandbox, checks what comes back, and validates every exchange against the documents.
func TestClientConformance(t *testing.T) {
	e := newEnv(t, sandbox.Options{Seed: 11})
	s := &suite{c: e.newClient(t, nil), ctx: context.Background()}
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *suite)
	}{
		{"users", testUsers},
		{"persons", func(t *testing.T, s *suite) { testRecordKind(t, s, pipedrive.Persons, personBody) }},
		{"organizations", func(t *testing.T, s *suite) { testRecordKind(t, s, pipedrive.Organizations, orgBody) }},
		{"deals", func(t *testing.T, s *suite) { testRecordKind(t, s, pipedrive.Deals, dealBody) }},
		{"activities", func(t *testing.T, s *suite) { testRecordKind(t, s, pipedrive.Activities, activityBody) }},
		{"pipelines and stages", testPipelines},
		{"notes", testNotes},
		{"custom fields", testCustomFields},
		{"label options", testLabelOptions},
		{"files", testFiles},
		{"search", testSearch},
		{"activity types and lead labels", testV1Lookups},
		{"organization, deal and item search", testOtherSearches},
		{"file delete", testDeleteFile},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s) })
	}
	e.rec.Check(t)
}

func testUsers(t *testing.T, s *suite) {
	me, err := s.c.Me(s.ctx)
	if err != nil {
		t.Fatalf("Me: %v", err)
	}
	if me.ID == 0 || me.Email == "" || !me.IsYou {
		t.Errorf("Me = %+v, want an id, an email and is_you", me)
	}
	s.me = me
	users, err := s.c.Users(s.ctx)
	if err != nil || len(users) == 0 {
		t.Fatalf("Users = %v, %v", users, err)
	}
	u, found, err := s.c.FindUserByEmail(s.ctx, me.Email)
	if err != nil || !found || u.ID != me.ID {
		t.Errorf("FindUserByEmail(%q) = %+v, %v, %v; want user %d", me.Email, u, found, err, me.ID)
	}
	if _, found, err := s.c.FindUserByEmail(s.ctx, "nobody-"+me.Email); err != nil || found {
		t.Errorf("FindUserByEmail(unknown) = found %v, %v; want not found", found, err)
	}
}

// body builders give each kind a valid create body named n and an update body.
func personBody(s *suite, n string) (create, update pipedrive.Entity) {
	return pipedrive.Entity{"name": n, "emails": []map[string]any{{"value": n + "@example.com", "primary": true}}},
		pipedrive.Entity{"name": n + " (updated)"}
}

func orgBody(s *suite, n string) (create, update pipedrive.Entity) {
	return pipedrive.Entity{"name": n, "address": map[string]any{"value": "1 Main St"}}, pipedrive.Entity{"name": n + " (updated)"}
}

func dealBody(s *suite, n string) (create, update pipedrive.Entity) {
	return pipedrive.Entity{"title": n, "value": 100, "currency": "EUR"}, pipedrive.Entity{"title": n + " (updated)", "value": 250.5}
}

func activityBody(s *suite, n string) (create, update pipedrive.Entity) {
	return pipedrive.Entity{"subject": n, "type": "call", "due_date": "2026-02-03", "done": false},
		pipedrive.Entity{"subject": n + " (updated)", "done": true}
}

// nameKey is the property holding the name each kind was created with.
func nameKey(k pipedrive.Kind) string {
	switch k {
	case pipedrive.Deals:
		return "title"
	case pipedrive.Activities:
		return "subject"
	}
	return "name"
}

// testRecordKind creates 7 records, lists them 3 per page, reads, updates and deletes one.
func testRecordKind(t *testing.T, s *suite, k pipedrive.Kind, bodies func(*suite, string) (pipedrive.Entity, pipedrive.Entity)) {
	const n = 7
	ids := map[int64]string{}
	for i := range n {
		name := fmt.Sprintf("conf %s %d", k, i)
		body, _ := bodies(s, name)
		got, err := s.c.Create(s.ctx, k, body)
		if err != nil {
			t.Fatalf("Create %s: %v", k, err)
		}
		if got.ID() == 0 || got.String(nameKey(k)) != name {
			t.Fatalf("Create %s = %v, want an id and %s %q", k, got, nameKey(k), name)
		}
		ids[got.ID()] = name
	}
	seen, pages := map[int64]bool{}, 0
	err := s.c.List(s.ctx, k, pipedrive.ListOptions{PageSize: 3}, func(page []pipedrive.Entity) error {
		pages++
		for _, e := range page {
			if seen[e.ID()] {
				return fmt.Errorf("id %d listed twice", e.ID())
			}
			seen[e.ID()] = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("List %s: %v", k, err)
	}
	for id := range ids {
		if !seen[id] {
			t.Errorf("List %s: created id %d not listed", k, id)
		}
	}
	if pages < 3 {
		t.Errorf("List %s with page size 3 read %d pages for at least %d records", k, pages, n)
	}
	checkReadUpdateDelete(t, s, k, ids, bodies)
}

func checkReadUpdateDelete(t *testing.T, s *suite, k pipedrive.Kind, ids map[int64]string, bodies func(*suite, string) (pipedrive.Entity, pipedrive.Entity)) {
	var id int64
	for id = range ids {
		break
	}
	got, err := s.c.Get(s.ctx, k, id)
	if err != nil || got.ID() != id || got.String(nameKey(k)) != ids[id] {
		t.Fatalf("Get %s %d = %v, %v", k, id, got, err)
	}
	_, upd := bodies(s, ids[id])
	got, err = s.c.Update(s.ctx, k, id, upd)
	if err != nil || got.String(nameKey(k)) != upd.String(nameKey(k)) {
		t.Fatalf("Update %s %d = %v, %v; want %s %q", k, id, got, err, nameKey(k), upd.String(nameKey(k)))
	}
	if err := s.c.Delete(s.ctx, k, id); err != nil {
		t.Fatalf("Delete %s %d: %v", k, id, err)
	}
	got, err = s.c.Get(s.ctx, k, id)
	switch {
	case err == nil && got["is_deleted"] != true:
		t.Errorf("Get %s %d after delete = %v, want is_deleted or not found", k, id, got)
	case err != nil && !errors.Is(err, pipedrive.ErrNotFound):
		t.Errorf("Get %s %d after delete: %v, want is_deleted or not found", k, id, err)
	}
}

// TestRecorderSeesClientMistakes proves the suite's wiring is not vacuous: a spec-invalid
// request made through the client is recorded as invalid, and so is the sandbox's refusal
// when it is not Pipedrive's error envelope.
func TestRecorderSeesClientMistakes(t *testing.T) {
	e := newEnv(t, sandbox.Options{Seed: 12})
	tally.remove(e.rec)
	c := e.newClient(t, nil)
	_, err := c.Do(context.Background(), pipedrive.Request{Method: "POST", Path: "/api/v2/persons", JSON: map[string]any{"emails": "nope"}})
	if err == nil {
		t.Errorf("sandbox accepted emails:\"nope\" on POST /api/v2/persons")
	}
	exs := e.rec.Exchanges()
	if len(exs) != 1 || exs[0].Err == nil {
		t.Fatalf("exchanges = %+v, want one invalid exchange", exs)
	}
	t.Logf("recorded as invalid: %s", strings.SplitN(exs[0].Err.Error(), "\n", 2)[0])
}
