package estimate_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/estimate"
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

// rulesMapping maps a Klipy "about" column onto a varchar person field (as plan does when
// Pipedrive already has a text field of that name: text and varchar are compatible) and a
// deal's currency column onto currency.
const rulesMapping = `version: 1
default_region: US
objects:
  - source: person
    target: person
    fields:
      - source: first_name
        target: name
      - source: about
        custom_field: About
        type: varchar
  - source: deal
    target: deal
    fields:
      - source: title
        target: title
      - source: currency
        target: currency
`

// TestPipedriveRulesPredictedAndNotSent: records whose create body breaks Pipedrive's
// documented rules — a varchar value over 255 characters, a currency that is not a 3-letter code —
// are predicted lost by the dry run (plan's and confirm's prediction) with the same reason
// class the run then records, and the run never sends them: the sandbox's request log has no
// refused create.
func TestPipedriveRulesPredictedAndNotSent(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec := func(kind source.Kind, id string, f map[string]string) source.Record {
		return source.Record{Kind: kind, ID: id, Channel: source.Harvest, Fields: f}
	}
	recs := []source.Record{
		rec(source.Person, "p1", map[string]string{"first_name": "Ann", "about": strings.Repeat("a", 255)}),
		rec(source.Person, "p2", map[string]string{"first_name": "Bob", "about": strings.Repeat("é", 256)}),
		rec(source.Deal, "d1", map[string]string{"title": "Renewal"}),
		rec(source.Deal, "d2", map[string]string{"title": "Upsell", "currency": "euros"}),
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Parse("mapping.yaml", []byte(rulesMapping))
	if err != nil {
		t.Fatal(err)
	}
	w, err := estimate.Simulate(ctx, st, estimate.Plan{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	predicted := map[source.Kind]map[string]int{}
	for _, p := range w.Phases {
		if len(p.Losses) > 0 {
			predicted[p.Kind] = p.Losses
		}
	}

	sb := sandbox.New(sandbox.Options{Seed: 1, LogRequests: true})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	client, err := pipedrive.New(pipedrive.Config{BaseURL: srv.URL, Token: sb.Token(), Burst: 400, SearchBurst: 400,
		Window: 20 * time.Millisecond, Retry: pipedrive.RetryPolicy{Instant: true, MaxAttempts: 3}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := migrate.New(migrate.Config{Client: client, Store: st, Mapper: migrate.FileMapper{M: m}, Workers: 2,
		Kinds: []source.Kind{source.Person, source.Deal}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Run(ctx); err != nil {
		t.Fatal(err)
	}
	ran := map[source.Kind]map[string]int{}
	for _, k := range []source.Kind{source.Person, source.Deal} {
		err := st.EachMapping(ctx, k, "", func(mp store.Mapping) error {
			if _, ok := migrate.Accounted(mp); !ok {
				if ran[k] == nil {
					ran[k] = map[string]int{}
				}
				ran[k][migrate.ReasonClass(migrate.LossReason(mp))]++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(predicted, ran); diff != "" {
		t.Errorf("losses predicted (-) and recorded by the run (+):\n%s", diff)
	}
	for _, k := range []source.Kind{source.Person, source.Deal} {
		if len(ran[k]) != 1 {
			t.Errorf("%s: losses %v, want the one record that breaks a rule", k, ran[k])
		}
	}
	t.Logf("losses: %v", ran)
	for class := range ran[source.Person] {
		if !strings.Contains(class, migrate.ErrRefused.Error()) || !strings.Contains(class, "longer than the 255 characters") {
			t.Errorf("person loss %q does not name the rule", class)
		}
	}
	for class := range ran[source.Deal] {
		if !strings.Contains(class, "3-letter currency code") {
			t.Errorf("deal loss %q does not name the rule", class)
		}
	}
	creates := 0
	for _, r := range sb.Requests() {
		if r.Method != "POST" || (r.Path != "/api/v2/persons" && r.Path != "/api/v2/deals") {
			continue
		}
		creates++
		if r.Status != 200 || strings.Contains(string(r.Body), "éé") || strings.Contains(string(r.Body), "euros") {
			t.Errorf("request log: %s %s answered %d with body %.80s: a body Pipedrive refuses was sent", r.Method, r.Path, r.Status, r.Body)
		}
	}
	if creates != 2 {
		t.Errorf("request log: %d person and deal creates, want 2 (the records that keep the rules)", creates)
	}
}
