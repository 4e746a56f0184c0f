package migrate

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan"
	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// handCase is a snapshot written by hand in testdata/NAME/records.json (not by the
// generator): the Pipedrive users of the destination, the records by kind (each with its
// "id"), and what the sandbox must hold afterwards (read by each test).
type handCase struct {
	About   string                              `json:"about"`
	Clock   time.Time                           `json:"clock"` // the run's clock, when the case sets one
	Users   []sandbox.User                      `json:"users"`
	Records map[source.Kind][]map[string]string `json:"records"`
	Expect  json.RawMessage                     `json:"expect"`
}

// handRun is a hand-written case taken through plan and run against a fresh sandbox, and
// what the sandbox's API answers afterwards.
type handRun struct {
	t      *testing.T
	dir    string
	c      handCase
	client *pipedrive.Client
	store  store.Store
	plan   *plan.Plan
	rep    Report
	admin  string           // the fallback owner: the token's user
	users  map[int64]string // user id → email
	back   readBack
}

// readBack is the sandbox's content, read through its API (list endpoints).
type readBack struct {
	persons, orgs map[int64]pipedrive.Entity
	deals         map[string]pipedrive.Entity // by title
	activities    map[string]pipedrive.Entity // by subject
	notes         []pipedrive.Entity
	files         map[string]pipedrive.Entity // by name
	pipelines     map[int64]string            // id → name
	stages        []pipedrive.Entity
}

// fixedClock is a clock stopped at one instant (sleeps return at once).
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time                                   { return c.t }
func (c fixedClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// runHandCase loads testdata/name, plans it against a fresh sandbox as ferry plan does
// (mapping, decisions with the token's user as fallback owner, dedupe), runs the engine with
// the proposed mapping at the clock's time now (the zero time: the case's clock), and reads
// the sandbox back.
func runHandCase(t *testing.T, name string, now time.Time) *handRun {
	t.Helper()
	ctx := context.Background()
	h := &handRun{t: t, dir: filepath.Join("testdata", name)}
	data, err := os.ReadFile(filepath.Join(h.dir, "records.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &h.c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if now.IsZero() {
		now = h.c.Clock
	}
	sb := sandbox.New(sandbox.Options{Seed: 1, Users: h.c.Users, Now: func() time.Time { return now }})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	h.client = newClient(t, srv.URL, sb.Token(), 0)
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h.store = st
	var recs []source.Record
	for kind, rows := range h.c.Records {
		for _, f := range rows {
			recs = append(recs, source.Record{Kind: kind, ID: f["id"], Fields: f})
		}
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	dest, err := plan.ReadDestination(ctx, h.client)
	if err != nil {
		t.Fatal(err)
	}
	me, err := h.client.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.admin = me.Email
	h.plan, err = plan.Build(ctx, st, dest, plan.Options{DefaultRegion: "US", FallbackOwner: me.Email})
	if err != nil {
		t.Fatal(err)
	}
	if open := h.plan.Decisions.Open(); len(open) > 0 {
		t.Fatalf("open decisions: %v", open)
	}
	e, err := New(Config{Client: h.client, Store: st, Decisions: h.plan.Decisions, Mapper: FileMapper{M: h.plan.Mapping},
		Merges: dedupeMerges(h.plan.Dedupe), Workers: 2, FilesRoot: h.dir, Clock: fixedClock{now}})
	if err != nil {
		t.Fatal(err)
	}
	h.rep, err = e.Run(ctx)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, p := range h.rep.Phases {
		t.Log(p)
	}
	h.read(ctx)
	return h
}

// dedupeMerges turns dedupe's clusters into the engine's merges (as ferry run does).
func dedupeMerges(res *dedupe.Result) []Merge {
	var out []Merge
	for _, c := range append(append([]dedupe.Cluster(nil), res.PersonClusters...), res.CompanyClusters...) {
		m := Merge{Kind: c.Kind, Survivor: c.Survivor}
		for _, id := range c.Members {
			if id != c.Survivor {
				m.Members = append(m.Members, id)
			}
		}
		out = append(out, m)
	}
	return out
}

// read lists what the sandbox holds through its API.
func (h *handRun) read(ctx context.Context) {
	h.back = readBack{persons: map[int64]pipedrive.Entity{}, orgs: map[int64]pipedrive.Entity{},
		deals: map[string]pipedrive.Entity{}, activities: map[string]pipedrive.Entity{},
		files: map[string]pipedrive.Entity{}, pipelines: map[int64]string{}}
	list := func(k pipedrive.Kind, fn func(pipedrive.Entity)) {
		err := h.client.List(ctx, k, pipedrive.ListOptions{}, func(es []pipedrive.Entity) error {
			for _, e := range es {
				fn(e)
			}
			return nil
		})
		if err != nil {
			h.t.Fatalf("list %s: %v", k, err)
		}
	}
	list(pipedrive.Persons, func(e pipedrive.Entity) { h.back.persons[e.ID()] = e })
	list(pipedrive.Organizations, func(e pipedrive.Entity) { h.back.orgs[e.ID()] = e })
	list(pipedrive.Deals, func(e pipedrive.Entity) { h.back.deals[e.String("title")] = e })
	list(pipedrive.Activities, func(e pipedrive.Entity) { h.back.activities[e.String("subject")] = e })
	each := func(what string, walk func(context.Context, pipedrive.ListOptions, func([]pipedrive.Entity) error) error, fn func(pipedrive.Entity)) {
		err := walk(ctx, pipedrive.ListOptions{}, func(es []pipedrive.Entity) error {
			for _, e := range es {
				fn(e)
			}
			return nil
		})
		if err != nil {
			h.t.Fatalf("list %s: %v", what, err)
		}
	}
	each("notes", h.client.Notes, func(e pipedrive.Entity) { h.back.notes = append(h.back.notes, e) })
	each("files", h.client.Files, func(e pipedrive.Entity) { h.back.files[e.String("name")] = e })
	pipes, err := h.client.Pipelines(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, p := range pipes {
		h.back.pipelines[p.ID()] = p.String("name")
	}
	if h.back.stages, err = h.client.Stages(ctx, 0); err != nil {
		h.t.Fatal(err)
	}
	users, err := h.client.Users(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	h.users = map[int64]string{}
	for _, u := range users {
		h.users[u.ID] = u.Email
	}
}

// personEmail is the primary email of a Pipedrive person id ("" for none).
func (h *handRun) personEmail(id int64) string {
	if id == 0 {
		return ""
	}
	p, ok := h.back.persons[id]
	if !ok {
		h.t.Errorf("person %d is linked but not listed", id)
		return "?"
	}
	emails, _ := p["emails"].([]any)
	for _, e := range emails {
		if m, _ := e.(map[string]any); m != nil {
			if v, _ := m["value"].(string); v != "" {
				return strings.ToLower(v)
			}
		}
	}
	return ""
}

// orgName is the name of a Pipedrive organization id ("" for none).
func (h *handRun) orgName(id int64) string {
	if id == 0 {
		return ""
	}
	o, ok := h.back.orgs[id]
	if !ok {
		h.t.Errorf("organization %d is linked but not listed", id)
		return "?"
	}
	return o.String("name")
}

// owner is the email of a user id, "ADMIN" for the token's user.
func (h *handRun) owner(id int64) string {
	if email := h.users[id]; email != h.admin {
		return email
	}
	return "ADMIN"
}

// participants lists the emails of an activity's participants, primary first.
func (h *handRun) participants(a pipedrive.Entity) []string {
	var out []string
	parts, _ := a["participants"].([]any)
	for _, p := range parts {
		m, _ := p.(map[string]any)
		id := pipedrive.Entity(m).Int("person_id")
		if m["primary"] == true {
			out = append([]string{h.personEmail(id)}, out...)
		} else {
			out = append(out, h.personEmail(id))
		}
	}
	return out
}

// state returns the id map's state and reason of a source record.
func (h *handRun) state(ctx context.Context, kind source.Kind, id string) (store.State, string) {
	m, err := h.store.GetMapping(ctx, kind, id)
	if err != nil {
		h.t.Fatalf("%s %s: %v", kind, id, err)
	}
	return m.State, m.Reason
}
