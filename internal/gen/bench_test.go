package gen

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ferry/internal/source"
)

// BenchmarkGenerate100k writes the full harvest of 100,000 people (about a million
// interactions) to a temporary folder.
func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		if _, err := New(Config{People: 100_000, Seed: 1}).WriteHarvest(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEach100k streams every record of every kind of 100,000 people through Each.
func BenchmarkEach100k(b *testing.B) {
	for b.Loop() {
		d := New(Config{People: 100_000, Seed: 1})
		for _, k := range source.Kinds {
			if err := d.Each(k, func(source.Record) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// peakHeap samples HeapInuse every few milliseconds until stop is called and returns the
// largest value seen.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// TestScale measures wall time and peak heap of a full harvest at GEN_SCALE people (for
// example GEN_SCALE=1000000); GEN_SCALE_DIR keeps the output in that folder. Without
// GEN_SCALE it does nothing: it is a measurement, too slow for every run.
func TestScale(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("GEN_SCALE"))
	if err != nil || n <= 0 {
		t.Skip("measurement only: set GEN_SCALE=<people> to run it")
	}
	dir := os.Getenv("GEN_SCALE_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	stop := peakHeap()
	start := time.Now()
	k, err := New(Config{People: n, Seed: 1}).WriteHarvest(dir)
	elapsed := time.Since(start)
	peak := stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("people=%d records=%v wall=%s peak HeapInuse=%.1f MiB", n, k.Records, elapsed,
		float64(peak)/(1<<20))
	if peak > 500<<20 {
		t.Errorf("peak heap %d MiB, want under 500", peak>>20)
	}
}

// BenchmarkPerson generates one person record.
func BenchmarkPerson(b *testing.B) {
	d := New(Config{People: 100_000, Seed: 1})
	i := 0
	for b.Loop() {
		d.person(i % 100_000)
		i++
	}
}
