package migrate

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/postgres"
	"ferry/internal/store/sqlite"
)

// fixture is a sandbox, a store holding a generated snapshot and the plan decisions.
type fixture struct {
	t       testing.TB
	data    *gen.Dataset
	key     gen.Key
	sb      *sandbox.Server
	url     string
	store   store.Store
	dbPath  string
	harvest string  // the generated harvest folder (attachment files)
	pg      pgStore // the PostgreSQL store instead of dbPath, when pg.name is set
	dec     decide.Decisions
	merges  []Merge
}

// testKinds are the snapshot kinds the fixture loads (the implemented phases and owners).
var testKinds = []source.Kind{source.Owner, source.Company, source.Person, source.Deal, source.Interaction, source.Task, source.Note, source.Attachment}

// newFixture generates people person records with seed, loads them into a fresh store and
// proposes decisions against a fresh sandbox (limits off, no faults).
func newFixture(t testing.TB, people int, seed int64) *fixture {
	t.Helper()
	return newFixtureOpts(t, people, seed, sandbox.Options{})
}

// newFixtureOpts is newFixture with sandbox options (Seed and Users are filled in).
func newFixtureOpts(t testing.TB, people int, seed int64, opts sandbox.Options) *fixture {
	t.Helper()
	return newFixtureGen(t, gen.Config{People: people, Seed: seed, InteractionsMean: 2, AttachmentsPer100: 6}, opts)
}

// newBenchFixture generates people at the generator's default density.
func newBenchFixture(t testing.TB, people int) *fixture {
	return newFixtureGen(t, gen.Config{People: people, Seed: 1}, sandbox.Options{})
}

// newFixtureGen builds a fixture from a generator configuration and sandbox options.
func newFixtureGen(t testing.TB, cfg gen.Config, opts sandbox.Options) *fixture {
	t.Helper()
	return newFixtureOn(t, cfg, opts, pgStore{})
}

// pgStore names a migration in a PostgreSQL database.
type pgStore struct{ URL, Name string }

// newFixtureOn is newFixtureGen with the state in PostgreSQL when pg names a migration.
func newFixtureOn(t testing.TB, cfg gen.Config, opts sandbox.Options, pg pgStore) *fixture {
	t.Helper()
	ctx := context.Background()
	seed := cfg.Seed
	f := &fixture{t: t, data: gen.New(cfg), pg: pg}
	f.harvest = filepath.Join(t.TempDir(), "harvest")
	key, err := f.data.WriteHarvest(f.harvest)
	if err != nil {
		t.Fatal(err)
	}
	f.key = key
	var users []sandbox.User
	for _, u := range f.data.PipedriveUsers() {
		users = append(users, sandbox.User{Name: u.Name, Email: u.Email})
	}
	opts.Seed, opts.Users = seed, users
	f.sb = sandbox.New(opts)
	srv := httptest.NewServer(f.sb)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	f.dbPath = filepath.Join(t.TempDir(), "state.db")
	f.store = f.openStore()
	for _, k := range testKinds {
		var recs []source.Record
		if err := f.data.Each(k, func(r source.Record) error { recs = append(recs, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.PutRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
	}
	f.dec = f.propose(ctx)
	for _, c := range f.key.PersonClusters {
		f.merges = append(f.merges, Merge{Kind: source.Person, Survivor: c[0], Members: c[1:]})
	}
	for _, c := range f.key.CompanyClusters {
		f.merges = append(f.merges, Merge{Kind: source.Company, Survivor: c[0], Members: c[1:]})
	}
	return f
}

func (f *fixture) openStore() store.Store {
	st, err := openTestStore(f.dbPath, f.pg)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	return st
}

// openTestStore opens the PostgreSQL migration pg names, else the SQLite file at path.
func openTestStore(path string, pg pgStore) (store.Store, error) {
	if pg.Name != "" {
		return postgres.Open(context.Background(), pg.URL, pg.Name)
	}
	return sqlite.Open(path)
}

// propose builds decisions from the snapshot and the sandbox, with the admin as fallback owner.
func (f *fixture) propose(ctx context.Context) decide.Decisions {
	c := f.client(0)
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
	d := decide.Propose(sc, dest.Decide, decide.Options{FallbackOwner: me.Email})
	if open := d.Open(); len(open) > 0 {
		f.t.Fatalf("proposed decisions still open: %v", open)
	}
	return d
}

// client returns a fresh client of the sandbox (its own pacing and counters); burst 0 means
// a generous window, as limits are off in the sandbox.
func (f *fixture) client(burst int) *pipedrive.Client {
	return newClient(f.t, f.url, f.sb.Token(), burst)
}

// newClient returns a client of the sandbox at url with instant retries.
func newClient(t testing.TB, url, token string, burst int) *pipedrive.Client {
	if burst <= 0 {
		burst = 400
	}
	// The sandbox runs without limits: a short window keeps the client's pacing out of the way.
	c, err := pipedrive.New(pipedrive.Config{BaseURL: url, Token: token, Burst: burst, SearchBurst: 400,
		Window: 20 * time.Millisecond, Retry: pipedrive.RetryPolicy{Instant: true, MaxAttempts: 12}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// engine returns an engine over a fresh client and the given store.
func (f *fixture) engine(st store.Store) *Engine {
	e, err := New(Config{Client: f.client(0), Store: st, Decisions: f.dec, Mapper: testMapper(), Merges: f.merges, Workers: 4, FilesRoot: f.harvest})
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// testMapper carries two enum fields and a double, so schema setup creates options.
func testMapper() BasicMapper {
	return BasicMapper{Custom: []BasicCustom{
		{Kind: source.Person, Source: "custom.Lead Source", Spec: FieldSpec{Entity: pipedrive.PersonFields, Name: "Lead Source", Type: "enum",
			Options: []string{"Website", "Referral", "Trade Show", "Cold Outreach", "Partner"}}},
		{Kind: source.Person, Source: "custom.Nickname", Spec: FieldSpec{Entity: pipedrive.PersonFields, Name: "Nickname", Type: "varchar"}},
		{Kind: source.Company, Source: "custom.Segment", Spec: FieldSpec{Entity: pipedrive.OrganizationFields, Name: "Segment", Type: "enum",
			Options: []string{"SMB", "Mid-Market", "Enterprise"}}},
	}}
}

// posts counts the sandbox's POST requests (all statuses, dropped connections included).
func (f *fixture) posts() int {
	n := 0
	for ep, s := range f.sb.Stats().Endpoints {
		if len(ep) > 5 && ep[:5] == "POST " {
			n += s.Requests
		}
	}
	return n
}

// lookups counts the sandbox's list reads of persons, organizations and deals: the engine
// makes them only to look records up by their Klipy ID after an unknown outcome.
func (f *fixture) lookups(colls ...string) int {
	if len(colls) == 0 {
		colls = []string{"persons", "organizations", "deals"}
	}
	n := 0
	for _, c := range colls {
		if s := f.sb.Stats().Endpoints["GET /api/v2/"+c]; s != nil {
			n += s.Requests
		}
	}
	return n
}
