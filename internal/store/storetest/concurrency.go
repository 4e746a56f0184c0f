package storetest

import (
	"fmt"
	"sync"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
)

const (
	workers = 8  // goroutines writing at once
	rounds  = 25 // writes of each kind per goroutine
)

// testConcurrency has several goroutines write every kind of row at once, with a reader
// walking beside them, and checks that nothing was lost, doubled or refused as busy.
func testConcurrency(t *testing.T, open Opener) {
	st := fresh(t, open)
	var wg sync.WaitGroup
	newEvents := make(chan bool, workers*rounds)
	errs := make(chan error, workers+1)
	for w := range workers {
		wg.Go(func() {
			if err := concurrentWriter(t, st, w, newEvents); err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
			}
		})
	}
	wg.Go(func() {
		for range rounds {
			if err := st.EachRecord(t.Context(), source.Person, func(source.Record) error { return nil }); err != nil {
				errs <- fmt.Errorf("reader: %w", err)
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	close(newEvents)
	for err := range errs {
		t.Error(err)
	}
	checkConcurrent(t, st, newEvents)
}

// concurrentWriter is one goroutine's share: record batches, mappings, journal entries, spend
// on one shared ledger row, and events whose ids every writer also tries.
func concurrentWriter(t *testing.T, st store.Store, w int, newEvents chan<- bool) error {
	ctx := t.Context()
	for i := range rounds {
		batch := make([]source.Record, 20)
		for j := range batch {
			batch[j] = source.Record{Kind: source.Person, ID: fmt.Sprintf("w%d-%d-%d", w, i, j), Channel: source.API}
		}
		if _, err := st.PutRecords(ctx, batch); err != nil {
			return err
		}
		id := fmt.Sprintf("w%d-%d", w, i)
		if err := st.PutMapping(ctx, store.Mapping{Kind: source.Person, SourceID: id, State: store.InFlight}); err != nil {
			return err
		}
		if _, err := st.AppendJournal(ctx, store.JournalEntry{RunID: int64(w + 1), Op: "create", DestID: id}); err != nil {
			return err
		}
		if err := st.AddSpend(ctx, store.Spend{Day: "2026-03-14", Endpoint: "POST /api/v2/persons", Calls: 1, Tokens: 10}); err != nil {
			return err
		}
		isNew, err := st.PutEvent(ctx, store.Event{ID: fmt.Sprintf("msg_%d", i), Type: "deal.created"})
		if err != nil {
			return err
		}
		newEvents <- isNew
	}
	return nil
}

func checkConcurrent(t *testing.T, st store.Store, newEvents <-chan bool) {
	ctx := t.Context()
	n, err := st.CountRecords(ctx, source.Person)
	must(t, err)
	diff(t, "records", n, workers*rounds*20)
	counts, err := st.CountMappings(ctx, source.Person)
	must(t, err)
	diff(t, "mappings", counts, map[store.State]int{store.InFlight: workers * rounds})
	seqs := map[int64]bool{}
	must(t, st.EachJournal(ctx, 0, false, func(e store.JournalEntry) error { seqs[e.Seq] = true; return nil }))
	diff(t, "distinct journal seqs", len(seqs), workers*rounds)
	ledger, err := st.Ledger(ctx, "2026-03-14")
	must(t, err)
	diff(t, "ledger", ledger, []store.Spend{{Day: "2026-03-14", Endpoint: "POST /api/v2/persons",
		Calls: workers * rounds, Tokens: 10 * workers * rounds}})
	firsts := 0
	for isNew := range newEvents {
		if isNew {
			firsts++
		}
	}
	diff(t, "events reported new", firsts, rounds)
}
