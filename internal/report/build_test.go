package report

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// ranStore builds a store as the engine leaves it after a run and a rollback: records,
// quarantine, id map, reconciliation cursors, journal and confirmed decisions.
func ranStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var recs []source.Record
	for _, id := range []string{"c1", "c2", "c3"} {
		recs = append(recs, source.Record{Kind: source.Company, ID: id, Channel: source.Harvest, Fields: map[string]string{"name": "Acme " + id}})
	}
	for _, id := range []string{"p1", "p2"} {
		recs = append(recs, source.Record{Kind: source.Person, ID: id, Channel: source.Harvest, Fields: map[string]string{"email": id + "@x.com"}})
	}
	_, err = st.PutRecords(ctx, recs)
	must(err)
	must(st.Quarantine(ctx, store.QuarantineItem{Kind: source.Person, File: "people.csv", Line: 7, Column: "Email", Reason: "broken quoting", Raw: "p9,\"x"}))
	must(st.Quarantine(ctx, store.QuarantineItem{Kind: source.Person, File: "people.csv", Line: 3, Reason: "mapping: bad email", Raw: "klipy id p2"}))
	run, err := st.StartRun(ctx, "run", "")
	must(err)
	for _, m := range []store.Mapping{
		{Kind: source.Company, SourceID: "c1", Entity: "organization", DestID: 11, State: store.Done},
		{Kind: source.Company, SourceID: "c2", Entity: "organization", DestID: 11, State: store.Merged, Reason: "duplicate of c1"},
		{Kind: source.Company, SourceID: "c3", Entity: "organization", State: store.Failed, Reason: "HTTP 400: name is required"},
		{Kind: source.Person, SourceID: "p1", Entity: "person", DestID: 21, State: store.InFlight},
		{Kind: source.Person, SourceID: "p2", Entity: "person", State: store.Skipped, Reason: "quarantined: bad email"},
		{Kind: source.Attachment, SourceID: "a1", Entity: "file", State: store.Failed, Reason: "file too large"},
	} {
		m.RunID = run.ID
		must(st.PutMapping(ctx, m))
	}
	// The cursors as migrate.Reconciliation marshals them.
	must(st.PutCursor(ctx, "migrate.reconcile.company", `{"run_id":1,"kind":"company","entity":"organization",`+
		`"source":3,"created":1,"merged":1,"skipped_by_rule":0,"quarantined":0,"failed":1,"held":0,"open":0}`))
	must(st.PutCursor(ctx, "migrate.reconcile.person", `{"run_id":1,"kind":"person","entity":"person",`+
		`"source":3,"created":0,"merged":0,"skipped_by_rule":0,"quarantined":2,"failed":0,"held":0,"open":1,`+
		`"unaccounted":["p1 (in_flight)"]}`))
	for _, e := range []store.JournalEntry{
		{Op: "schema_create", Entity: "field:personFields", DestID: "abc123", Undo: []byte(`{"delete_field":"personFields","field_code":"abc123"}`)},
		{Op: "schema_create", Entity: "label_option:personFields", DestID: "5", Undo: []byte(`{"delete_label":"personFields","field_id":9,"option_id":5,"label":"VIP"}`)},
		{Op: "create", Entity: "organization", DestID: "11", SourceID: "c1", Undo: []byte(`{"delete":"organization","id":11}`)},
	} {
		e.RunID = run.ID
		_, err := st.AppendJournal(ctx, e)
		must(err)
	}
	must(st.AddSpend(ctx, store.Spend{Day: "2026-11-28", Endpoint: "POST /api/v2/persons", Calls: 2, Tokens: 20}))
	must(st.AddSpend(ctx, store.Spend{Day: "2026-11-27", Endpoint: "GET /api/v2/pipelines", Calls: 1, Tokens: 5}))
	must(st.FinishRun(ctx, run.ID, "done"))
	rb, err := st.StartRun(ctx, "rollback", "")
	must(err)
	must(st.MarkUndone(ctx, 3))
	must(st.FinishRun(ctx, rb.ID, "done"))
	putConfirmed(t, st, "pipelines", []decide.PipelineMap{{Klipy: "Sales", Deals: 4, Action: decide.ActionCreate, Target: "Sales",
		Stages: []decide.StageMap{{Klipy: "New", Deals: 3, Target: "New"}, {Klipy: "Won", Deals: 1, Status: "won"}}}})
	putConfirmed(t, st, "owners", []decide.Owner{{Klipy: "Ann <ann@x.com>", Email: "ann@x.com", Records: 5,
		Resolution: decide.OwnerMatched, Target: "ann@x.com", MatchedBy: "email"}})
	return st
}

func putConfirmed(t *testing.T, st store.Store, kind string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutDecision(context.Background(), store.Decision{Kind: kind, Key: "confirmed", Value: data}); err != nil {
		t.Fatal(err)
	}
}

func buildRan(t *testing.T) *Report {
	t.Helper()
	r, err := Build(context.Background(), Inputs{Store: ranStore(t), Dir: t.TempDir(), Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBuildAfterRun(t *testing.T) {
	r := buildRan(t)
	noRun := func(k source.Kind) Phase { return Phase{Kind: k, Status: StatusNoRun} }
	wantPhases := []Phase{
		{Kind: source.Company, Entity: "organization", Status: PhaseBalanced, RunID: 1, Source: 3, Created: 1, Merged: 1, Failed: 1},
		{Kind: source.Person, Entity: "person", Status: PhaseUnbalanced, RunID: 1, Source: 3, Quarantined: 2, Open: 1,
			Unaccounted: []string{"p1 (in_flight)"}},
		noRun(source.Deal), noRun(source.Interaction), noRun(source.Note), noRun(source.Task), noRun(source.Attachment),
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"reconciliation", r.Reconciliation, wantPhases},
		{"schema", r.SchemaCreated, []SchemaItem{
			{Seq: 1, RunID: 1, What: "field", Detail: "personFields", DestID: "abc123"},
			{Seq: 2, RunID: 1, What: "label_option", Detail: "personFields", DestID: "5", Label: "VIP"},
		}},
		{"pipelines", r.Pipelines, Pipelines{From: FromConfirmed, Stages: []StageRow{
			{KlipyPipeline: "Sales", PipelineDeals: 4, Action: "create", PipedrivePipeline: "Sales", KlipyStage: "New", StageDeals: 3, PipedriveStage: "New"},
			{KlipyPipeline: "Sales", PipelineDeals: 4, Action: "create", PipedrivePipeline: "Sales", KlipyStage: "Won", StageDeals: 1, Status: "won"},
		}}},
		{"owners", r.Owners, Owners{From: FromConfirmed, Rows: []OwnerRow{{Klipy: "Ann <ann@x.com>", Email: "ann@x.com",
			Records: 5, Resolution: "matched", Target: "ann@x.com", MatchedBy: "email"}}}},
		{"applied merges", r.Dedupe.Applied, []AppliedMergeRow{{Kind: source.Company, SourceID: "Acme c2 (c2)", Entity: "organization",
			DestID: 11, Reason: "duplicate of Acme c1 (c1)", RunID: 1}}},
		{"not migrated (store part)", r.NotMigrated[:4], []NotMigrated{
			{Category: NotQuarantined, Object: source.Person, Item: "p9,\"x", Location: "people.csv:7:Email", Reason: "broken quoting"},
			{Category: NotQuarantined, Object: source.Person, Item: "<p2@x.com> (p2)", Location: "people.csv:3", Reason: "mapping: bad email"},
			{Category: NotAttachment, Object: source.Attachment, Item: "a1", Reason: "failed: file too large"},
			{Category: NotRun, Object: source.Company, Item: "Acme c3 (c3)", Reason: "failed: HTTP 400: name is required"},
		}},
		{"api spend", r.Spend, []Spend{
			{Day: "2026-11-27", Endpoint: "GET /api/v2/pipelines", Calls: 1, Tokens: 5},
			{Day: "2026-11-28", Endpoint: "POST /api/v2/persons", Calls: 2, Tokens: 20},
		}},
		{"delta", r.Delta, CutoverSummary{Status: StatusNoneYet, Runs: []Run{}}},
		{"rollback", r.Rollback, CutoverSummary{Status: "ran", Runs: []Run{{ID: 2, Kind: "rollback", Status: "done"}}, Undone: 1, Writes: 3}},
		{"plan sections", []string{r.Fields.From, r.Dedupe.From, r.Verification.Status},
			[]string{StatusNotPlanned, StatusNotPlanned, StatusNotVerified}},
	}
	ignoreTimes := cmpopts.IgnoreFields(Run{}, "StartedAt", "FinishedAt")
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got, ignoreTimes, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
	if len(r.Runs) != 2 || r.Runs[0].Writes != 3 || r.Runs[0].FinishedAt == nil {
		t.Errorf("runs = %+v, want run 1 with 3 writes and a finish time, then the rollback", r.Runs)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := buildRan(t)
	data, err := JSON(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("report.json does not decode: %v", err)
	}
	if diff := cmp.Diff(r, &back, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("JSON round trip (-built +decoded):\n%s", diff)
	}
	if !strings.Contains(string(data), `"generated_at": "2026-11-28T12:00:00Z"`) {
		t.Errorf("report.json lacks the injected time:\n%s", data[:200])
	}
}

func TestMarkdownAfterRun(t *testing.T) {
	md := string(Markdown(buildRan(t)))
	for _, want := range []string{
		"| company | organization | balanced | 1 | 3 | 1 | 1 | 0 | 0 | 1 | 0 | 0 |",
		"| person | person | unbalanced | 1 | 3 | 0 | 0 | 0 | 2 | 0 | 0 | 1 |",
		"person: 1 record(s) unaccounted, first: p1 (in_flight)",
		"| deal |  | no run yet |  | 0 |",
		"Status: **not verified yet**.",
		"| 2 | 1 | label_option | personFields | 5 |  | VIP | no |",
		"- run 2 (done) started ",
		"Journal entries undone: 1 of 3.",
		"Pipedrive API budget spent: 25 token(s) in 3 call(s) over 2 day(s)",
		"## Delta\n\nNone yet: no delta has run.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}
