package gen

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins a small workspace byte for byte: any change to what the generator writes
// shows up as a readable diff. Refresh with `go test ./internal/gen -run Golden -update`.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	if _, err := New(Config{People: 25, Seed: 2026}).WriteHarvest(dir); err != nil {
		t.Fatal(err)
	}
	names := []string{KeyFile, ClustersFile}
	for _, k := range source.Kinds {
		names = append(names, source.HarvestFile[k])
	}
	for _, name := range names {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s differs from golden (-want +got):\n%s", name, diff)
		}
	}
}
