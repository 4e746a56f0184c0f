package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/gen"
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
	data := gen.New(gen.Config{People: people, Seed: seed})
	var users []sandbox.User
	for _, u := range data.PipedriveUsers() {
		users = append(users, sandbox.User{Name: u.Name, Email: u.Email})
	}
	sb := sandbox.New(sandbox.Options{Seed: seed, Users: users})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	t.Setenv("PIPEDRIVE_BASE_URL", srv.URL)
	t.Setenv("PIPEDRIVE_API_TOKEN", sb.Token())
	t.Setenv("FERRY_PIPEDRIVE_BURST", "1000")
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	key, err := data.WriteHarvest(filepath.Join(dir, "harvest"))
	if err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runFerry(t, "extract", "-w", dir); code != 0 {
		t.Fatalf("extract: %s", stderr)
	}
	writePlanFiles(t, dir, srv.URL, sb.Token(), key.DefaultRegion)
	return dir, sb, key
}

// TestRunAgainstSandbox walks init → extract → plan files → confirm → run → run again on a
// small generated workspace and an in-process Pipedrive sandbox.
func TestRunAgainstSandbox(t *testing.T) {
	dir, sb, key := sandboxWorkspace(t, 40, 3)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	out, stderr, code := runFerry(t, "run", "-w", dir)
	if code != 0 || !strings.Contains(out, "organization: source") || !strings.Contains(out, "deal: source") {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("ferry run:\n%s", out)
	checkQuarantineLocated(t, dir)
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
	if out, stderr, code := runFerry(t, "run", "-w", dir, "--json"); code != 0 || !strings.Contains(out, `"event":"done"`) {
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
