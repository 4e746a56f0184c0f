package klipy_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/klipy"
	"ferry/internal/klipy/sandbox"
	"ferry/internal/source"
)

// BenchmarkExtract extracts a generated workspace (100,000 people with about 1,000,000
// interactions) from the sandbox, limits off, over real HTTP (httptest.Server) with the
// largest page the API allows. It reports records/s, the sandbox's load time and dataset
// memory, and the peak heap of the whole process (sandbox and client) while loading and
// while extracting. Run:
//
//	go test -run '^$' -bench Extract -benchtime 1x ./internal/klipy/
func BenchmarkExtract(b *testing.B) {
	for _, people := range benchPeople() {
		b.Run(fmt.Sprintf("people=%d", people), func(b *testing.B) {
			loadPeak := watchHeap()
			start := time.Now()
			key := sandbox.NewKey("new")
			s := sandbox.New(sandbox.Options{Source: gen.New(gen.Config{People: people, Seed: 1}),
				Keys: []sandbox.Key{{Value: key}}})
			if err := s.Err(); err != nil {
				b.Fatal(err)
			}
			load := time.Since(start)
			loadHeap := loadPeak()
			runtime.GC()
			peak := watchHeap()
			hs := httptest.NewServer(s)
			defer hs.Close()
			b.ResetTimer()
			var recs int
			for range b.N {
				c, err := klipy.NewClient(klipy.Config{BaseURL: hs.URL + "/api/v1", APIKey: key,
					PageSize: sandbox.MaxLimit, RatePerMinute: -1})
				if err != nil {
					b.Fatal(err)
				}
				m := newMemStore()
				st, err := klipy.Extract(context.Background(), c, m, func(r []source.Record) error {
					recs += len(r)
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				if st.People != s.Count(source.Person) || st.Interactions != s.Count(source.Interaction) {
					b.Fatalf("extracted %+v, sandbox holds %d people, %d interactions", st, s.Count(source.Person), s.Count(source.Interaction))
				}
			}
			b.StopTimer()
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(recs)/secs, "records/s")
			b.ReportMetric(secs/float64(b.N), "s/extract")
			b.ReportMetric(load.Seconds(), "load-s")
			b.ReportMetric(float64(s.MemoryBytes())/(1<<20), "dataset-MB")
			b.ReportMetric(float64(loadHeap)/(1<<20), "load-peak-heap-MB")
			b.ReportMetric(float64(peak())/(1<<20), "extract-peak-heap-MB")
			b.Logf("%d people, %d companies, %d interactions; %d records in %.1fs",
				s.Count(source.Person), s.Count(source.Company), s.Count(source.Interaction), recs, secs)
		})
	}
}

// watchHeap samples the live heap every 50 ms; the returned function stops and returns the peak.
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > peak.Load() {
			peak.Store(ms.HeapAlloc)
		}
	}
	wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak.Load()
	}
}

// benchPeople are the workspace sizes BenchmarkExtract runs; -short runs a small one only.
func benchPeople() []int {
	if testing.Short() {
		return []int{10_000}
	}
	return []int{100_000}
}
