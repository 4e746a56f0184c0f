package dedupe

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

// memPeak samples the Go runtime's memory obtained from the OS every few milliseconds.
type memPeak struct {
	stop   chan struct{}
	wg     sync.WaitGroup
	sys    atomic.Uint64
	inuse  atomic.Uint64
	sample time.Duration
}

func startMemPeak() *memPeak {
	m := &memPeak{stop: make(chan struct{}), sample: 20 * time.Millisecond}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(m.sample)
		defer t.Stop()
		for {
			m.read()
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memPeak) read() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.Sys > m.sys.Load() {
		m.sys.Store(ms.Sys)
	}
	if ms.HeapInuse > m.inuse.Load() {
		m.inuse.Store(ms.HeapInuse)
	}
}

func (m *memPeak) done() (sys, heap uint64) {
	close(m.stop)
	m.wg.Wait()
	m.read()
	return m.sys.Load(), m.inuse.Load()
}

// TestScale runs dedupe on a generated workspace of FERRY_SCALE_PEOPLE people (default
// 1,000,000) when FERRY_SCALE=1, and reports wall time and peak memory. With
// FERRY_SCALE_KEY=1 it also grades the result against the answer key (which generates the
// whole workspace once more).
func TestScale(t *testing.T) {
	if os.Getenv("FERRY_SCALE") != "1" {
		t.Skip("scale run: set FERRY_SCALE=1 (1,000,000 people; about a minute, ~1 GB)")
	}
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("FERRY_SCALE_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	d := gen.New(gen.Config{People: n, Seed: 11, InlineKeyLimit: n})
	runtime.GC()
	mp := startMemPeak()
	start := time.Now()
	res := run(t, genSource{d}, Options{DefaultRegion: "US"})
	wall := time.Since(start)
	sys, heap := mp.done()
	t.Logf("people %d companies %d: wall %s; peak Go memory from OS %.0f MiB, peak heap in use %.0f MiB",
		res.Stats.People, res.Stats.Companies, wall.Round(time.Millisecond), mib(sys), mib(heap))
	t.Logf("person clusters %d, distinct people %d, company clusters %d, name-variant clusters %d, refused %d",
		res.Stats.PersonClusters, res.Stats.DistinctPeople, res.Stats.CompanyClusters, res.Stats.NameVariantClusters, res.Stats.RefusedLinks)
	if os.Getenv("FERRY_SCALE_KEY") == "1" {
		key := d.Key()
		checkPeople(t, key, res)
		checkCompanies(t, key, res)
	}
}

// TestGenerationBaseline measures walking the generated workspace alone, so that TestScale's
// time can be split into generation and dedupe.
func TestGenerationBaseline(t *testing.T) {
	if os.Getenv("FERRY_SCALE") != "1" {
		t.Skip("scale run: set FERRY_SCALE=1")
	}
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("FERRY_SCALE_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	src := genSource{gen.New(gen.Config{People: n, Seed: 11})}
	start := time.Now()
	for range 2 { // dedupe walks each kind twice
		for _, k := range []source.Kind{source.Company, source.Person} {
			if err := src.EachRecord(t.Context(), k, func(source.Record) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("generating %d people and their companies twice: %s", n, time.Since(start).Round(time.Millisecond))
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// BenchmarkRun measures a run over 20,000 generated people (generation included; see
// TestGenerationBaseline for its share).
func BenchmarkRun(b *testing.B) {
	src := genSource{gen.New(gen.Config{People: 20_000, Seed: 3})}
	for b.Loop() {
		run(b, src, Options{DefaultRegion: "US"})
	}
	b.ReportMetric(float64(b.N*20_000)/b.Elapsed().Seconds(), "people/s")
}

// TestScaleSQLite runs dedupe from a SQLite state store holding FERRY_SCALE_PEOPLE generated
// people (default 200,000) when FERRY_SCALE=1: the path ferry plan takes. Loading the store
// is not timed.
func TestScaleSQLite(t *testing.T) {
	if os.Getenv("FERRY_SCALE") != "1" {
		t.Skip("scale run: set FERRY_SCALE=1")
	}
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("FERRY_SCALE_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := gen.New(gen.Config{People: n, Seed: 11})
	load := time.Now()
	for _, k := range []source.Kind{source.Company, source.Person} {
		var recs []source.Record
		flush := func() error {
			_, err := st.PutRecords(t.Context(), recs)
			recs = recs[:0]
			return err
		}
		err := d.Each(k, func(r source.Record) error {
			if recs = append(recs, r); len(recs) == 10_000 {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("loaded %d people into SQLite in %s", n, time.Since(load).Round(time.Millisecond))
	walk := time.Now()
	if err := st.EachRecord(t.Context(), source.Person, func(source.Record) error { return nil }); err != nil {
		t.Fatal(err)
	}
	t.Logf("one bare walk of the people: %s", time.Since(walk).Round(time.Millisecond))
	runtime.GC()
	mp := startMemPeak()
	start := time.Now()
	res := run(t, st, Options{DefaultRegion: "US"})
	wall := time.Since(start)
	sys, heap := mp.done()
	t.Logf("from SQLite: people %d companies %d: wall %s; peak Go memory from OS %.0f MiB, peak heap in use %.0f MiB; person clusters %d",
		res.Stats.People, res.Stats.Companies, wall.Round(time.Millisecond), mib(sys), mib(heap), res.Stats.PersonClusters)
}
