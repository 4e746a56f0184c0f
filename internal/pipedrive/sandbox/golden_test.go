package sandbox

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGoldenSeed pins what a fresh sandbox serves for its seeded schema, so a change to
// built-in fields, labels, pipelines or activity types is a visible diff.
func TestGoldenSeed(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Now: clock.Now, Seed: 1})
	for name, path := range map[string]string{
		"v2_person_fields.json":  "/api/v2/personFields?limit=500",
		"v2_deal_fields.json":    "/api/v2/dealFields?limit=500",
		"v1_person_fields.json":  "/api/v1/personFields",
		"v2_stages.json":         "/api/v2/stages",
		"v1_activity_types.json": "/api/v1/activityTypes",
	} {
		t.Run(name, func(t *testing.T) {
			got := e.do("GET", path, nil)
			if got.status != 200 {
				t.Fatalf("GET %s: %d", path, got.status)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, []byte(got.raw), "", "  "); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("testdata", name)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGoldenSeed -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), pretty.String()); diff != "" {
				t.Errorf("GET %s differs from %s (-want +got):\n%s", path, file, diff)
			}
		})
	}
}
