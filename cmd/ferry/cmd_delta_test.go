package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ferry/internal/delta"
	"ferry/internal/gen"
	klipysandbox "ferry/internal/klipy/sandbox"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// deltaFixture is a workspace migrated into a Pipedrive sandbox from a Klipy sandbox whose
// data the test can change.
type deltaFixture struct {
	dir string
	kl  *klipysandbox.Server
	pd  *sandbox.Server
}

// newDeltaFixture extracts (harvest + Klipy API), plans, confirms and runs.
func newDeltaFixture(t *testing.T, people int, seed int64) *deltaFixture {
	t.Helper()
	data := gen.New(gen.Config{People: people, Seed: seed})
	var users []sandbox.User
	for _, u := range data.PipedriveUsers() {
		users = append(users, sandbox.User{Name: u.Name, Email: u.Email})
	}
	f := &deltaFixture{pd: sandbox.New(sandbox.Options{Seed: seed, Users: users})}
	pds := httptest.NewServer(f.pd)
	t.Cleanup(pds.Close)
	key := klipysandbox.NewKey("new")
	f.kl = klipysandbox.New(klipysandbox.Options{API: "new", Source: data, Keys: []klipysandbox.Key{{Value: key}}})
	kls := httptest.NewServer(f.kl)
	t.Cleanup(kls.Close)
	t.Setenv("PIPEDRIVE_BASE_URL", pds.URL)
	t.Setenv("PIPEDRIVE_API_TOKEN", f.pd.Token())
	t.Setenv("FERRY_PIPEDRIVE_BURST", "1000")
	t.Setenv("KLIPY_BASE_URL", kls.URL+"/api/v1")
	t.Setenv("KLIPY_API_KEY", key)
	f.dir = filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", f.dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	gk, err := data.WriteHarvest(filepath.Join(f.dir, "harvest"))
	if err != nil {
		t.Fatal(err)
	}
	f.withStore(t, func(g *globalOptions, ws *workspace.Workspace, st store.Store) {
		if _, _, err := extractWorkspace(context.Background(), ws, st, workspace.LoadEnv(), ExtractOptions{klipyRate: -1}); err != nil {
			t.Fatal(err)
		}
	})
	writePlanFiles(t, f.dir, pds.URL, f.pd.Token(), gk.DefaultRegion)
	acceptAllLosses(t, f.dir)
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", f.dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	if out, stderr, code := runFerry(t, "run", "-w", f.dir); code != genRunExit {
		t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
	}
	return f
}

// withStore opens the workspace for fn and closes it afterwards.
func (f *deltaFixture) withStore(t *testing.T, fn func(*globalOptions, *workspace.Workspace, store.Store)) {
	t.Helper()
	g := &globalOptions{Workspace: f.dir, stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	ws, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(g, ws, st)
}

// delta runs one delta step and returns its report.
func (f *deltaFixture) delta(t *testing.T, opts DeltaOptions) delta.Report {
	t.Helper()
	var rep delta.Report
	f.withStore(t, func(g *globalOptions, ws *workspace.Workspace, st store.Store) {
		opts.extract = ExtractOptions{klipyRate: -1}
		var err error
		if rep, _, err = deltaWorkspace(context.Background(), g, ws, st, workspace.LoadEnv(), opts); err != nil {
			t.Fatalf("delta: %v", err)
		}
	})
	return rep
}

// writes counts the Pipedrive sandbox's POST, PATCH, PUT and DELETE requests.
func (f *deltaFixture) writes() int {
	n := 0
	for ep, s := range f.pd.Stats().Endpoints {
		for _, m := range []string{"POST ", "PATCH ", "PUT ", "DELETE "} {
			if strings.HasPrefix(ep, m) {
				n += s.Requests
			}
		}
	}
	return n
}

// pick returns two done API persons (snapshot record and mapping) and an interaction.
func (f *deltaFixture) pick(t *testing.T) (changed, gone source.Record, cm, gm store.Mapping, inter source.Record) {
	t.Helper()
	f.withStore(t, func(_ *globalOptions, _ *workspace.Workspace, st store.Store) {
		ctx := context.Background()
		var got []source.Record
		var ms []store.Mapping
		err := st.EachRecord(ctx, source.Person, func(r source.Record) error {
			m, err := st.GetMapping(ctx, source.Person, r.ID)
			if err == nil && m.State == store.Done && r.Channel == source.API && r.Fields["email"] != "" && len(got) < 2 {
				got, ms = append(got, r), append(ms, m)
			}
			return nil
		})
		if err != nil || len(got) < 2 {
			t.Fatalf("want two done API persons, got %d (%v)", len(got), err)
		}
		changed, gone, cm, gm = got[0], got[1], ms[0], ms[1]
		err = st.EachRecord(ctx, source.Interaction, func(r source.Record) error {
			if inter.ID == "" && r.Channel == source.API {
				inter = r
			}
			return nil
		})
		if err != nil || inter.ID == "" {
			t.Fatalf("no API interaction (%v)", err)
		}
	})
	return changed, gone, cm, gm, inter
}

// another returns a done API person with an e-mail, other than those of ids.
func (f *deltaFixture) another(t *testing.T, ids ...string) (out source.Record) {
	t.Helper()
	f.withStore(t, func(_ *globalOptions, _ *workspace.Workspace, st store.Store) {
		ctx := context.Background()
		err := st.EachRecord(ctx, source.Person, func(r source.Record) error {
			m, err := st.GetMapping(ctx, source.Person, r.ID)
			if err == nil && m.State == store.Done && r.Channel == source.API && r.Fields["email"] != "" &&
				out.ID == "" && !slices.Contains(ids, r.ID) {
				out = r
			}
			return nil
		})
		if err != nil || out.ID == "" {
			t.Fatalf("no third done API person (%v)", err)
		}
	})
	return out
}

// personJSON returns the Pipedrive sandbox's person id as JSON ("" when absent or deleted).
func (f *deltaFixture) personJSON(id int64) string {
	for _, p := range f.pd.Snapshot().Persons {
		if fmt.Sprint(p["id"]) == strconv.FormatInt(id, 10) && p["is_deleted"] != true {
			data, _ := json.Marshal(p)
			return string(data)
		}
	}
	return ""
}

// TestDeltaMovesExactlyTheChanges changes a person's title and email, adds a person and an
// interaction and deletes a person in the Klipy sandbox; the delta moves exactly those (checked
// in the Pipedrive sandbox), --delete removes the deleted one, and a second delta writes nothing.
// A person saved in Klipy without a change Pipedrive would see (its updated_at moved, so its
// content hash differs) is read back and compared as ferry verify compares: the delta counts
// it unchanged and sends nothing for it. A person whose new title is longer than its
// varchar field holds is not sent (Pipedrive would refuse it) and fails with the rule.
func TestDeltaMovesExactlyTheChanges(t *testing.T) {
	f := newDeltaFixture(t, 30, 21)
	changed, gone, cm, gm, inter := f.pick(t)
	touched := f.another(t, changed.ID, gone.ID)
	touched.Fields = maps.Clone(touched.Fields)
	touched.Fields["updated_at"] = "2026-11-30T09:00:00Z"
	overlong := f.another(t, changed.ID, gone.ID, touched.ID)
	overlong.Fields = maps.Clone(overlong.Fields)
	overlong.Fields["title"] = strings.Repeat("n", 256)
	for _, err := range []error{f.kl.UpsertPerson(touched), f.kl.UpsertPerson(overlong)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	before := f.pd.Snapshot()
	oldEmail := changed.Fields["email"]
	changed.Fields = maps.Clone(changed.Fields)
	changed.Fields["title"], changed.Fields["email"] = "Chief Delta Officer", "delta.changed@example.com"
	added := source.Record{ID: changed.ID + "delta", Fields: maps.Clone(changed.Fields)}
	added.Fields["id"], added.Fields["email"] = added.ID, "delta.added@example.com"
	added.Fields["first_name"], added.Fields["last_name"] = "Dora", "Delta"
	note := source.Record{ID: inter.ID + "delta", Fields: maps.Clone(inter.Fields)}
	note.Fields["id"], note.Fields["person_ids"] = note.ID, added.ID
	for _, err := range []error{f.kl.UpsertPerson(changed), f.kl.UpsertPerson(added), f.kl.UpsertInteraction(note)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := f.kl.DeletePerson(gone.ID); !ok || err != nil {
		t.Fatalf("delete person %s: %v %v", gone.ID, ok, err)
	}
	f.dropHarvestRow(t, "people.csv", gone.ID)
	w0 := f.writes()
	rep := f.delta(t, DeltaOptions{})
	after := f.pd.Snapshot()
	row := func(k source.Kind) delta.Row {
		for _, r := range rep.Rows {
			if r.Kind == k {
				return r
			}
		}
		return delta.Row{}
	}
	p, i := row(source.Person), row(source.Interaction)
	if p.Created != 1 || p.Updated != 1 || p.Reported != 1 || p.Deleted != 0 || p.Failed != 1 || i.Created != 1 || i.Updated != 0 {
		t.Errorf("delta rows: person %+v, interaction %+v", p, i)
	}
	if len(after.Persons) != len(before.Persons)+1 || len(after.Activities) != len(before.Activities)+1 {
		t.Errorf("persons %d→%d, activities %d→%d: want one more of each",
			len(before.Persons), len(after.Persons), len(before.Activities), len(after.Activities))
	}
	if len(p.Failures) != 1 || !strings.Contains(p.Failures[0], overlong.ID) || !strings.Contains(p.Failures[0], "longer than the 255 characters") {
		t.Errorf("person failures %q, want the over-long title refused before it is sent", p.Failures)
	}
	js := f.personJSON(cm.DestID)
	if !strings.Contains(js, "Chief Delta Officer") || !strings.Contains(js, "delta.changed@example.com") || strings.Contains(js, oldEmail) {
		t.Errorf("changed person in Pipedrive: %s", js)
	}
	if f.personJSON(gm.DestID) == "" {
		t.Error("person deleted in Klipy was deleted in Pipedrive without --delete")
	}
	// create person + activity, PATCH person: exactly three writes.
	if n := f.writes() - w0; n != 3 {
		t.Errorf("delta made %d writes, want 3 (2 creates, 1 update)", n)
	}
	w1 := f.writes()
	if again := f.delta(t, DeltaOptions{}); len(again.Rows) == 0 {
		t.Fatal("second delta: no rows")
	}
	if n := f.writes() - w1; n != 0 {
		t.Errorf("second delta made %d writes, want 0", n)
	}
	del := f.delta(t, DeltaOptions{Delete: true, Yes: true, MaxDelete: 5})
	if f.personJSON(gm.DestID) != "" {
		t.Error("--delete left the person deleted in Klipy in Pipedrive")
	}
	w2 := f.writes()
	f.delta(t, DeltaOptions{Delete: true, Yes: true, MaxDelete: 5})
	if n := f.writes() - w2; n != 0 {
		t.Errorf("delta after --delete made %d writes, want 0", n)
	}
	t.Logf("delete delta: %+v", del.Rows)
}

// dropHarvestRow removes the row of id from a harvest file, as a fresh export after a
// deletion in Klipy would.
func (f *deltaFixture) dropHarvestRow(t *testing.T, file, id string) {
	t.Helper()
	path := filepath.Join(f.dir, "harvest", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	var keep []string
	for _, l := range lines {
		if !strings.HasPrefix(strings.TrimPrefix(l, `"`), id) {
			keep = append(keep, l)
		}
	}
	if len(keep) != len(lines)-1 {
		t.Fatalf("%s: %d rows start with %s, want 1", file, len(lines)-len(keep), id)
	}
	if err := os.WriteFile(path, []byte(strings.Join(keep, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDeltaRollback: rolling back a delta run restores the updated person's pre-image (as
// Pipedrive held it) and removes what the delta created.
func TestDeltaRollback(t *testing.T) {
	f := newDeltaFixture(t, 20, 8)
	changed, _, cm, _, _ := f.pick(t)
	pre := f.personJSON(cm.DestID)
	changed.Fields = maps.Clone(changed.Fields)
	changed.Fields["title"], changed.Fields["email"] = "Undo Me", "undo.me@example.com"
	added := source.Record{ID: changed.ID + "delta", Fields: maps.Clone(changed.Fields)}
	added.Fields["id"], added.Fields["email"] = added.ID, "delta.added@example.com"
	if err := f.kl.UpsertPerson(changed); err != nil {
		t.Fatal(err)
	}
	if err := f.kl.UpsertPerson(added); err != nil {
		t.Fatal(err)
	}
	persons := len(f.pd.Snapshot().Persons)
	rep := f.delta(t, DeltaOptions{})
	if js := f.personJSON(cm.DestID); !strings.Contains(js, "undo.me@example.com") {
		t.Fatalf("delta did not update the person: %s", js)
	}
	out, stderr, code := runFerry(t, "rollback", "-w", f.dir, "--yes", "--run", strconv.FormatInt(rep.RunID, 10))
	if code != 0 {
		t.Fatalf("rollback of delta run %d: exit %d\n%s%s", rep.RunID, code, out, stderr)
	}
	if got, want := withoutTimes(t, f.personJSON(cm.DestID)), withoutTimes(t, pre); got != want {
		t.Errorf("after rollback the person is\n%s\nwant as before the delta\n%s", got, want)
	}
	live := 0
	for _, p := range f.pd.Snapshot().Persons {
		if p["is_deleted"] != true {
			live++
		}
	}
	if live != persons {
		t.Errorf("%d live persons after rollback, want %d", live, persons)
	}
}

// withoutTimes re-encodes a person without its update_time.
func withoutTimes(t *testing.T, js string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatalf("person %q: %v", js, err)
	}
	delete(m, "update_time")
	out, _ := json.Marshal(m)
	return string(out)
}

// TestDeltaNeedsLockFirstTime: the first delta refuses (exit 4) without a confirmed plan,
// since the migrated hashes come from the snapshot the run migrated.
func TestDeltaNeedsLockFirstTime(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	_, stderr, code := runFerry(t, "delta", "-w", dir)
	if code != exitBlocked || !strings.Contains(stderr, "first delta") {
		t.Fatalf("delta without a lock: exit %d, %s", code, stderr)
	}
}
