package estimate

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

const tinyMapping = `version: 1
default_region: US
objects:
  - source: company
    target: organization
    fields:
      - source: name
        target: name
  - source: person
    target: person
    on_missing_parent: hold
    fields:
      - source: first_name
        target: name
      - source: company_id
        target: org_id
        transforms: ['link:organization']
      - source: score
        custom_field: Score
        type: double
        transforms: ['parse_number:us']
`

// TestSimulateSettlesRecordsAsTheEngine dry-runs a tiny snapshot with dedupe merges: a
// created person, one whose company is missing (held: the mapping says on_missing_parent:
// hold; the default, unlink, would create it), a duplicate of a created survivor
// (merged), a survivor merged into an existing Pipedrive person (read + PATCH) and a
// duplicate of a held survivor (held).
func TestSimulateSettlesRecordsAsTheEngine(t *testing.T) {
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
		rec(source.Company, "c1", map[string]string{"name": "Acme"}),
		rec(source.Person, "p1", map[string]string{"first_name": "Ann", "company_id": "c1"}),
		rec(source.Person, "p2", map[string]string{"first_name": "Bob", "company_id": "c404"}),
		rec(source.Person, "p3", map[string]string{"first_name": "Ann"}),
		rec(source.Person, "p4", map[string]string{"first_name": "Cy"}),
		rec(source.Person, "p5", map[string]string{"first_name": "Bob"}),
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Parse("mapping.yaml", []byte(tinyMapping))
	if err != nil {
		t.Fatal(err)
	}
	merges := []migrate.Merge{
		{Kind: source.Person, Survivor: "p1", Members: []string{"p3"}},
		{Kind: source.Person, Survivor: "p2", Members: []string{"p5"}},
		{Kind: source.Person, Survivor: "p4", DestID: 77},
	}
	w, err := Simulate(ctx, st, Plan{Mapping: m, Merges: merges})
	if err != nil {
		t.Fatal(err)
	}
	want := []PhaseWork{
		{Kind: source.Company, Source: 1, Create: 1},
		{Kind: source.Person, Source: 5, Create: 1, MergeInto: 1, Merged: 1, Held: 2, Losses: map[string]int{
			"held: parent company not migrated":                1, // p2: company c404 is not in the snapshot
			"held: duplicate of a record that is not migrated": 1, // p5: its survivor p2 is held
		}, Lost: map[string][]LostRecord{ // each named, its survivor too
			"held: parent company not migrated": {{ID: "p2", Name: "Bob (p2)",
				Reason: "held: parent not migrated: company c404 is not migrated"}},
			"held: duplicate of a record that is not migrated": {{ID: "p5", Name: "Bob (p5), duplicate of Bob (p2)",
				Reason: "held: duplicate of Bob (p2), which is not migrated"}},
		}},
		{Kind: source.Deal}, {Kind: source.Interaction}, {Kind: source.Task}, {Kind: source.Note}, {Kind: source.Attachment},
	}
	if diff := cmp.Diff(want, w.Phases); diff != "" {
		t.Errorf("phases (-want +got):\n%s", diff)
	}
	wantFields := map[pipedrive.FieldEntity]int{pipedrive.PersonFields: 2, pipedrive.OrganizationFields: 1, pipedrive.DealFields: 2}
	if diff := cmp.Diff(wantFields, w.Schema.Fields); diff != "" {
		t.Errorf("fields created (-want +got):\n%s", diff)
	}
}
