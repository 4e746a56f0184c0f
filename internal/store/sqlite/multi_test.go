package sqlite

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"ferry/internal/source"
	"ferry/internal/store"
)

// TestTwoStoresOneFile opens the same file twice, as ferry listen and ferry run do from two
// processes, and writes through both at once: the busy timeout must absorb the lock contention.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	stores := []*Store{openPath(t, path), openPath(t, path)}
	const perWriter = 30
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		st := stores[w%2]
		wg.Go(func() {
			for i := range perWriter {
				id := fmt.Sprintf("w%d-%d", w, i)
				if _, err := st.PutRecords(t.Context(), []source.Record{{Kind: source.Deal, ID: id}}); err != nil {
					errs <- err
					return
				}
				if _, err := st.PutEvent(t.Context(), store.Event{ID: id, Type: "deal.created"}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("write through one of two stores: %v", err)
	}
	for i, st := range stores {
		n, err := st.CountRecords(t.Context(), source.Deal)
		if err != nil || n != 8*perWriter {
			t.Errorf("store %d counts %d deals, %v; want %d", i, n, err, 8*perWriter)
		}
	}
}
