package migrate

import (
	"context"
	"testing"
	"time"

	"ferry/internal/pipedrive/sandbox"
)

// TestRunUnderFaults injects 5% 5xx, 2% 429 and 1% lost responses (applied, answer dropped)
// and checks the sandbox ends with every record exactly once.
func TestRunUnderFaults(t *testing.T) {
	f := newFixture(t, 150, 11)
	f.sb.SetFaults(sandbox.Faults{Rate5xx: 0.05, Rate429: 0.02, LostResponseRate: 0.01, Seed: 42})
	ctx := context.Background()
	start := time.Now()
	rep, err := f.engine(f.store).Run(ctx)
	if err != nil {
		t.Fatalf("run under faults: %v", err)
	}
	st := f.sb.Stats()
	lost := 0
	for _, e := range st.Endpoints {
		lost += e.Status["lost"]
	}
	t.Logf("faulty run: %v, %d requests, %d tokens, %d lost responses, %d 429s", time.Since(start), st.Requests, st.Tokens, lost, st.RateLimited)
	postFaults := 0
	for ep, e := range st.Endpoints {
		if ep[:4] == "POST" {
			postFaults += e.Status["500"] + e.Status["lost"]
		}
	}
	lookups := f.lookups()
	if postFaults == 0 || lookups == 0 {
		t.Fatalf("the faults never hit a create (%d POST faults) or no lookup ran: the test proves nothing", postFaults)
	}
	t.Logf("%d creates answered 500 or lost, %d Klipy ID lookups", postFaults, lookups)
	for _, p := range rep.Phases {
		t.Log(p)
		if p.Failed != 0 {
			t.Errorf("%s: faults must not fail records: %s", p.Entity, p)
		}
	}
	f.checkSandbox(rep)
	f.sb.SetFaults(sandbox.Faults{})
	before := f.posts()
	if _, err := f.engine(f.store).Run(ctx); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if got := f.posts() - before; got != 0 {
		t.Errorf("rerun after the faulty run sent %d POSTs, want 0", got)
	}
}
