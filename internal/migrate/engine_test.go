package migrate

import (
	"context"
	"testing"
	"time"
)

func TestRunEndToEndAndIdempotent(t *testing.T) {
	f := newFixture(t, 150, 7)
	ctx := context.Background()
	start := time.Now()
	rep, err := f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, p := range rep.Phases {
		t.Log(p)
	}
	st := f.sb.Stats()
	t.Logf("first run: %v, %d requests, %d tokens, schema items created %d", time.Since(start), st.Requests, st.Tokens, rep.SchemaCreated)
	f.checkSandbox(rep)

	before := f.posts()
	rep2, err := f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if got := f.posts() - before; got != 0 {
		t.Errorf("second run sent %d POSTs, want 0", got)
	}
	if rep2.SchemaCreated != 0 {
		t.Errorf("second run created %d schema items, want 0", rep2.SchemaCreated)
	}
	f.checkSandbox(rep2)
}
