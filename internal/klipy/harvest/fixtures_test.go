package harvest

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ferry/internal/sharedtest"
	"ferry/internal/source"
)

// fixtureWant is what reading one hand-made folder must give.
type fixtureWant struct {
	rows        map[source.Kind]int // data rows per file (all of them load unless quarantined below)
	quarantined map[string]bool     // "attachments.csv:3"
	encodings   map[string]string   // file → encoding, when it matters
	filled      map[source.Kind][]string
	hints       map[source.Kind]map[string]string
	synthesized map[source.Kind]bool // files without an id column
}

var fixtureWants = map[string]fixtureWant{
	"sheets-export": {
		rows: map[source.Kind]int{source.Owner: 3, source.Company: 6, source.Person: 12, source.Deal: 8,
			source.Interaction: 9, source.Note: 5, source.Task: 3, source.Attachment: 2},
		filled: map[source.Kind][]string{
			source.Owner:       {"name", "email"},
			source.Person:      {"email", "first_name", "company_name", "owner"},
			source.Company:     {"name", "domain", "owner"},
			source.Deal:        {"person_email", "company_name", "owner", "stage", "status"},
			source.Interaction: {"person_emails", "created_by", "interaction_date", "type"},
			source.Note:        {"company_name", "author", "body"}, // N-05 names only its company
			source.Task:        {"person_email", "owner", "title"},
			source.Attachment:  {"path", "file_name", "person_email"},
		},
		hints:       map[source.Kind]map[string]string{source.Interaction: {"duration_minutes": HintMinutes}},
		synthesized: map[source.Kind]bool{source.Owner: true, source.Company: true, source.Person: true},
	},
	"excel-eu": {
		rows: map[source.Kind]int{source.Owner: 3, source.Company: 6, source.Person: 14, source.Deal: 7,
			source.Interaction: 9, source.Note: 4, source.Task: 3, source.Attachment: 2},
		encodings: map[string]string{"people.csv": EncodingWindows, "owners.csv": EncodingWindows,
			"interactions.csv": EncodingUTF8},
		filled: map[source.Kind][]string{
			source.Owner:       {"name", "email", "active"},
			source.Person:      {"email", "first_name", "last_name", "company_name", "owner", "country"},
			source.Company:     {"name", "domain", "owner", "city"},
			source.Deal:        {"person_id", "company_name", "owner", "stage", "stage_history", "value"},
			source.Interaction: {"person_emails", "created_by", "interaction_date", "deal_id"},
			source.Note:        {"person_id", "author", "body"},
			source.Task:        {"person_id", "owner", "title", "due_date", "done"},
			source.Attachment:  {"path", "file_name", "person_id"},
		},
		hints: map[source.Kind]map[string]string{source.Interaction: {"interaction_date": HintEpochMillis,
			"duration_minutes": HintMinutes}},
	},
	"crm-dump": {
		rows: map[source.Kind]int{source.Owner: 3, source.Company: 8, source.Person: 16, source.Deal: 9,
			source.Interaction: 10, source.Note: 5, source.Task: 3, source.Attachment: 2},
		quarantined: map[string]bool{"attachments.csv:3": true}, // the wrong checksum, refused in expected.json
		filled: map[source.Kind][]string{
			source.Owner:       {"name", "email", "first_name", "active"},
			source.Person:      {"email", "owner"}, // 51014, a freelancer, has no company
			source.Company:     {"name", "website", "owner"},
			source.Deal:        {"person_id", "owner", "stage"},
			source.Interaction: {"person_ids", "created_by", "interaction_date", "type"},
			source.Note:        {"person_id", "author", "body"},
			source.Task:        {"person_id", "owner", "title"},
			source.Attachment:  {"path", "file_name", "sha256"},
		},
		hints: map[source.Kind]map[string]string{source.Attachment: {"size_bytes": HintBytes}},
	},
}

// TestHandMadeFixtures reads each folder of the hand-made corpus (files ferry did not
// write) twice and checks the snapshot: every row of every file loaded or quarantined for
// its named reason, the kinds right, the reference fields filled on every record, ids stable
// across the two reads, no garbled umlauts, and the hints of unit-bearing headers.
func TestHandMadeFixtures(t *testing.T) {
	base := sharedtest.Require(t, "fixtures/harvests")
	for name, want := range fixtureWants {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(base, name)
			res := readAll(t, dir, Options{})
			if res.Error != "" {
				t.Fatalf("read error: %s", res.Error)
			}
			checkAccounting(t, res)
			for _, f := range res.Stats.Files {
				if f.Rows != want.rows[f.Kind] {
					t.Errorf("%s: %d rows, want %d", f.File, f.Rows, want.rows[f.Kind])
				}
				if enc, ok := want.encodings[f.File]; ok && f.Encoding != enc {
					t.Errorf("%s read as %s, want %s", f.File, f.Encoding, enc)
				}
				if (f.Synthesized > 0) != want.synthesized[f.Kind] || (want.synthesized[f.Kind] && f.Synthesized != f.Loaded) {
					t.Errorf("%s: %d of %d ids synthesized", f.File, f.Synthesized, f.Loaded)
				}
			}
			if len(res.Stats.Files) != len(source.Kinds) {
				t.Errorf("%d files read, want %d", len(res.Stats.Files), len(source.Kinds))
			}
			for _, q := range res.Quarantine {
				if key := q.File + ":" + strconv.Itoa(q.Line); !want.quarantined[key] {
					t.Errorf("unexpected quarantine %s %s: %s", key, q.Column, q.Reason)
				}
			}
			if len(res.Quarantine) != len(want.quarantined) {
				t.Errorf("%d rows quarantined, want %d", len(res.Quarantine), len(want.quarantined))
			}
			checkFixtureRecords(t, res, want)
			again := readAll(t, dir, Options{})
			if len(again.Records) != len(res.Records) {
				t.Fatalf("second read: %d records, first %d", len(again.Records), len(res.Records))
			}
			for i, r := range res.Records {
				if again.Records[i].ID != r.ID || again.Records[i].Hash() != r.Hash() {
					t.Errorf("%s: id or content changed between two reads (%s → %s)", r.Origin, r.ID, again.Records[i].ID)
				}
			}
			hints := res.Stats.Columns.Hints()
			for kind, fields := range want.hints {
				for field, h := range fields {
					if hints[kind][field] != h {
						t.Errorf("%s.%s: hint %q, want %q", kind, field, hints[kind][field], h)
					}
				}
			}
		})
	}
}

// checkFixtureRecords checks the fields every record of a kind must have and looks for
// mojibake.
func checkFixtureRecords(t *testing.T, res result, want fixtureWant) {
	t.Helper()
	ids := map[string]bool{}
	for _, r := range res.Records {
		key := string(r.Kind) + "/" + r.ID
		if ids[key] {
			t.Errorf("%s: id %s given twice", r.Origin, key)
		}
		ids[key] = true
		if r.Channel != source.Harvest || !strings.HasPrefix(r.Origin, source.HarvestFile[r.Kind]+":") {
			t.Errorf("%s: kind %s channel %s", r.Origin, r.Kind, r.Channel)
		}
		for _, f := range want.filled[r.Kind] {
			if strings.TrimSpace(r.Fields[f]) == "" {
				t.Errorf("%s: %s %s has no %s: %v", r.Origin, r.Kind, r.ID, f, r.Fields)
			}
		}
		for f, v := range r.Fields {
			if strings.ContainsAny(v, "\uFFFD\u00C3\u00C2") {
				t.Errorf("%s: %s = %q is garbled", r.Origin, f, v)
			}
		}
	}
}
