package dedupe

import (
	"context"
	"runtime"
	"sync"

	"ferry/internal/source"
)

// batchSize is how many records one unit of key work covers.
const batchSize = 256

// batch is a run of records whose items are computed by a worker.
type batch struct {
	recs  []source.Record
	items []item
	st    keyStats
	done  chan struct{}
}

// readItems walks the records of kind, computes each record's item with mk on up to
// GOMAXPROCS workers (normalising phones is the costly part of a run) and hands the items to
// commit in src's order, on one goroutine. At most a few batches are in flight, so memory
// stays bounded. It tells progress how many items it has committed. It returns src's error.
func readItems(ctx context.Context, src Records, kind source.Kind, mk func(source.Record, *keyStats) item,
	commit func(item), st *keyStats, progress func(int)) error {
	workers := max(1, runtime.GOMAXPROCS(0))
	work, order := make(chan *batch, workers), make(chan *batch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range work {
				b.items = make([]item, len(b.recs))
				for i, rec := range b.recs {
					b.items[i] = mk(rec, &b.st)
				}
				b.recs = nil
				close(b.done)
			}
		})
	}
	committed := make(chan struct{})
	go func() {
		defer close(committed)
		n := 0
		for b := range order {
			<-b.done
			for _, it := range b.items {
				commit(it)
			}
			st.addAll(b.st)
			n += len(b.items)
			progress(n)
		}
	}()
	cur := &batch{done: make(chan struct{})}
	send := func() {
		order <- cur
		work <- cur
		cur = &batch{done: make(chan struct{})}
	}
	err := src.EachRecord(ctx, kind, func(rec source.Record) error {
		if cur.recs = append(cur.recs, rec); len(cur.recs) == batchSize {
			send()
		}
		return nil
	})
	if len(cur.recs) > 0 {
		send()
	}
	close(work)
	close(order)
	wg.Wait()
	<-committed
	return err
}
