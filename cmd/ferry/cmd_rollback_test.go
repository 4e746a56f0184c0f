package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/dedupe"
	"ferry/internal/rollback"
	"ferry/internal/source"
	"ferry/internal/workspace"
)

// TestRollbackCommand: a sandbox that already held persons and an organization, a full run
// that merges into two of them, then ferry rollback: refused without a terminal and --yes,
// declined at the prompt, then done with --yes; the sandbox's own snapshot equals the one
// taken before the migration, the proof is stored, and a second rollback writes nothing.
func TestRollbackCommand(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 30, 21)
	seedMergeTargets(t, dir)
	before := liveView(sb)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	if out, stderr, code := runFerry(t, "run", "-w", dir); code != genRunExit || !strings.Contains(out, "merged") {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	if cmp.Equal(before, liveView(sb)) {
		t.Fatal("the run changed nothing in the sandbox: the test would prove nothing")
	}
	w := sandboxWrites(sb)
	if _, stderr, code := runFerry(t, "rollback", "-w", dir); code != exitUsage || !strings.Contains(stderr, "--yes") {
		t.Errorf("rollback without a terminal and --yes: exit %d, %s; want a usage refusal", code, stderr)
	}
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	if err := runRollback(context.Background(), g, RollbackOptions{in: strings.NewReader("n\n")}); err == nil || !strings.Contains(err.Error(), "not confirmed") {
		t.Errorf("rollback declined at the prompt: err %v, want not confirmed", err)
	}
	if n := sandboxWrites(sb) - w; n != 0 {
		t.Fatalf("refused rollbacks sent %d writes", n)
	}
	out, stderr, code := runFerry(t, "rollback", "--yes", "-w", dir)
	if code != 0 || !strings.Contains(out, "HOLDS") || !strings.Contains(out, "trash for 30 days") || !strings.Contains(out, "tokens") {
		t.Fatalf("rollback: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("ferry rollback:\n%s", out)
	if diff := cmp.Diff(before, liveView(sb)); diff != "" {
		t.Errorf("sandbox after rollback differs from before the migration (-before +after):\n%s", diff)
	}
	w = sandboxWrites(sb)
	out, stderr, code = runFerry(t, "rollback", "--yes", "-w", dir)
	if code != 0 || !strings.Contains(out, "0 writes to undo") || !strings.Contains(out, "HOLDS") {
		t.Errorf("second rollback: exit %d\n%s%s", code, out, stderr)
	}
	if n := sandboxWrites(sb) - w; n != 0 {
		t.Errorf("second rollback sent %d writes, want 0", n)
	}
	checkStoredProof(t, dir)
}

// seedMergeTargets creates persons and organizations in the sandbox before the migration and
// writes dedupe.json so that one person and one company merge into them.
func seedMergeTargets(t *testing.T, dir string) {
	t.Helper()
	seedMergeTargetsPolicy(t, dir, "fill_blanks")
}

// seedMergeTargetsPolicy is seedMergeTargets with the merges' policy.
func seedMergeTargetsPolicy(t *testing.T, dir, policy string) {
	t.Helper()
	ctx := context.Background()
	c, err := pipedrive.New(pipedrive.Config{BaseURL: os.Getenv("PIPEDRIVE_BASE_URL"), Token: os.Getenv("PIPEDRIVE_API_TOKEN"), Burst: 200})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(k pipedrive.Kind, body pipedrive.Entity) int64 {
		e, err := c.Create(ctx, k, body)
		if err != nil {
			t.Fatalf("seed %s: %v", k, err)
		}
		return e.ID()
	}
	org := mk(pipedrive.Organizations, pipedrive.Entity{"name": "Existing Holdings"})
	person := mk(pipedrive.Persons, pipedrive.Entity{"name": "Existing Person"})
	mk(pipedrive.Persons, pipedrive.Entity{"name": "Bystander", "org_id": org})
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	ws, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	first := func(k source.Kind) string {
		var id string
		_ = st.EachRecord(ctx, k, func(r source.Record) error {
			if id == "" {
				id = r.ID
			}
			return nil
		})
		if id == "" {
			t.Fatalf("no %s record to merge", k)
		}
		return id
	}
	res := dedupe.Result{DestinationMatches: []dedupe.DestinationMatch{
		{Kind: source.Person, Survivor: first(source.Person), DestID: person, On: "email", Policy: policy},
		{Kind: source.Company, Survivor: first(source.Company), DestID: org, On: "domain", Policy: policy}}}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ws.PlanPath(workspace.DedupeFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// liveView is the sandbox's own snapshot of live items by collection and id, update times
// left out (a write and its undo move them).
func liveView(sb *sandbox.Server) map[string]map[string]any {
	s := sb.Snapshot()
	raw, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	var colls map[string]any
	if err := json.Unmarshal(raw, &colls); err != nil {
		panic(err)
	}
	out := map[string]map[string]any{}
	for name, v := range colls {
		items, _ := v.([]any)
		if name == "fields" {
			for ent, f := range v.(map[string]any) {
				addLive(out, "fields:"+ent, f.([]any))
			}
			continue
		}
		addLive(out, name, items)
	}
	return out
}

func addLive(out map[string]map[string]any, coll string, items []any) {
	m := map[string]any{}
	for _, it := range items {
		rec := it.(map[string]any)
		if d, _ := rec["is_deleted"].(bool); d {
			continue
		}
		if a, ok := rec["active_flag"].(bool); ok && !a {
			continue
		}
		id := fmt.Sprint(rec["id"])
		if code, ok := rec["field_code"].(string); ok {
			id = code
		}
		m[id] = dropUpdateTimes(rec)
	}
	out[coll] = m
}

func dropUpdateTimes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			if k != "update_time" {
				out[k] = dropUpdateTimes(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = dropUpdateTimes(val)
		}
		return out
	}
	return v
}

// sandboxWrites counts the sandbox's requests that change anything.
func sandboxWrites(sb *sandbox.Server) int {
	n := 0
	for ep, s := range sb.Stats().Endpoints {
		for _, m := range []string{"POST ", "PATCH ", "PUT ", "DELETE "} {
			if strings.HasPrefix(ep, m) {
				n += s.Requests
			}
		}
	}
	return n
}

// checkStoredProof reads the proof the report will read.
func checkStoredProof(t *testing.T, dir string) {
	t.Helper()
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	_, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := rollback.LoadProof(context.Background(), st)
	if err != nil || !p.Holds() || p.Checked == 0 || p.ByCategory[rollback.CatPerson].Restored != 1 {
		t.Errorf("stored proof = %+v, %v; want one that holds with a restored person", p, err)
	}
}
