package plan

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"ferry/internal/plan/dedupe"
	"ferry/internal/store/sqlite"
)

// TestPlanScale builds the plan of the state store named by FERRY_PLAN_STATE (for example a
// workspace filled by `ferry gen snapshot --people 1000000`) under ferry plan's memory limit,
// and reports the time of each stage and the peak memory. It is a measurement: without the
// variable it does nothing.
func TestPlanScale(t *testing.T) {
	path := os.Getenv("FERRY_PLAN_STATE")
	if path == "" {
		t.Skip("measurement only: set FERRY_PLAN_STATE to a state.db (ferry gen snapshot fills one)")
	}
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 30))
	runtime.GC()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go samplePeak(stop, peak)
	p, err := Build(t.Context(), st, Destination{}, Options{DefaultRegion: "US", MergePolicy: dedupe.FillBlanks})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if err := p.WriteFiles(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	write := time.Since(t0)
	close(stop)
	sys := <-peak
	for _, s := range p.Stages {
		t.Logf("%-32s %s", s.Name, s.Took.Round(time.Millisecond))
	}
	total := 0
	for _, n := range p.Counts {
		total += n
	}
	t.Logf("%-32s %s", "write the files", write.Round(time.Millisecond))
	t.Logf("%d records (%d people): built and written in %s; peak memory from the OS %.0f MiB",
		total, p.Counts["person"], (p.Took + write).Round(time.Millisecond), float64(sys)/(1<<20))
}

// samplePeak reports the largest runtime.MemStats.Sys seen until stop closes.
func samplePeak(stop <-chan struct{}, out chan<- uint64) {
	var peak uint64
	var ms runtime.MemStats
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.Sys)
		select {
		case <-stop:
			out <- peak
			return
		case <-tick.C:
		}
	}
}
