package rollback

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// fixture is a sandbox that already held data, and a store whose migration merged into some
// of it.
type fixture struct {
	t      *testing.T
	sb     *sandbox.Server
	url    string
	store  store.Store
	dbPath string
	before view              // the sandbox before the migration
	rt     http.RoundTripper // the clients' transport; nil: the default
	policy string            // the merges' policy; "": fill_blanks
}

var kinds = []source.Kind{source.Owner, source.Company, source.Person, source.Deal, source.Interaction, source.Task, source.Note, source.Attachment}

// newFixture seeds pre-existing persons and organizations, snapshots the sandbox, then runs
// the real engine on a generated dataset, merging two persons and an organization into the
// pre-existing records.
func newFixture(t *testing.T, people int, seed int64) *fixture {
	t.Helper()
	return newFixtureWith(t, people, seed, &fixture{})
}

// newFixtureWith is newFixture with the transport and merge policy of f.
func newFixtureWith(t *testing.T, people int, seed int64, f *fixture) *fixture {
	t.Helper()
	ctx := context.Background()
	data := gen.New(gen.Config{People: people, Seed: seed, InteractionsMean: 2, AttachmentsPer100: 8})
	harvest := filepath.Join(t.TempDir(), "harvest")
	key, err := data.WriteHarvest(harvest)
	if err != nil {
		t.Fatal(err)
	}
	var users []sandbox.User
	for _, u := range data.PipedriveUsers() {
		users = append(users, sandbox.User{Name: u.Name, Email: u.Email})
	}
	f.t, f.sb = t, sandbox.New(sandbox.Options{Seed: seed, Users: users})
	srv := httptest.NewServer(f.sb)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	f.dbPath = filepath.Join(t.TempDir(), "state.db")
	st, err := sqlite.Open(f.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	for _, k := range kinds {
		var recs []source.Record
		if err := data.Each(k, func(r source.Record) error { recs = append(recs, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PutRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
	}
	merges := f.seedExisting(ctx, key)
	f.before = f.view()
	eng, err := migrate.New(migrate.Config{Client: f.client(), Store: st, Decisions: f.decisions(ctx), Mapper: testMapper(),
		Merges: merges, Workers: 4, FilesRoot: harvest})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := eng.Run(ctx)
	if err != nil {
		t.Fatalf("migration: %v", err)
	}
	merged := 0
	for _, p := range rep.Phases {
		merged += p.Merged
	}
	if merged == 0 {
		t.Fatalf("the migration merged nothing into the pre-existing records: %+v", rep.Phases)
	}
	return f
}

// seedExisting creates persons, organizations and an enum field before the migration (some
// with blanks the merge fills) and returns merges of generated records into three of them.
func (f *fixture) seedExisting(ctx context.Context, key gen.Key) []migrate.Merge {
	c := f.client()
	mk := func(k pipedrive.Kind, body pipedrive.Entity) int64 {
		e, err := c.Create(ctx, k, body)
		if err != nil {
			f.t.Fatalf("seed %s: %v", k, err)
		}
		return e.ID()
	}
	// An existing enum field the mapping also uses: the migration adds options to it.
	if _, err := c.CreateField(ctx, pipedrive.OrganizationFields, pipedrive.NewField{Name: "Segment", Type: "enum", Options: []string{"SMB"}}); err != nil {
		f.t.Fatalf("seed field: %v", err)
	}
	org := mk(pipedrive.Organizations, pipedrive.Entity{"name": "Existing Holdings"})
	mk(pipedrive.Organizations, pipedrive.Entity{"name": "Untouched Ltd"})
	p1 := mk(pipedrive.Persons, pipedrive.Entity{"name": "Existing Person One"})
	p2 := mk(pipedrive.Persons, pipedrive.Entity{"name": "Existing Person Two", "org_id": org,
		"emails": []map[string]any{{"value": "two@existing.example", "primary": true, "label": "work"}}})
	mk(pipedrive.Persons, pipedrive.Entity{"name": "Bystander"})
	var persons, companies []string
	for _, k := range []source.Kind{source.Person, source.Company} {
		_ = f.store.EachRecord(ctx, k, func(r source.Record) error {
			if k == source.Person {
				persons = append(persons, r.ID)
			} else {
				companies = append(companies, r.ID)
			}
			return nil
		})
	}
	inCluster := map[string]bool{}
	for _, cl := range append(append([][]string(nil), key.PersonClusters...), key.CompanyClusters...) {
		for _, id := range cl {
			inCluster[id] = true
		}
	}
	pick := func(ids []string, n int) []string {
		var out []string
		for _, id := range ids {
			if !inCluster[id] && len(out) < n {
				out = append(out, id)
			}
		}
		return out
	}
	ps, cs := pick(persons, 2), pick(companies, 1)
	if len(ps) < 2 || len(cs) < 1 {
		f.t.Fatalf("dataset too small to merge: %d persons, %d companies", len(persons), len(companies))
	}
	return []migrate.Merge{{Kind: source.Person, Survivor: ps[0], DestID: p1, Policy: f.policy},
		{Kind: source.Person, Survivor: ps[1], DestID: p2, Policy: f.policy},
		{Kind: source.Company, Survivor: cs[0], DestID: org, Policy: f.policy}}
}

func (f *fixture) decisions(ctx context.Context) decide.Decisions {
	c := f.client()
	dest, err := plan.ReadDestination(ctx, c)
	if err != nil {
		f.t.Fatal(err)
	}
	me, err := c.Me(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	sc, err := decide.ScanSnapshot(ctx, f.store)
	if err != nil {
		f.t.Fatal(err)
	}
	return decide.Propose(sc, dest.Decide, decide.Options{FallbackOwner: me.Email})
}

// client returns a fresh client of the sandbox with instant retries and no pacing.
func (f *fixture) client() *pipedrive.Client {
	cfg := pipedrive.Config{BaseURL: f.url, Token: f.sb.Token(), Burst: 400, SearchBurst: 400,
		Window: 20 * time.Millisecond, Retry: pipedrive.RetryPolicy{Instant: true, MaxAttempts: 12}}
	if f.rt != nil {
		cfg.HTTPClient = &http.Client{Transport: f.rt}
	}
	c, err := pipedrive.New(cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// testMapper carries enum fields and a varchar, so schema setup creates fields and options.
func testMapper() migrate.BasicMapper {
	return migrate.BasicMapper{Custom: []migrate.BasicCustom{
		{Kind: source.Person, Source: "custom.Lead Source", Spec: migrate.FieldSpec{Entity: pipedrive.PersonFields, Name: "Lead Source", Type: "enum",
			Options: []string{"Website", "Referral", "Trade Show", "Cold Outreach", "Partner"}}},
		{Kind: source.Person, Source: "custom.Nickname", Spec: migrate.FieldSpec{Entity: pipedrive.PersonFields, Name: "Nickname", Type: "varchar"}},
		{Kind: source.Company, Source: "custom.Segment", Spec: migrate.FieldSpec{Entity: pipedrive.OrganizationFields, Name: "Segment", Type: "enum",
			Options: []string{"SMB", "Mid-Market", "Enterprise"}}},
	}}
}

// view is an independent picture of the sandbox: every live (not deleted) item by
// collection and id, with its fields as the API renders them, except update_time (at any
// depth: options carry one), which any write and its undo move.
type view map[string]map[string]map[string]any

// view reads the sandbox's own snapshot, not ferry's journal.
func (f *fixture) view() view {
	s := f.sb.Snapshot()
	v := view{}
	add := func(coll string, items []map[string]any) {
		m := map[string]map[string]any{}
		for _, it := range items {
			if d, _ := it["is_deleted"].(bool); d {
				continue
			}
			if a, ok := it["active_flag"].(bool); ok && !a {
				continue
			}
			m[idKey(it)] = withoutUpdateTimes(it).(map[string]any)
		}
		v[coll] = m
	}
	add("persons", s.Persons)
	add("organizations", s.Organizations)
	add("deals", s.Deals)
	add("activities", s.Activities)
	add("pipelines", s.Pipelines)
	add("stages", s.Stages)
	add("notes", s.Notes)
	add("files", s.Files)
	ents := make([]string, 0, len(s.Fields))
	for ent := range s.Fields {
		ents = append(ents, ent)
	}
	sort.Strings(ents)
	for _, ent := range ents {
		add("fields:"+ent, s.Fields[ent])
	}
	return v
}

// withoutUpdateTimes drops update_time at every depth (options carry their own).
func withoutUpdateTimes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			if k != "update_time" {
				out[k] = withoutUpdateTimes(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = withoutUpdateTimes(val)
		}
		return out
	}
	return v
}

func idKey(it map[string]any) string {
	if c, ok := it["field_code"].(string); ok {
		return c
	}
	return fmt.Sprint(it["id"])
}

// count returns the number of live items of coll.
func (v view) count(coll string) int { return len(v[coll]) }

// writes counts the sandbox's requests that change anything.
func writes(sb *sandbox.Server) int {
	return requests(sb, "POST ", "PATCH ", "PUT ", "DELETE ")
}

// requests counts the sandbox's requests whose endpoint starts with one of methods.
func requests(sb *sandbox.Server, methods ...string) int {
	n := 0
	for ep, s := range sb.Stats().Endpoints {
		for _, m := range methods {
			if strings.HasPrefix(ep, m) {
				n += s.Requests
			}
		}
	}
	return n
}
