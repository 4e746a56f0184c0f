package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/estimate"
	"ferry/internal/migrate"
	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
	"ferry/internal/workspace"
)

// TestEstimateMatchesSandboxRun estimates two generated workspaces of different sizes, runs
// each migration against an in-process sandbox (limits off) and compares the estimated run
// tokens with the tokens the sandbox counted for the run; more than 5% apart fails.
func TestEstimateMatchesSandboxRun(t *testing.T) {
	tests := []struct {
		people int
		seed   int64
		dedupe bool // write dedupe.json (clusters and matches with the sandbox's persons)
	}{{30, 11, false}, {80, 12, true}}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d_people", tc.people), func(t *testing.T) {
			dir, sb, key := sandboxWorkspace(t, tc.people, tc.seed)
			if tc.dedupe {
				writeDedupe(t, dir, key.DefaultRegion)
			}
			if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
				t.Fatalf("confirm: %s", stderr)
			}
			est := estimateJSON(t, "-w", dir)
			human, _, _ := runFerry(t, "estimate", "-w", dir)
			if want := fmt.Sprintf("tokens: %d (run %d", est.Tokens, est.RunTokens); !strings.Contains(human, want) {
				t.Errorf("human output lacks %q:\n%s", want, human)
			}
			if tc.people == 80 {
				t.Logf("ferry estimate:\n%s", human)
			}
			before := sb.Stats()
			out, stderr, code := runFerry(t, "run", "-w", dir, "--json")
			if code != genRunExit {
				t.Fatalf("run: exit %d\n%s%s", code, out, stderr)
			}
			checkOutcomes(t, est, out)
			after := sb.Stats()
			actual := after.Tokens - before.Tokens
			diff := 100 * float64(est.RunTokens-actual) / float64(actual)
			for _, p := range est.Workload.Phases {
				t.Logf("  %s: source %d create %d merge-into %d merged %d skipped %d quarantined %d held %d",
					p.Kind, p.Source, p.Create, p.MergeInto, p.Merged, p.Skipped, p.Quarantined, p.Held)
			}
			t.Logf("%d people: estimated %d run tokens, sandbox counted %d (%+.2f%%); requests %d vs %d; verification adds %d",
				tc.people, est.RunTokens, actual, diff, est.RunRequests, after.Requests-before.Requests, est.VerifyTokens)
			if n := after.Requests - before.Requests; math.Abs(float64(est.RunRequests-n)) > 0.05*float64(n) {
				t.Errorf("estimated %d requests, the run sent %d (more than 5%% apart)", est.RunRequests, n)
			}
			if math.Abs(diff) > 5 {
				t.Errorf("estimate %d is %.2f%% off the %d tokens the run spent (limit 5%%)\n%s",
					est.RunTokens, diff, actual, endpointDiff(est, "run", before, after))
			}
			checkVerifyTokens(t, dir, sb, est)
		})
	}
}

// checkOutcomes compares the dry run's predicted outcome of every phase with the
// reconciliation ferry run --json reported.
func checkOutcomes(t *testing.T, est estimate.Result, runOut string) {
	t.Helper()
	var done struct {
		Phases []migrate.Reconciliation `json:"phases"`
	}
	for _, line := range strings.Split(strings.TrimSpace(runOut), "\n") {
		if strings.Contains(line, `"event":"done"`) {
			if err := json.Unmarshal([]byte(line), &done); err != nil {
				t.Fatalf("run output: %v\n%s", err, runOut)
			}
		}
	}
	if done.Phases == nil {
		t.Fatalf("run output has no done event:\n%s", runOut)
	}
	type outcome struct{ Source, Created, Merged, Skipped, Quarantined, Held int }
	got, want := map[source.Kind]outcome{}, map[source.Kind]outcome{}
	for _, p := range done.Phases {
		got[p.Kind] = outcome{p.Source, p.Created, p.Merged, p.SkippedByRule, p.Quarantined + p.Failed, p.Held}
	}
	for _, p := range est.Workload.Phases {
		want[p.Kind] = outcome{p.Source, p.Create, p.Merged + p.MergeInto, p.Skipped, p.Quarantined, p.Held}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("predicted phase outcomes differ from the run's reconciliation (-estimate +run):\n%s", diff)
	}
}

// writeDedupe runs dedupe over the snapshot against the persons and organizations the
// sandbox holds and writes dedupe.json, as ferry plan does.
func writeDedupe(t *testing.T, dir, region string) {
	t.Helper()
	ctx := context.Background()
	g := &globalOptions{Workspace: dir, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	ws, st, err := g.openWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := pipedrive.New(pipedrive.Config{BaseURL: os.Getenv("PIPEDRIVE_BASE_URL"), Token: os.Getenv("PIPEDRIVE_API_TOKEN"), Burst: 200})
	if err != nil {
		t.Fatal(err)
	}
	existing, err := dedupe.LoadDestination(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := dedupe.Run(ctx, st, dedupe.Options{DefaultRegion: region, Destination: existing})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ws.PlanPath(workspace.DedupeFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("dedupe: %d person and %d company clusters, %d destination matches",
		len(res.PersonClusters), len(res.CompanyClusters), len(res.DestinationMatches))
}

// estimateJSON runs ferry estimate --json and decodes its result.
func estimateJSON(t *testing.T, args ...string) estimate.Result {
	t.Helper()
	out, stderr, code := runFerry(t, append([]string{"estimate", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("estimate: exit %d\n%s", code, stderr)
	}
	var r estimate.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("estimate output: %v\n%s", err, out)
	}
	return r
}

// checkVerifyTokens runs ferry verify and compares its tokens with the estimate's
// verification reads; more than 5% apart fails.
func checkVerifyTokens(t *testing.T, dir string, sb *sandbox.Server, est estimate.Result) {
	t.Helper()
	before := sb.Stats()
	out, stderr, code := runFerry(t, "verify", "-w", dir)
	if code != 0 && code != exitMismatch {
		t.Fatalf("verify: exit %d\n%s%s", code, out, stderr)
	}
	after := sb.Stats()
	actual := after.Tokens - before.Tokens
	diff := 100 * float64(est.VerifyTokens-actual) / float64(actual)
	t.Logf("verification: estimated %d tokens, sandbox counted %d (%+.2f%%); total %d vs %d",
		est.VerifyTokens, actual, diff, est.Tokens, est.RunTokens+actual)
	if math.Abs(diff) > 5 {
		t.Errorf("verification estimate %d is %.2f%% off the %d tokens ferry verify spent\n%s",
			est.VerifyTokens, diff, actual, endpointDiff(est, "verify", before, after))
	}
}

// endpointDiff lists, per endpoint, the estimated and the counted requests of the run
// ("run": schema and records) or of verification ("verify").
func endpointDiff(est estimate.Result, part string, before, after sandbox.Stats) string {
	want := map[string]float64{}
	for _, c := range est.Calls {
		if (c.Stage == "verify") == (part == "verify") {
			want[c.Method+" "+c.Template] += c.Count
		}
	}
	got := map[string]int{}
	for ep, s := range after.Endpoints {
		n := s.Requests
		if b, ok := before.Endpoints[ep]; ok {
			n -= b.Requests
		}
		if n > 0 {
			got[ep] = n
		}
	}
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var lines []string
	for k := range keys {
		if int(math.Round(want[k])) != got[k] {
			lines = append(lines, fmt.Sprintf("  %s: estimated %.1f, counted %d", k, want[k], got[k]))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestEstimateCommand checks the modes and errors of ferry estimate without a migration.
func TestEstimateCommand(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", empty); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	missing := filepath.Join(t.TempDir(), "none")
	tests := []struct {
		name string
		args []string
		code int
		want []string // substrings of stdout (or stderr on failure)
	}{
		{"counts need no workspace", []string{"-w", missing, "--people", "1000", "--deals", "50", "--plan", "premium", "--seats", "2"},
			0, []string{"Estimate from counts", "premium, 2 seat(s) = 300000 tokens/day", "at 100 per 2 s", "complexity: ", "data volume"}},
		{"unplanned workspace uses the snapshot", []string{"-w", empty}, 0,
			[]string{"Estimate from snapshot", "growth, 1 seat(s) = 60000 tokens/day", "run ferry plan"}},
		{"json", []string{"-w", missing, "--json", "--interactions", "600"}, 0, []string{`"from":"counts"`, `"letter":`}},
		{"unknown plan", []string{"-w", missing, "--people", "1", "--plan", "gold"}, exitUsage, []string{`plan "gold"`}},
		{"no workspace, no counts", []string{"-w", missing}, exitUsage, []string{"give counts"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := runFerry(t, append([]string{"estimate"}, tc.args...)...)
			text := out
			if tc.code != 0 {
				text = stderr
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
