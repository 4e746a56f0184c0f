package dedupe

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestGoldenResult pins the JSON that ferry plan writes for a small messy snapshot: a
// person cluster by email, phone and LinkedIn with a nickname, a refused switchboard link,
// a company cluster by domain plus a no-domain record by name, and destination matches.
func TestGoldenResult(t *testing.T) {
	src := sliceSource{
		source.Company: {
			company("c1", "name", "Acme Inc.", "domain", "acme.com", "country", "US", "created_at", "2023-01-01T00:00:00Z"),
			company("c2", "name", "ACME", "website", "https://www.acme.com/about", "industry", "Software"),
			company("c3", "name", "Acme, Inc"),
			company("c4", "name", "Nord GmbH", "domain", "nord.de", "country", "DE"),
		},
		source.Person: {
			person("p1", "first_name", "William", "last_name", "Walker", "email", `"Bill" <BILL@acme.com>`,
				"company_id", "c1", "created_at", "2023-02-01T00:00:00Z", "tags", "VIP"),
			person("p2", "first_name", "Bill", "last_name", "Walker", "email", "bill@acme.com",
				"phone", "(415) 555-0132", "company_id", "c2", "tags", "vip;Board"),
			person("p3", "first_name", "Will", "last_name", "Walker", "phone", "+1 415 555 0132",
				"linkedin_url", "uk.linkedin.com/in/wwalker/"),
			person("p4", "first_name", "Jane", "last_name", "Roe", "email", "jane@acme.com",
				"phone", "+1 415 555 0132"),
			person("p5", "first_name", "Jürgen", "last_name", "Köhler", "email", "j@nord.de",
				"phone", "030 1234567", "company_id", "c4"),
		},
	}
	dest := &Destination{
		Persons:       []DestPerson{{ID: 7, Name: "Jürgen K", Emails: []string{"J@Nord.de"}}},
		Organizations: []DestOrg{{ID: 3, Name: "Acme Corporation", Website: "acme.com"}},
	}
	res := run(t, src, Options{DefaultRegion: "US", Destination: dest})
	res.Stats.ElapsedMillis = 0
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "result.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
		t.Errorf("result JSON (-golden +got):\n%s", diff)
	}
}
