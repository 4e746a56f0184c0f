package migrate

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"ferry/internal/gen"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/decide"
	"ferry/internal/store/postgres/pgtest"
)

// crashPlan is what the parent hands the child process.
type crashPlan struct {
	URL, Token, DB, Harvest string
	PG                      pgStore // the store, when it is PostgreSQL
	Decisions               decide.Decisions
	Merges                  []Merge
}

// TestCrashAndResume runs the engine in a child process and kills it with SIGKILL at several
// points (after a number of creates reached the sandbox), resuming each time; the last run
// completes in-process. The sandbox must end with every record exactly once.
func TestCrashAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the crash test starts child processes")
	}
	crashAndResume(t, newFixture(t, 150, 13))
}

// TestCrashAndResumePostgres is TestCrashAndResume with the state in PostgreSQL (skipped
// loudly without a test database, failing under CI=true).
func TestCrashAndResumePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: the crash test starts child processes")
	}
	url := pgtest.URL(t)
	pg := pgStore{URL: url, Name: pgtest.Name(t, url)}
	crashAndResume(t, newFixtureOn(t, gen.Config{People: 150, Seed: 13, InteractionsMean: 2, AttachmentsPer100: 6}, sandbox.Options{}, pg))
}

func crashAndResume(t *testing.T, f *fixture) {
	f.sb.SetFaults(sandbox.Faults{Latency: 2 * time.Millisecond})
	plan := crashPlan{URL: f.url, Token: f.sb.Token(), DB: f.dbPath, PG: f.pg, Harvest: f.harvest, Decisions: f.dec, Merges: f.merges}
	planPath := filepath.Join(t.TempDir(), "plan.json")
	data, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(planPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	points := crashPoints(20, 400)
	killed := 0
	for _, at := range points {
		if f.crashChild(planPath, at) {
			killed++
		}
	}
	t.Logf("%d of %d children killed mid-run, at %v POSTs", killed, len(points), points)
	if killed < 15 {
		t.Fatalf("only %d of %d children were killed mid-run: the test proves little", killed, len(points))
	}
	f.sb.SetFaults(sandbox.Faults{})
	rep, err := f.engine(f.store).Run(context.Background())
	if err != nil {
		t.Fatalf("final run: %v", err)
	}
	for _, p := range rep.Phases {
		t.Log(p)
	}
	f.checkSandbox(rep)
}

// crashPoints draws n distinct kill points in [1, max] (POSTs the sandbox has seen in total),
// random but the same every run, in increasing order.
func crashPoints(n, max int) []int {
	r := rand.New(rand.NewPCG(13, 20))
	seen := map[int]bool{}
	for len(seen) < n {
		seen[1+r.IntN(max)] = true
	}
	out := make([]int, 0, n)
	for p := range seen {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

// crashChild starts the child and kills it once the sandbox has seen at POSTs in total; it
// reports whether the child was killed (rather than finishing first).
func (f *fixture) crashChild(planPath string, at int) bool {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "FERRY_CRASH_PLAN="+planPath)
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				f.t.Fatalf("child (kill at %d POSTs) failed on its own: %v", at, err)
			}
			return false
		case <-tick.C:
			if f.posts() >= at {
				_ = cmd.Process.Kill()
				<-done
				return true
			}
		}
	}
}

// TestCrashChild is the child process of TestCrashAndResume; run alone it does nothing.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("FERRY_CRASH_PLAN")
	if path == "" {
		t.Skip("helper process of TestCrashAndResume: runs only when FERRY_CRASH_PLAN is set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var plan crashPlan
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	st, err := openTestStore(plan.DB, plan.PG)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := New(Config{Client: newClient(t, plan.URL, plan.Token, 0), Store: st, Decisions: plan.Decisions, Mapper: testMapper(), Merges: plan.Merges, Workers: 4, FilesRoot: plan.Harvest})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
