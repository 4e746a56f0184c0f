package sandbox

import (
	"fmt"
	"sync"
	"testing"
)

func TestConcurrentWritesAndReset(t *testing.T) {
	e := newEnv(t, Options{})
	const workers, each = 8, 25
	ids := make(chan int64, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := e.do("POST", "/api/v2/persons", map[string]any{"name": fmt.Sprintf("w%d-%d", w, i)})
				if r.status != 200 {
					t.Errorf("create: %d", r.status)
					return
				}
				ids <- int64(obj(r.body["data"])["id"].(float64))
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("id %d given twice", id)
		}
		seen[id] = true
	}
	if n := len(e.srv.Snapshot().Persons); n != workers*each {
		t.Errorf("%d persons stored, want %d", n, workers*each)
	}
	e.srv.Reset()
	snap := e.srv.Snapshot()
	if len(snap.Persons) != 0 || len(snap.Stages) != 5 || e.srv.Stats().Requests != 0 {
		t.Errorf("after Reset: %d persons, %d stages, %d requests", len(snap.Persons), len(snap.Stages), e.srv.Stats().Requests)
	}
}
