package gen

import (
	"runtime"
	"sync"
)

// chunkSize is how many person records one unit of parallel work covers.
const chunkSize = 256

// ordered computes work(c) for chunks 0..n-1 on up to GOMAXPROCS goroutines and calls emit
// with the results in chunk order. At most a few chunks are held at once, so memory stays
// bounded. It stops at and returns the first error emit returns.
func ordered[T any](n int, work func(c int) T, emit func(T) error) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	if workers == 1 || n <= 1 {
		for c := range n {
			if err := emit(work(c)); err != nil {
				return err
			}
		}
		return nil
	}
	queue := make(chan chan T, 2*workers)
	done := make(chan struct{})
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	go func() {
		defer close(queue)
		for c := range n {
			slot := make(chan T, 1)
			select {
			case sem <- struct{}{}:
			case <-done:
				return
			}
			select {
			case queue <- slot:
			case <-done:
				<-sem
				return
			}
			wg.Go(func() {
				slot <- work(c)
				<-sem
			})
		}
	}()
	var err error
	for slot := range queue {
		if err != nil {
			continue // drain so the producer finishes
		}
		if err = emit(<-slot); err != nil {
			close(done)
		}
	}
	wg.Wait()
	return err
}

// chunks returns how many chunks cover n person records.
func chunks(n int) int { return (n + chunkSize - 1) / chunkSize }

// chunkRange returns the person records [from, to) of chunk c.
func chunkRange(c, n int) (int, int) { return c * chunkSize, min(n, (c+1)*chunkSize) }
