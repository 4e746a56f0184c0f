package migrate

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"ferry/internal/pipedrive/sandbox"
)

// TestLostResponsesWithSearchLag: Pipedrive's search index lags behind writes, so a lookup
// by search right after a lost create finds nothing and the record would be sent twice. With
// the sandbox's search lagging 5 s behind every create and 10% of responses lost (the write
// applied, the answer dropped), the run must still leave every record exactly once, read back
// from the sandbox. The default run makes a few hundred creates in about a second (the lag
// costs no wall time: lookups no longer search); FERRY_SEARCHLAG_PEOPLE=N sizes it up. Measured
// once with N=260: 1,035 creates, 123 lost responses, 0 duplicates, 1.8 s. The same test with
// lookups by itemSearch/field (the code before) leaves duplicates.
func TestLostResponsesWithSearchLag(t *testing.T) {
	people := 60
	if v := os.Getenv("FERRY_SEARCHLAG_PEOPLE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("FERRY_SEARCHLAG_PEOPLE=%q: want a positive number", v)
		}
		people = n
	}
	f := newFixtureOpts(t, people, 29, sandbox.Options{SearchLag: 5 * time.Second})
	f.sb.SetFaults(sandbox.Faults{LostResponseRate: 0.1, Seed: 5})
	start := time.Now()
	rep, err := f.engine(f.store).Run(context.Background())
	if err != nil {
		t.Fatalf("run with lost responses and a lagging search: %v", err)
	}
	lost := 0
	for _, e := range f.sb.Stats().Endpoints {
		lost += e.Status["lost"]
	}
	if lost == 0 {
		t.Fatal("no response was lost: the test proves nothing")
	}
	t.Logf("%d creates (POSTs), %d lost responses, %d Klipy ID lookups, %s", f.posts(), lost, f.lookups(), time.Since(start).Round(time.Millisecond))
	f.checkSandbox(rep)
}
