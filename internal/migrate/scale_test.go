package migrate

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/pipedrive/costs"
	"ferry/internal/pipedrive/sandbox"
)

// TestEndToEndScale migrates FERRY_E2E_PEOPLE generated people at the generator's default
// density into a sandbox with limits off and runs the independent check of the sandbox
// against the generated data (counts, duplicates, links, owners, labels, stages, original
// timestamps, files), then a second run that must send nothing. It is a measurement: without
// FERRY_E2E_PEOPLE it does nothing (the same check runs at 150 people in every CI run).
func TestEndToEndScale(t *testing.T) {
	people, err := strconv.Atoi(os.Getenv("FERRY_E2E_PEOPLE"))
	if err != nil || people <= 0 {
		t.Skip("measurement only: set FERRY_E2E_PEOPLE=10000 to run it (the check itself runs at 150 people in TestRunEndToEndAndIdempotent)")
	}
	f := newFixtureGen(t, gen.Config{People: people, Seed: 17}, sandbox.Options{})
	start := time.Now()
	rep, err := f.engine(f.store).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	f.checkSandbox(rep)
	st := f.sb.Stats()
	create := 0
	for _, p := range rep.Phases {
		_, cost, _ := costs.Match("POST", createPath[p.Entity])
		create += p.Created * cost
		t.Log(p)
	}
	t.Logf("%d people: %s, %d requests, %d tokens, create cost %d, ratio %.3f", people, took.Round(time.Millisecond),
		st.Requests, st.Tokens, create, float64(st.Tokens)/float64(create))
	before := posts(st)
	if _, err := f.engine(f.store).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sent := posts(f.sb.Stats()) - before; sent != 0 {
		t.Errorf("the second run sent %d creates, want 0", sent)
	}
}

// posts counts the POST requests in a stats snapshot.
func posts(st sandbox.Stats) int {
	n := 0
	for ep, e := range st.Endpoints {
		if strings.HasPrefix(ep, "POST ") {
			n += e.Requests
		}
	}
	return n
}
