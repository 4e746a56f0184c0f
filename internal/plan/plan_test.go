package plan

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/gen"
	"ferry/internal/klipy/harvest"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// fixture loads a generated harvest into a store and starts a Pipedrive sandbox holding the
// dataset's Pipedrive users and one person who is already there.
func fixture(t *testing.T) (store.Store, *pipedrive.Client, gen.Key, string) {
	t.Helper()
	ctx := context.Background()
	data := gen.New(gen.Config{People: 250, Seed: 8})
	dir := t.TempDir()
	key, err := data.WriteHarvest(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var recs []source.Record
	var existingEmail string
	_, err = harvest.Read(ctx, dir, harvest.Options{}, func(r source.Record) error {
		recs = append(recs, r)
		if existingEmail == "" && r.Kind == source.Person && strings.Contains(r.Fields["email"], "@") &&
			!strings.ContainsAny(r.Fields["email"], "<> ") {
			existingEmail = r.Fields["email"]
		}
		return nil
	}, func(store.QuarantineItem) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	var users []sandbox.User
	for _, u := range data.PipedriveUsers() {
		users = append(users, sandbox.User{Name: u.Name, Email: u.Email})
	}
	srv := httptest.NewServer(sandbox.New(sandbox.Options{Token: "t", Users: users, Seed: 1}))
	t.Cleanup(srv.Close)
	c, err := pipedrive.New(pipedrive.Config{BaseURL: srv.URL, Token: "t", Plan: "ultimate"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreatePerson(ctx, pipedrive.Entity{"name": "Already There",
		"emails": []any{map[string]any{"value": strings.ToUpper(existingEmail), "primary": true}}})
	if err != nil {
		t.Fatal(err)
	}
	return st, c, key, existingEmail
}

func TestBuildAgainstDestination(t *testing.T) {
	st, c, key, existing := fixture(t)
	ctx := context.Background()
	dest, err := ReadDestination(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(dest.Decide.Users) < 2 || len(dest.Decide.ActivityTypes) == 0 || len(dest.Fields["person"]) == 0 {
		t.Fatalf("destination read is incomplete: %d users, %d activity types, %d person fields",
			len(dest.Decide.Users), len(dest.Decide.ActivityTypes), len(dest.Fields["person"]))
	}
	existingDest, err := dedupe.LoadDestination(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(ctx, st, dest, Options{DefaultRegion: "US", MergePolicy: dedupe.FillBlanks,
		Existing: existingDest, DestinationRead: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Dedupe.Stats.DistinctPeople, key.Distinct.People; got != want {
		t.Errorf("distinct people %d, want %d", got, want)
	}
	matched := false
	for _, m := range p.Dedupe.DestinationMatches {
		matched = matched || (m.Kind == source.Person && m.DestID != 0 && strings.EqualFold(m.Key, existing))
	}
	if !matched {
		t.Errorf("no merge-into-existing proposal for %s, which Pipedrive already holds", existing)
	}
	for _, o := range p.Decisions.Owners {
		for _, ko := range key.Owners {
			if strings.EqualFold(ko.Email, o.Email) && (ko.Match != "none") != (o.Resolution == decide.OwnerMatched) {
				t.Errorf("owner %s: resolution %s, the key says match %q", o.Email, o.Resolution, ko.Match)
			}
		}
	}
	checkFiles(t, p)
}

// checkFiles writes the plan's files and checks each is complete and readable.
func checkFiles(t *testing.T, p *Plan) {
	t.Helper()
	dir := t.TempDir()
	if err := p.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, MappingFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mapping.Parse(MappingFile, data); err != nil {
		t.Errorf("written mapping.yaml does not parse: %v", err)
	}
	data, err = os.ReadFile(filepath.Join(dir, DecisionsFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decide.Parse(DecisionsFile, data); err != nil {
		t.Errorf("written decisions.yaml does not parse: %v", err)
	}
	var report bytes.Buffer
	if err := p.WriteReport(&report); err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"## In short", "## Records per object", "## Duplicates", "## Decisions waiting",
		"## Pipelines and stages", "## Tags → labels", "## Owners", "## Mapping", "### Not migrated",
		"merge into existing Pipedrive"} {
		if !strings.Contains(report.String(), section) {
			t.Errorf("plan report lacks %q", section)
		}
	}
	if strings.Contains(report.String(), "Pipedrive was not read") {
		t.Error("report says Pipedrive was not read, but it was")
	}
}
