package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
	"ferry/internal/plan/profile"
	"ferry/internal/workspace"
)

// sandboxWorkspace makes a workspace over a generated harvest of people records, extracted,
// with plan files written for an in-process Pipedrive sandbox that the environment points
// at (limits off, and the client's burst raised to match).
func sandboxWorkspace(t *testing.T, people int, seed int64) (string, *sandbox.Server, gen.Key) {
	t.Helper()
	return sandboxWorkspaceOpts(t, people, seed, sandbox.Options{})
}

// sandboxWorkspaceOpts is sandboxWorkspace with sandbox options (Seed and Users are set).
func sandboxWorkspaceOpts(t *testing.T, people int, seed int64, opts sandbox.Options) (string, *sandbox.Server, gen.Key) {
	t.Helper()
	return sandboxWorkspaceGen(t, gen.Config{People: people, Seed: seed}, opts)
}

// sandboxWorkspaceGen is sandboxWorkspaceOpts for any generator configuration.
func sandboxWorkspaceGen(t *testing.T, cfg gen.Config, opts sandbox.Options) (string, *sandbox.Server, gen.Key) {
	t.Helper()
	return sandboxWorkspaceIn(t, cfg, opts, func(string) {})
}

// sandboxWorkspaceIn is sandboxWorkspaceGen calling setup(dir) between init and extract (to
// point the workspace at another state store).
func sandboxWorkspaceIn(t *testing.T, cfg gen.Config, opts sandbox.Options, setup func(dir string)) (string, *sandbox.Server, gen.Key) {
	t.Helper()
	seed := cfg.Seed
	data := gen.New(cfg)
	var users []sandbox.User
	for _, u := range data.PipedriveUsers() {
		users = append(users, sandbox.User{Name: u.Name, Email: u.Email})
	}
	opts.Seed, opts.Users = seed, users
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	t.Setenv("PIPEDRIVE_BASE_URL", srv.URL)
	t.Setenv("PIPEDRIVE_API_TOKEN", sb.Token())
	t.Setenv("FERRY_PIPEDRIVE_BURST", "1000")
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	setup(dir)
	key, err := data.WriteHarvest(filepath.Join(dir, "harvest"))
	if err != nil {
		t.Fatal(err)
	}
	extractGenerated(t, dir, key)
	writePlanFiles(t, dir, srv.URL, sb.Token(), key.DefaultRegion)
	acceptAllLosses(t, dir)
	return dir, sb, key
}

// genRunExit is ferry run's exit code on generated data: the generator plants rows that
// cannot move (broken rows, unmappable values, files too large or of a blocked type), which
// confirm predicts; sandboxWorkspace accepts each predicted loss reason (as a user does after
// reading them), so the run accounts for every record (exit 0).
const genRunExit = exitOK

// acceptAllLosses accepts every loss ferry predicts for the workspace's plan.
func acceptAllLosses(t *testing.T, dir string) {
	t.Helper()
	if out, stderr, code := runFerry(t, "decide", "accept-loss", "--all", "-w", dir); code != 0 {
		t.Fatalf("decide accept-loss --all: exit %d\n%s%s", code, out, stderr)
	}
}

// TestRunAgainstSandbox walks init → extract → plan files → confirm → run → run again on a
// small generated workspace and an in-process Pipedrive sandbox.
func TestRunAgainstSandbox(t *testing.T) {
	dir, sb, key := sandboxWorkspace(t, 40, 3)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	out, stderr, code := runFerry(t, "run", "-w", dir)
	if code != genRunExit || !strings.Contains(out, "organization: source") || !strings.Contains(out, "deal: source") {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("ferry run:\n%s", out)
	checkQuarantineLocated(t, dir)
	checkRowFiles(t, dir)
	posts := func() int {
		n := 0
		for ep, s := range sb.Stats().Endpoints {
			if strings.HasPrefix(ep, "POST ") {
				n += s.Requests
			}
		}
		return n
	}
	before := posts()
	if out, stderr, code := runFerry(t, "run", "-w", dir, "--json"); code != genRunExit || !strings.Contains(out, `"event":"done"`) {
		t.Fatalf("second run: exit %d\n%s%s", code, out, stderr)
	}
	if n := posts() - before; n != 0 {
		t.Errorf("second run sent %d POSTs, want 0", n)
	}
	if got := len(sb.Snapshot().Persons); got == 0 || got > key.Records["person"] {
		t.Errorf("sandbox holds %d persons for %d person records", got, key.Records["person"])
	}
}

// writePlanFiles proposes mapping.yaml and decisions.yaml from the snapshot and the sandbox,
// as ferry plan will.
func writePlanFiles(t *testing.T, dir, base, token, region string) {
	t.Helper()
	ctx := context.Background()
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	ws, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := pipedrive.New(pipedrive.Config{BaseURL: base, Token: token, Burst: 200})
	if err != nil {
		t.Fatal(err)
	}
	dest, err := plan.ReadDestination(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	me, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := decide.ScanSnapshot(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeDecisions(ws, decide.Propose(sc, dest.Decide, decide.Options{FallbackOwner: me.Email})); err != nil {
		t.Fatal(err)
	}
	prof, err := profile.Build(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	schema := mapping.Schema{Fields: map[string][]mapping.DestField{}}
	for ent, fields := range dest.Fields {
		for _, f := range fields {
			schema.Fields[string(ent)] = append(schema.Fields[string(ent)], mapping.DestField{Name: f.Name, Code: f.Code, Type: f.Type, Custom: f.IsCustom})
		}
	}
	var buf bytes.Buffer
	if err := mapping.Write(&buf, mapping.Propose(prof, schema, mapping.Options{DefaultRegion: region})); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ws.PlanPath(workspace.MappingFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkQuarantineLocated checks that every quarantined row names its file and line.
func checkQuarantineLocated(t *testing.T, dir string) {
	t.Helper()
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	_, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	items, err := st.QuarantineItems(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range items {
		if q.File == "" || q.Line == 0 || q.Reason == "" {
			t.Errorf("quarantined %s row without file, line or reason: %+v", q.Kind, q)
		}
	}
}

// fakeClock is a pipedrive.Clock whose Sleep moves time forward at once; the sandbox reads
// the same time through Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.add(d)
	return nil
}

func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// budgetWorkspace is a confirmed sandbox workspace whose Pipedrive has a small daily budget,
// on a fake clock that ferry run shares (runClock), one day after the setup's own reads.
func budgetWorkspace(t *testing.T, daily int) (string, *sandbox.Server, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	dir, sb, _ := sandboxWorkspaceOpts(t, 15, 4, sandbox.Options{Limits: true, DailyBudget: daily, Burst: -1, SearchBurst: -1, Now: clock.Now})
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	clock.add(24 * time.Hour)
	runClock = clock
	t.Cleanup(func() { runClock = nil })
	return dir, sb, clock
}

// TestRunWaitsForBudget runs with a daily budget well below the run's cost: the run pauses
// until each reset, says when it resumed, and finishes (exit 0) in one invocation.
func TestRunWaitsForBudget(t *testing.T) {
	dir, _, _ := budgetWorkspace(t, 700)
	out, stderr, code := runFerry(t, "run", "-w", dir)
	if code != genRunExit {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"remaining: ", "day(s)", "daily token budget exhausted at 2026-06-02", "pausing until 2026-06-03T00:00:00Z",
		"budget reset: resumed at 2026-06-03T00:00:00Z", "deal: source"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestRunNoWait stops at the budget with exit 5 and a resume hint; after the reset, ferry
// run goes on from there and finishes without sending the done records again.
func TestRunNoWait(t *testing.T) {
	dir, sb, clock := budgetWorkspace(t, 700)
	out, stderr, code := runFerry(t, "run", "-w", dir, "--no-wait")
	if code != exitBudget || !strings.Contains(stderr, "resume after the reset with ferry run") {
		t.Fatalf("run --no-wait: exit %d, want %d\n%s%s", code, exitBudget, out, stderr)
	}
	clock.add(24 * time.Hour)
	for day := 0; ; day++ {
		out, stderr, code = runFerry(t, "run", "-w", dir, "--no-wait")
		if code == genRunExit {
			break
		}
		if code != exitBudget || day == 5 {
			t.Fatalf("resumed run %d: exit %d\n%s%s", day, code, out, stderr)
		}
		clock.add(24 * time.Hour)
	}
	checkNoDuplicates(t, sb)
}

// checkNoDuplicates fails when two sandbox persons, organizations or deals carry the same
// value in their Klipy ID field.
func checkNoDuplicates(t *testing.T, sb *sandbox.Server) {
	t.Helper()
	snap := sb.Snapshot()
	codes := map[string]bool{}
	for _, fields := range snap.Fields {
		for _, fd := range fields {
			if fd["field_name"] == migrate.KlipyIDField {
				codes[fmt.Sprint(fd["field_code"])] = true
			}
		}
	}
	if len(codes) == 0 {
		t.Fatal("no Klipy ID field in the sandbox")
	}
	n := 0
	for name, recs := range map[string][]map[string]any{"person": snap.Persons, "organization": snap.Organizations, "deal": snap.Deals} {
		seen := map[string]bool{}
		for _, r := range recs {
			cf, _ := r["custom_fields"].(map[string]any)
			for code := range codes {
				id, _ := cf[code].(string)
				if id != "" && seen[id] {
					t.Errorf("%s with Klipy ID %s exists twice", name, id)
				}
				if id != "" {
					seen[id] = true
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Error("no record carries a Klipy ID: the check proves nothing")
	}
}

// TestRunSampleThenFull runs ferry run --sample with JSON output: the sample covers every
// class the snapshot has (every kind, every interaction type), its diff is clean (exit 0),
// and the full run after it creates only the records the sample did not.
func TestRunSampleThenFull(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 40, 6)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	out, stderr, code := runFerry(t, "run", "-w", dir, "--sample", "25", "--json")
	if code != 0 {
		t.Fatalf("run --sample: exit %d\n%s%s", code, out, stderr)
	}
	events := jsonEvents(t, out)
	sample, diff := events["sample"], events["diff"]
	if sample == nil || diff == nil || events["estimate"] == nil || events["done"] == nil {
		t.Fatalf("missing events in %s", out)
	}
	if u, _ := sample["uncovered"].([]any); len(u) > 0 {
		t.Errorf("sample left classes uncovered: %v", u)
	}
	checkClasses(t, sample["classes"])
	if d, _ := diff["diffs"].([]any); len(d) > 0 || diff["records"] == float64(0) {
		t.Errorf("sample diff: %v", diff)
	}
	sampleCreated := createdIn(events["done"])
	before := recordPosts(sb)
	out, stderr, code = runFerry(t, "run", "-w", dir, "--sample", "25")
	if code != 0 || !strings.Contains(out, " 0 differences") || recordPosts(sb) != before {
		t.Fatalf("sample again: exit %d, %d POSTs\n%s%s", code, recordPosts(sb)-before, out, stderr)
	}
	t.Logf("ferry run --sample 25, again:\n%s", out)
	out, stderr, code = runFerry(t, "run", "-w", dir, "--json")
	if code != genRunExit {
		t.Fatalf("full run: exit %d\n%s%s", code, out, stderr)
	}
	full := createdIn(jsonEvents(t, out)["done"])
	if got := recordPosts(sb) - before; got != full-sampleCreated || sampleCreated == 0 {
		t.Errorf("full run sent %d record POSTs; created %d after the sample's %d", got, full, sampleCreated)
	}
	checkNoDuplicates(t, sb)
}

// checkClasses checks that the sample's classes name every kind and interaction type the
// generator writes (at this size).
func checkClasses(t *testing.T, v any) {
	t.Helper()
	have := map[string]bool{}
	list, _ := v.([]any)
	for _, c := range list {
		have[fmt.Sprint(c)] = true
	}
	for _, want := range []string{"kind:company", "kind:person", "kind:deal", "kind:interaction", "kind:task", "kind:note",
		"kind:attachment", "activity type:EMAIL", "activity type:MEETING", "new:person", "with attachments:person"} {
		if !have[want] {
			t.Errorf("sample classes lack %q: %v", want, list)
		}
	}
}

// jsonEvents parses every stdout line as JSON and indexes the last event of each name.
func jsonEvents(t *testing.T, out string) map[string]map[string]any {
	t.Helper()
	events := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("--json output line is not JSON: %q", line)
		}
		events[fmt.Sprint(ev["event"])] = ev
	}
	return events
}

// createdIn sums the created counts of a done event's phases.
func createdIn(done map[string]any) int {
	n := 0
	phases, _ := done["phases"].([]any)
	for _, p := range phases {
		if m, ok := p.(map[string]any); ok {
			c, _ := m["created"].(float64)
			n += int(c)
		}
	}
	return n
}

// recordPosts counts the sandbox's creates of records (not schema).
func recordPosts(sb *sandbox.Server) int {
	n := 0
	for _, ep := range []string{"POST /api/v2/persons", "POST /api/v2/organizations", "POST /api/v2/deals",
		"POST /api/v2/activities", "POST /api/v1/notes", "POST /api/v1/files"} {
		if s := sb.Stats().Endpoints[ep]; s != nil {
			n += s.Requests
		}
	}
	return n
}
