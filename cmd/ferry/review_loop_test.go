package main

import (
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/migrate"
	"ferry/internal/workspace"
)

// TestReviewLoopMatchesCLI does decide → confirm → run → report once with the CLI and once
// through the review page's handlers (a client without JavaScript that posts the page's
// forms), on two workspaces made alike, and compares what each left: the plan files byte for
// byte, and every record's outcome in report/success-*.csv and report/error-*.csv (Pipedrive
// ids and URLs aside: the two sandboxes number records in the order concurrent requests
// arrive).
func TestReviewLoopMatchesCLI(t *testing.T) {
	const people, seed = 30, 11
	cliDir, cliSB := plannedSandboxWorkspace(t, people, seed)
	ch := pickChoices(t, cliDir, cliSB)
	for _, args := range [][]string{
		{"decide", "owner", ch.Owner, "--map", ch.User},
		{"decide", "split", ch.Split},
		{"decide", "accept-loss", "--all"},
		{"confirm", "--yes"},
		{"run"},
		{"report"},
	} {
		if out, stderr, code := runFerry(t, append(args, "-w", cliDir)...); code != 0 {
			t.Fatalf("CLI %s: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
	}
	cliOut := outcomeFiles(t, cliDir)

	pageDir, pageSB := plannedSandboxWorkspace(t, people, seed)
	if got := pickChoices(t, pageDir, pageSB); got != ch {
		t.Fatalf("the two workspaces differ before any choice: %+v vs %+v", got, ch)
	}
	start, _ := reviewPage(t, pageDir)
	p := newPageClient(t, start)
	steps := []struct {
		path string
		form url.Values
		want string
	}{
		{"/owners", url.Values{"owner": {ch.Owner}, "resolution": {"map"}, "user": {ch.User}}, "exited 0"},
		{"/duplicates", url.Values{"survivor": {ch.Split}}, "exited 0"},
		{"/confirm/accept-loss", url.Values{"all": {"1"}}, "exited 0"},
		{"/confirm", url.Values{}, "Plan locked at"},
		{"/run", url.Values{"action": {"start"}}, "Running since"},
	}
	for _, s := range steps {
		if body := p.post(s.path, s.form); !strings.Contains(body, s.want) {
			t.Fatalf("POST %s %v: the page does not say %q:\n%s", s.path, s.form, s.want, body)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p.waitRun(ctx)
	if body := p.get("/run"); !strings.Contains(body, "<code>ferry run --json</code> exited 0") || !strings.Contains(body, `id="run-phases"`) {
		t.Fatalf("the run page does not say the run exited 0 with its reconciliation:\n%s", body)
	}
	if body := p.post("/report", url.Values{}); !strings.Contains(body, "<code>ferry report</code> exited 0") {
		t.Fatalf("the report page does not say ferry report exited 0:\n%s", body)
	}
	for _, name := range []string{workspace.MappingFile, workspace.DecisionsFile, workspace.DedupeFile} {
		want, _ := os.ReadFile(filepath.Join(cliDir, name))
		got, err := os.ReadFile(filepath.Join(pageDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == workspace.DedupeFile { // ferry plan's own timing is the one field that may differ
			want, got = elapsedLine.ReplaceAll(want, nil), elapsedLine.ReplaceAll(got, nil)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s after the page differs from after the CLI (-cli +page):\n%s", name, diff)
		}
	}
	if diff := cmp.Diff(cliOut, outcomeFiles(t, pageDir)); diff != "" {
		t.Errorf("record outcomes after the page differ from after the CLI (-cli +page):\n%s", diff)
	}
	for _, body := range p.seen {
		if strings.Contains(body, pageSB.Token()) {
			t.Fatal("a page rendered the Pipedrive API token")
		}
	}
}

var elapsedLine = regexp.MustCompile(`(?m)^\s*"elapsed_ms": \d+\n`)

// outcomeFiles reads report/success-*.csv and error-*.csv into "object klipy-id action-or-reason"
// lines, sorted; Pipedrive ids and URLs are left out.
func outcomeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, kind := range migrate.Phases() {
		for _, f := range []struct {
			prefix string
			col    int
		}{{"success-", 3}, {"error-", 2}} {
			path := filepath.Join(dir, "report", f.prefix+string(kind)+".csv")
			fh, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(fh).ReadAll()
			fh.Close()
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, r := range rows[1:] {
				out = append(out, strings.Join([]string{f.prefix + string(kind), r[0], r[f.col]}, " "))
			}
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatalf("no outcome rows in %s/report", dir)
	}
	return out
}
