package plan

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/gen"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

// TestPlanScale builds the plan of the state store named by FERRY_PLAN_STATE (for example a
// workspace filled by `ferry gen snapshot --people 1000000`) with ferry plan's collector settings,
// and reports the time of each stage and the peak resident memory. It is a measurement: without the
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
	defer TuneCollector()()
	runtime.GC()
	stop := make(chan struct{})
	peak := make(chan [2]float64)
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
	rss := <-peak
	for _, s := range p.Stages {
		t.Logf("%-32s %s", s.Name, s.Took.Round(time.Millisecond))
	}
	total := 0
	for _, n := range p.Counts {
		total += n
	}
	t.Logf("%-32s %s", "write the files", write.Round(time.Millisecond))
	t.Logf("%d records (%d people): built and written in %s; peak resident memory %.0f MiB, %.0f s in",
		total, p.Counts["person"], (p.Took + write).Round(time.Millisecond), rss[0]/(1<<20), rss[1])
}

// samplePeak reports the largest resident set size seen until stop closes, and when it was
// seen (measured from the start), read from /proc/self/statm every 50 ms.
func samplePeak(stop <-chan struct{}, out chan<- [2]float64) {
	start, page := time.Now(), float64(os.Getpagesize())
	var peak [2]float64
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile("/proc/self/statm"); err == nil {
			var size, rss float64
			fmt.Sscan(string(b), &size, &rss)
			if rss*page > peak[0] {
				peak = [2]float64{rss * page, time.Since(start).Seconds()}
			}
		}
		select {
		case <-stop:
			out <- peak
			return
		case <-tick.C:
		}
	}
}

// TestPlanSameOnAnyCoreCount builds the plan of a snapshot of several pages with one core and
// with two: the profile, mapping and decisions must not depend on the machine.
func TestPlanSameOnAnyCoreCount(t *testing.T) {
	st := generatedStore(t, gen.Config{People: 2500, Seed: 9})
	build := func(procs int) *Plan {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		p, err := Build(t.Context(), st, Destination{}, Options{DefaultRegion: "US", MergePolicy: dedupe.FillBlanks})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	one, two := build(1), build(2)
	if one.Counts[source.Interaction] < 3000 {
		t.Fatalf("only %d interactions: the scan does not cross pages", one.Counts[source.Interaction])
	}
	if diff := cmp.Diff(one.Profile, two.Profile); diff != "" {
		t.Errorf("profile differs between 1 and 2 cores:\n%s", diff)
	}
	for name, write := range map[string]func(*Plan, *bytes.Buffer) error{
		"mapping.yaml":   func(p *Plan, b *bytes.Buffer) error { return mapping.Write(b, p.Mapping) },
		"decisions.yaml": func(p *Plan, b *bytes.Buffer) error { return decide.Write(b, p.Decisions) },
	} {
		var a, b bytes.Buffer
		if err := errors.Join(write(one, &a), write(two, &b)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a.String(), b.String()); diff != "" {
			t.Errorf("%s differs between 1 and 2 cores:\n%s", name, diff)
		}
	}
}

// TestBuildReportsProgress checks that Build tells Options.Progress about the profile (up to
// every record of the snapshot) and about dedupe's steps.
func TestBuildReportsProgress(t *testing.T) {
	st := generatedStore(t, gen.Config{People: 300, Seed: 3})
	var mu sync.Mutex
	last := map[string]int{}
	p, err := Build(t.Context(), st, Destination{}, Options{DefaultRegion: "US", Progress: func(step string, n int) {
		mu.Lock()
		defer mu.Unlock()
		last[step] = max(last[step], n)
	}})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range p.Counts {
		total += n
	}
	want := map[string]int{"profile": total, "dedupe: read company": p.Counts[source.Company],
		"dedupe: read person": p.Counts[source.Person]}
	for step, n := range want {
		if last[step] != n {
			t.Errorf("progress of %q ended at %d; want %d (all steps: %v)", step, last[step], n, last)
		}
	}
	if last["dedupe: merge person"] == 0 {
		t.Errorf("no progress for merging people's clusters: %v", last)
	}
}

// generatedStore loads a generated workspace into a fresh snapshot (as ferry gen snapshot does).
func generatedStore(t *testing.T, cfg gen.Config) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := gen.New(cfg)
	for _, k := range source.Kinds {
		if _, err := st.LoadRecords(t.Context(), func(put func(source.Record) error) error { return d.Each(k, put) }); err != nil {
			t.Fatal(err)
		}
	}
	return st
}
