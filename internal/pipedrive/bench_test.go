package pipedrive_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
)

// BenchmarkCreatesAtBurstLimit makes 2,000 person creates (FERRY_BENCH_CREATES overrides) from
// 8 goroutines against the sandbox at a burst limit of 20 per 2 s, and reports the achieved
// rate as % of the allowed 10/s and the 429s the sandbox answered. FERRY_BENCH_LATENCY (a Go
// duration) adds server latency to every request. It takes about 200 s:
//
//	go test -run '^$' -bench CreatesAtBurstLimit -benchtime 1x ./internal/pipedrive
func BenchmarkCreatesAtBurstLimit(b *testing.B) {
	total := 2000
	if v, err := strconv.Atoi(os.Getenv("FERRY_BENCH_CREATES")); err == nil && v > 0 {
		total = v
	}
	latency, _ := time.ParseDuration(os.Getenv("FERRY_BENCH_LATENCY"))
	const burst, workers = 20, 8
	for range b.N {
		opts := sandbox.Options{Limits: true, Plan: "lite", Burst: burst, Faults: sandbox.Faults{Latency: latency}}
		c, sb := newSandbox(b, opts, func(cfg *pipedrive.Config) { cfg.Plan = "lite" })
		var next atomic.Int64
		var wg sync.WaitGroup
		var failed atomic.Int64
		start := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(total) {
					if _, err := c.CreatePerson(context.Background(), pipedrive.Entity{"name": "bench"}); err != nil {
						failed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		st := sb.Stats()
		// The first window is free: total creates need (total-burst)/burst further windows.
		allowed := float64(burst) / 2.0 // per second
		achieved := float64(total-burst) / elapsed.Seconds()
		b.ReportMetric(100*achieved/allowed, "%allowed")
		b.ReportMetric(float64(st.RateLimited), "429s")
		b.ReportMetric(float64(failed.Load()), "failed")
		b.ReportMetric(elapsed.Seconds(), "s")
		b.Logf("%d creates (server latency %v) in %v: %.2f/s of %.0f/s allowed, %d 429s, %d failed, sandbox saw %d requests",
			total, latency, elapsed.Round(time.Millisecond), achieved, allowed, st.RateLimited, failed.Load(), st.Requests)
	}
}
