package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestGroupCommitIsolatesFailures sends writes from many goroutines at once, some of which
// fail, and checks that each write that succeeded is stored, each that failed left nothing,
// and a write whose context ended before it was queued is refused.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	defer st.Close()
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("c%03d", i)
			if i%7 == 3 {
				// Writes the cursor, then fails: the savepoint must take the cursor back.
				_, errs[i] = st.exec(ctx, `INSERT INTO cursors (name, value) VALUES (?, 'x'), (?, 'y')`, name, name)
				return
			}
			_, errs[i] = st.exec(ctx, `INSERT INTO cursors (name, value) VALUES (?, 'v')`, name)
		})
	}
	wg.Wait()
	for i := range n {
		_, err := st.GetCursor(ctx, fmt.Sprintf("c%03d", i))
		switch {
		case i%7 == 3 && (errs[i] == nil || err == nil):
			t.Errorf("write %d: failed with %v, cursor read %v; want a failure that left nothing", i, errs[i], err)
		case i%7 != 3 && (errs[i] != nil || err != nil):
			t.Errorf("write %d: %v, cursor read %v; want it stored", i, errs[i], err)
		}
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := st.exec(done, `INSERT INTO cursors (name, value) VALUES ('late', 'v')`); !errors.Is(err, context.Canceled) {
		t.Errorf("write with an ended context: %v, want context.Canceled", err)
	}
	st.Close()
	if _, err := st.exec(ctx, `INSERT INTO cursors (name, value) VALUES ('closed', 'v')`); err == nil {
		t.Error("a write after Close succeeded")
	}
}
