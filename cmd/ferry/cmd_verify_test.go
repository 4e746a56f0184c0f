package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/verify"
	"ferry/internal/workspace"
)

// TestVerifyAfterRun checks that verify is blocked before any run, migrates a small
// generated workspace into the sandbox, verifies it (zero mismatches, list endpoints
// only), then tampers with Pipedrive through the client — a person's email changed, a deal
// deleted, a person moved to another organization, a label removed — and requires verify
// to name exactly those differences (exit 3), plus the dangling deal link of each child
// of the deleted deal.
func TestVerifyAfterRun(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 30, 11)
	if out, stderr, code := runFerry(t, "verify", "-w", dir); code != exitBlocked || !strings.Contains(stderr, "run ferry run first") {
		t.Fatalf("verify before any run: exit %d, want %d\n%s%s", code, exitBlocked, out, stderr)
	}
	confirmAndRun(t, dir)
	before := sb.Stats()
	out, stderr, code := runFerry(t, "verify", "-w", dir)
	if code != exitOK || !strings.Contains(out, "verification passed: 0 mismatch") {
		t.Fatalf("verify after run: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("ferry verify:\n%s", out)
	if n := getByID(before, sb.Stats()); n != 0 {
		t.Errorf("verify sent %d GET-by-id requests, want 0 (list endpoints only)", n)
	}
	want := tamper(t, dir, sb)
	res := verifyJSON(t, dir, exitMismatch)
	if diff := cmp.Diff(want, named(res.First)); diff != "" {
		t.Errorf("mismatches (-want +got):\n%s\nfull: %+v", diff, res.First)
	}
	for _, m := range res.First {
		t.Logf("found: %s %s (pipedrive %d) %s: want %q, got %q", m.Kind, m.SourceID, m.DestID, m.Field, m.Want, m.Got)
	}
	checkStoredVerification(t, dir, len(want))
}

// confirmAndRun confirms the plan of dir and runs the migration.
func confirmAndRun(t *testing.T, dir string) {
	t.Helper()
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	out, stderr, code := runFerry(t, "run", "-w", dir)
	if code != genRunExit {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	t.Logf("ferry run:\n%s", out)
}

// verifyJSON runs ferry verify --json, checks its exit code and returns the result.
func verifyJSON(t *testing.T, dir string, wantCode int) verify.Result {
	t.Helper()
	out, stderr, code := runFerry(t, "verify", "-w", dir, "--json")
	if code != wantCode {
		t.Fatalf("verify: exit %d, want %d\n%s%s", code, wantCode, out, stderr)
	}
	var ev struct {
		Result verify.Result `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("decode --json output: %v\n%s", err, out)
	}
	return ev.Result
}

// getByID counts the GET requests to single-record endpoints between two sandbox stats.
func getByID(before, after sandbox.Stats) int {
	n := 0
	for ep, s := range after.Endpoints {
		if strings.HasPrefix(ep, "GET ") && strings.HasSuffix(ep, "/{id}") {
			n += s.Requests
			if b, ok := before.Endpoints[ep]; ok {
				n -= b.Requests
			}
		}
	}
	return n
}

// named renders mismatches as "kind source-id field", sorted.
func named(ms []verify.Mismatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s %s %s", m.Kind, m.SourceID, m.Field))
	}
	sort.Strings(out)
	return out
}

// withStore calls fn with the workspace's state store, closed afterwards.
func withStore(t *testing.T, dir string, fn func(store.Store) error) {
	t.Helper()
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	_, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := fn(st); err != nil {
		t.Fatal(err)
	}
}

// envClient returns a client for the sandbox the environment names.
func envClient(t *testing.T) *pipedrive.Client {
	t.Helper()
	c, err := pipedrive.New(pipedrive.Config{BaseURL: os.Getenv("PIPEDRIVE_BASE_URL"),
		Token: os.Getenv("PIPEDRIVE_API_TOKEN"), Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// migrated maps the Pipedrive ids of done records of kind to their source ids.
func migrated(t *testing.T, dir string, kind source.Kind) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	withStore(t, dir, func(st store.Store) error {
		return st.EachMapping(context.Background(), kind, store.Done, func(m store.Mapping) error {
			out[m.DestID] = m.SourceID
			return nil
		})
	})
	return out
}

// tamper changes four records in the sandbox through the API client and returns the
// mismatches verify must report.
func tamper(t *testing.T, dir string, sb *sandbox.Server) []string {
	t.Helper()
	ctx, c := context.Background(), envClient(t)
	snap := sb.Snapshot()
	persons, deals := migrated(t, dir, source.Person), migrated(t, dir, source.Deal)
	used := map[int64]bool{}
	pick := func(what string, ok func(map[string]any) bool) map[string]any {
		for _, p := range snap.Persons {
			id := pipedrive.Entity(p).ID()
			if _, mine := persons[id]; mine && !used[id] && ok(p) {
				used[id] = true
				return p
			}
		}
		t.Fatalf("no migrated person %s in the sandbox", what)
		return nil
	}
	var want []string
	patch := func(p map[string]any, body pipedrive.Entity, field string) {
		id := pipedrive.Entity(p).ID()
		if _, err := c.Update(ctx, pipedrive.Persons, id, body); err != nil {
			t.Fatalf("tamper person %d: %v", id, err)
		}
		want = append(want, fmt.Sprintf("person %s %s", persons[id], field))
	}
	withEmail := pick("with an email", func(p map[string]any) bool { return len(asList(p["emails"])) > 0 })
	patch(withEmail, pipedrive.Entity{"emails": []any{map[string]any{"value": "tampered@example.org", "primary": true, "label": "work"}}}, "emails")
	withOrg := pick("with an organization", func(p map[string]any) bool { return pipedrive.Entity(p).Int("org_id") > 0 })
	patch(withOrg, pipedrive.Entity{"org_id": otherOrg(t, snap, pipedrive.Entity(withOrg).Int("org_id"))}, "org_id")
	withLabel := pick("with a label", func(p map[string]any) bool { return len(asList(p["label_ids"])) > 0 })
	patch(withLabel, pipedrive.Entity{"label_ids": asList(withLabel["label_ids"])[1:]}, "label_ids")
	deal, orphans := dealWithFewestChildren(t, dir, snap, deals)
	if err := c.Delete(ctx, pipedrive.Deals, deal); err != nil {
		t.Fatalf("delete deal %d: %v", deal, err)
	}
	want = append(append(want, fmt.Sprintf("deal %s record", deals[deal])), orphans...)
	sort.Strings(want)
	return want
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// otherOrg returns a live organization other than id.
func otherOrg(t *testing.T, snap sandbox.Snapshot, id int64) int64 {
	t.Helper()
	for _, o := range snap.Organizations {
		if e := pipedrive.Entity(o); e.ID() != id && o["is_deleted"] != true {
			return e.ID()
		}
	}
	t.Fatal("no second organization in the sandbox")
	return 0
}

// dealWithFewestChildren returns the migrated deal the fewest activities, notes and files
// point at, and the mismatches deleting it causes on those children ("deal_id target").
func dealWithFewestChildren(t *testing.T, dir string, snap sandbox.Snapshot, deals map[int64]string) (int64, []string) {
	t.Helper()
	children := map[int64][]string{}
	for _, c := range []struct {
		kinds []source.Kind
		list  []map[string]any
	}{{[]source.Kind{source.Interaction, source.Task}, snap.Activities}, {[]source.Kind{source.Note}, snap.Notes},
		{[]source.Kind{source.Attachment}, snap.Files}} {
		ids := map[int64]string{}
		for _, k := range c.kinds {
			for dest, src := range migrated(t, dir, k) {
				ids[dest] = fmt.Sprintf("%s %s deal_id target", k, src)
			}
		}
		for _, r := range c.list {
			e := pipedrive.Entity(r)
			if name, ok := ids[e.ID()]; ok && e.Int("deal_id") > 0 {
				children[e.Int("deal_id")] = append(children[e.Int("deal_id")], name)
			}
		}
	}
	best := int64(0)
	for id := range deals {
		if n, b := len(children[id]), len(children[best]); best == 0 || n < b || (n == b && id < best) {
			best = id
		}
	}
	if best == 0 {
		t.Fatal("no migrated deal in the sandbox")
	}
	return best, children[best]
}

// checkStoredVerification checks that verify stored its last result for the report.
func checkStoredVerification(t *testing.T, dir string, mismatches int) {
	t.Helper()
	withStore(t, dir, func(st store.Store) error {
		res, ok, err := verify.Load(context.Background(), st)
		if err != nil || !ok {
			return fmt.Errorf("stored verification: ok %v, err %v", ok, err)
		}
		if res.Status != verify.StatusMismatches || res.Mismatches != mismatches {
			t.Errorf("stored verification: status %q with %d mismatches, want %q with %d", res.Status,
				res.Mismatches, verify.StatusMismatches, mismatches)
		}
		return nil
	})
}

// TestVerifyMergesAndFiles checks merged records and files: a duplicate is checked on its
// survivor, and a survivor merged into a person that existed in Pipedrive before the run
// is checked only on the fields its fill-blanks patch wrote (the existing name stays and is
// no mismatch); uploaded files are checked by name, size and links. Then the patched Klipy
// ID is changed and a file deleted: verify names exactly those two.
func TestVerifyMergesAndFiles(t *testing.T) {
	dir := attachmentWorkspace(t, 20, 13)
	ctx, c := context.Background(), envClient(t)
	existing, err := c.Create(ctx, pipedrive.Persons, pipedrive.Entity{"name": "Already In Pipedrive"})
	if err != nil {
		t.Fatal(err)
	}
	ids := personIDs(t, dir)
	survivor, member, into := ids[0], ids[1], ids[2]
	plan := dedupe.Result{
		PersonClusters: []dedupe.Cluster{{Kind: source.Person, Survivor: survivor, Members: []string{survivor, member}}},
		DestinationMatches: []dedupe.DestinationMatch{{Kind: source.Person, Survivor: into, Members: []string{into},
			DestID: existing.ID(), On: "email", Policy: dedupe.FillBlanks}},
	}
	data, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, workspace.DedupeFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	confirmAndRun(t, dir)
	res := verifyJSON(t, dir, exitOK)
	checked := map[source.Kind]verify.Count{}
	for _, cnt := range res.Counts {
		checked[cnt.Kind] = cnt
	}
	if p := checked[source.Person]; p.Merged != 2 {
		t.Errorf("persons checked as merged: %d, want 2 (%+v)", p.Merged, p)
	}
	if f := checked[source.Attachment]; f.Checked == 0 || f.Matched != f.Checked {
		t.Errorf("files: %+v, want some checked, all matched", f)
	}
	if p, err := c.Get(ctx, pipedrive.Persons, existing.ID()); err != nil || p.String("name") != "Already In Pipedrive" {
		t.Fatalf("existing person after a fill-blanks merge: %v, err %v; want its own name kept", p, err)
	}
	// The patch wrote the Klipy ID into the existing person: changing it is a mismatch.
	code2 := klipyIDCode(t, c)
	if _, err := c.Update(ctx, pipedrive.Persons, existing.ID(), pipedrive.Entity{"custom_fields": map[string]any{code2: "someone-else"}}); err != nil {
		t.Fatal(err)
	}
	files := migrated(t, dir, source.Attachment)
	var fileID int64
	for id := range files {
		if fileID == 0 || id < fileID {
			fileID = id
		}
	}
	if err := c.DeleteFile(ctx, fileID); err != nil {
		t.Fatal(err)
	}
	want := []string{"attachment " + files[fileID] + " record", "person " + into + " custom field Klipy ID"}
	if diff := cmp.Diff(want, named(verifyJSON(t, dir, exitMismatch).First)); diff != "" {
		t.Errorf("mismatches (-want +got):\n%s", diff)
	}
}

// klipyIDCode returns the field_code of the persons' Klipy ID field.
func klipyIDCode(t *testing.T, c *pipedrive.Client) string {
	t.Helper()
	fields, err := c.Fields(context.Background(), pipedrive.PersonFields)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if f.Name == "Klipy ID" {
			return f.Code
		}
	}
	t.Fatal("no Klipy ID person field")
	return ""
}

// attachmentWorkspace is sandboxWorkspace with one regular attachment per four people, so
// that files are migrated and verified.
func attachmentWorkspace(t *testing.T, people int, seed int64) string {
	t.Helper()
	dir, _, _ := sandboxWorkspaceGen(t, gen.Config{People: people, Seed: seed, AttachmentsPer100: 25}, sandbox.Options{})
	return dir
}

// personIDs returns the source ids of the workspace's person records, in id order.
func personIDs(t *testing.T, dir string) []string {
	t.Helper()
	var ids []string
	withStore(t, dir, func(st store.Store) error {
		return st.EachRecord(context.Background(), source.Person, func(r source.Record) error {
			ids = append(ids, r.ID)
			return nil
		})
	})
	if len(ids) < 3 {
		t.Fatalf("%d persons, want at least 3", len(ids))
	}
	return ids
}
