package conformance

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
)

// creator makes one record named name and finds the stored names of its kind in a snapshot.
type creator struct {
	kind   string
	create func(c *pipedrive.Client, name string) error
	stored func(sandbox.Snapshot) []map[string]any
	key    string // property holding the name
}

var faultCreators = []creator{
	{"person", func(c *pipedrive.Client, n string) error {
		_, err := c.CreatePerson(context.Background(), pipedrive.Entity{"name": n})
		return err
	}, func(s sandbox.Snapshot) []map[string]any { return s.Persons }, "name"},
	{"organization", func(c *pipedrive.Client, n string) error {
		_, err := c.CreateOrganization(context.Background(), pipedrive.Entity{"name": n})
		return err
	}, func(s sandbox.Snapshot) []map[string]any { return s.Organizations }, "name"},
	{"deal", func(c *pipedrive.Client, n string) error {
		_, err := c.CreateDeal(context.Background(), pipedrive.Entity{"title": n})
		return err
	}, func(s sandbox.Snapshot) []map[string]any { return s.Deals }, "title"},
	{"note", func(c *pipedrive.Client, n string) error {
		_, err := c.CreateNote(context.Background(), pipedrive.Entity{"content": n, "deal_id": 1})
		return err
	}, func(s sandbox.Snapshot) []map[string]any { return s.Notes }, "content"},
}

// TestClientUnderFaults creates records of four kinds while the sandbox answers 5 % 500s,
// 2 % 429s and loses 1 % of responses after applying the request. Every create must either
// succeed or return the client's typed outcome-unknown error; afterwards the sandbox's
// Snapshot must hold each successful record exactly once and no record twice.
func TestClientUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 10 s of retries")
	}
	const perKind = 40
	e := newEnv(t, sandbox.Options{Seed: 10})
	c := e.newClient(t, func(cfg *pipedrive.Config) {
		cfg.Retry = pipedrive.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}
		cfg.Timeout = 5 * time.Second
	})
	seedDeal(t, e)
	e.sb.SetFaults(sandbox.Faults{Rate5xx: 0.05, Rate429: 0.02, LostResponseRate: 0.01, Seed: 10})
	unknown, total := 0, 0
	for _, cr := range faultCreators {
		outcome := map[string]string{} // name → "created" | "unknown"
		for i := range perKind {
			name := fmt.Sprintf("fault %s %03d", cr.kind, i)
			outcome[name] = createOutcome(t, cr, c, name)
		}
		counts := countBy(cr.stored(e.sb.Snapshot()), cr.key)
		for name, o := range outcome {
			switch {
			case counts[name] > 1:
				t.Errorf("%s %q stored %d times", cr.kind, name, counts[name])
			case o == "created" && counts[name] != 1:
				t.Errorf("%s %q reported created but stored %d times", cr.kind, name, counts[name])
			case o == "unknown":
				unknown++
			}
		}
		total += perKind
		if cr.kind == "person" {
			checkListUnderFaults(t, c, counts)
		}
	}
	if unknown == 0 {
		t.Errorf("no create ended with an unknown outcome in %d tries at 6 %% faults: faults not injected?", total)
	}
	t.Logf("%d creates: %d created, %d outcome unknown", total, total-unknown, unknown)
	e.rec.Check(t)
}

// seedDeal creates deal 1, the parent of the notes, before faults are turned on.
func seedDeal(t *testing.T, e *env) {
	t.Helper()
	r := &raw{env: e, t: t, ids: map[string]string{}, statuses: map[string][]int{}, errors: map[string][]string{}}
	st, d := r.json("POST", "/api/v2/deals", obj{"title": "notes parent"})
	r.keep("deal", d, "id")
	if st != 200 || r.ids["deal"] != "1" {
		t.Fatalf("parent deal: status %d, id %q; want 200 and id 1", st, r.ids["deal"])
	}
}

func createOutcome(t *testing.T, cr creator, c *pipedrive.Client, name string) string {
	t.Helper()
	err := cr.create(c, name)
	var ou *pipedrive.OutcomeUnknownError
	switch {
	case err == nil:
		return "created"
	case errors.As(err, &ou) && errors.Is(err, pipedrive.ErrOutcomeUnknown):
		return "unknown"
	}
	t.Errorf("create %s %q: %v, want success or *pipedrive.OutcomeUnknownError", cr.kind, name, err)
	return "failed"
}

func countBy(records []map[string]any, key string) map[string]int {
	counts := map[string]int{}
	for _, rec := range records {
		if v, _ := rec[key].(string); v != "" {
			counts[v]++
		}
	}
	return counts
}

// checkListUnderFaults lists persons through the faults (GETs are retried) and compares the
// result with the snapshot.
func checkListUnderFaults(t *testing.T, c *pipedrive.Client, stored map[string]int) {
	t.Helper()
	listed := map[string]int{}
	err := c.ListPersons(context.Background(), pipedrive.ListOptions{PageSize: 25}, func(page []pipedrive.Entity) error {
		for _, p := range page {
			listed[p.String("name")]++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ListPersons under faults: %v", err)
	}
	for name, n := range stored {
		if listed[name] != n {
			t.Errorf("ListPersons shows %q %d times, snapshot %d", name, listed[name], n)
		}
	}
}
