package migrate

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/pipedrive/costs"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/store/postgres/pgtest"
)

// createPath is the create endpoint of each id-map entity.
var createPath = map[string]string{"organization": "/api/v2/organizations", "person": "/api/v2/persons",
	"deal": "/api/v2/deals", "activity": "/api/v2/activities", "note": "/api/v1/notes", "file": "/api/v1/files"}

// BenchmarkRun migrates a generated workspace (FERRY_BENCH_PEOPLE people, default 1000, the
// generator's default density) into a sandbox with limits off, once per iteration, and
// reports wall time, requests, tokens and tokens ÷ the create cost of what was created.
func BenchmarkRun(b *testing.B) {
	benchRun(b, func(people int) *fixture { return newBenchFixture(b, people) })
}

// BenchmarkRunPostgres is BenchmarkRun with the state in the PostgreSQL test database.
func BenchmarkRunPostgres(b *testing.B) {
	url := pgtest.URL(b)
	benchRun(b, func(people int) *fixture {
		return newFixtureOn(b, gen.Config{People: people, Seed: 1}, sandbox.Options{}, pgStore{URL: url, Name: pgtest.Name(b, url)})
	})
}

func benchRun(b *testing.B, fixture func(people int) *fixture) {
	people := 1000
	if v, err := strconv.Atoi(os.Getenv("FERRY_BENCH_PEOPLE")); err == nil && v > 0 {
		people = v
	}
	for range b.N {
		b.StopTimer()
		f := fixture(people)
		b.StartTimer()
		start := time.Now()
		rep, err := f.engine(f.store).Run(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		st := f.sb.Stats()
		createTokens := 0
		for _, p := range rep.Phases {
			_, cost, _ := costs.Match("POST", createPath[p.Entity])
			createTokens += p.Created * cost
			b.Logf("%s", p)
		}
		b.ReportMetric(float64(st.Requests), "requests")
		b.ReportMetric(float64(st.Tokens), "tokens")
		b.ReportMetric(float64(st.Tokens)/float64(createTokens), "tokens/create-cost")
		b.Logf("%d people: %v, %d requests, %d tokens, create cost %d, ratio %.3f",
			people, took, st.Requests, st.Tokens, createTokens, float64(st.Tokens)/float64(createTokens))
	}
}
