package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/report"
)

// The -update flag rewrites testdata/report/*.golden. Another test file of this package may
// define it too; register it only when nobody has.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func updateGolden() bool {
	v, _ := flag.Lookup("update").Value.(flag.Getter).Get().(bool)
	return v
}

// reportHarvest is a tiny harvest folder: a formula-injection value in a person's and a
// pipeline's name (and values starting with +, @ and -: a stage, an owner, custom values), a
// duplicate by email, an owner without a Pipedrive user, a closing stage and a row with
// broken quoting.
var reportHarvest = map[string]string{
	"people.csv": "id,First Name,Last Name,Email,owner,Lead Source,tags\n" +
		"p1,\"=HYPERLINK(\"\"http://evil\"\")\",Lee,ann@x.com,ghost@klipy.test,+Web,VIP\n" +
		"p2,Ann,Lee,ANN@x.com,ghost@klipy.test,@twitter,vip \n" +
		"p3,Bob,,bob@y.com,ghost@klipy.test,-ref,\n" +
		"p4,\"bad \"\"quote,x\n",
	"companies.csv": "id,name,domain\nc1,Acme,acme.com\n",
	"deals.csv": "id,name,value,currency,pipeline,stage,status,person_id,company_id\n" +
		"d1,Big deal,100,EUR,Sales,Qualified,open,p1,c1\n" +
		"d2,Lost one,5,EUR,Sales,Closed Lost,lost,p2,c1\n" +
		"d3,Odd,1,EUR,\"=HYPERLINK(\"\"http://evil\"\")\",@Stage,open,p3,c1\n",
	"owners.csv": "id,name,email\no1,-Ghost+1,ghost@klipy.test\n",
}

// plannedWorkspace runs ferry init, extract and plan --offline on reportHarvest in-process.
func plannedWorkspace(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	if out, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, stderr)
	}
	h := filepath.Join(dir, "harvest")
	if err := os.MkdirAll(h, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range reportHarvest {
		if err := os.WriteFile(filepath.Join(h, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// p4's broken quoting is quarantined: extract is incomplete (exit 6) and names it.
	if out, stderr, code := runFerry(t, "extract", "-w", dir); code != exitIncomplete || !strings.Contains(out, "1 people (people.csv): broken quoting") {
		t.Fatalf("extract: exit %d, want %d naming p4's row\n%s%s", code, exitIncomplete, out, stderr)
	}
	if out, stderr, code := runFerry(t, "plan", "--offline", "-w", dir); code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, stderr)
	}
	return dir
}

func TestReportGolden(t *testing.T) {
	dir := plannedWorkspace(t)
	var out bytes.Buffer
	g := &globalOptions{Workspace: dir, JSON: true, stdout: &out, stderr: &out}
	now := func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	if err := runReport(context.Background(), g, ReportOptions{now: now}); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	var printed struct {
		Dir   string   `json:"dir"`
		Files []string `json:"files"`
	}
	if err := json.Unmarshal(out.Bytes(), &printed); err != nil || printed.Dir != filepath.Join(dir, "report") {
		t.Fatalf("--json output %q (err %v): want the default directory %s", out.String(), err, filepath.Join(dir, "report"))
	}
	for _, name := range []string{"report.md", "pipelines.csv", "owners.csv", "name_variants.csv", "not_migrated.csv"} {
		got, err := os.ReadFile(filepath.Join(printed.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "report", name+".golden")
		if updateGolden() {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -run TestReportGolden -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s differs from %s (-want +got):\n%s", name, golden, diff)
		}
	}
	checkCSVCells(t, printed.Files)
}

// checkCSVCells reads every CSV file back: BOM first, no cell starting with a character a
// spreadsheet would execute, and the injected formula present as a whole cell in its
// neutralised form.
func checkCSVCells(t *testing.T, files []string) {
	t.Helper()
	sawFormula := false
	for _, f := range files {
		if filepath.Ext(f) != ".csv" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		body, ok := strings.CutPrefix(string(data), "\ufeff")
		if !ok {
			t.Errorf("%s: no UTF-8 BOM", f)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: not RFC 4180 CSV: %v", f, err)
		}
		for _, row := range rows {
			for _, c := range row {
				if c != "" && strings.ContainsAny(c[:1], "=+-@\t\r") {
					t.Errorf("%s: cell %q would run in a spreadsheet", f, c)
				}
				if c == `'=HYPERLINK("http://evil")` {
					sawFormula = true
				}
			}
		}
	}
	if !sawFormula {
		t.Error("no CSV cell is the fixture's neutralised formula; the neutralisation check proved nothing")
	}
}

func TestReportHasNoSecrets(t *testing.T) {
	dir := plannedWorkspace(t)
	secrets := map[string]string{
		"PIPEDRIVE_API_TOKEN":  "SENTINEL-pd-token-7f3a",
		"KLIPY_API_KEY":        "SENTINEL-klipy-key-91c2",
		"KLIPY_WEBHOOK_SECRET": "whsec_SENTINEL-webhook-55e0",
	}
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	outDir := filepath.Join(t.TempDir(), "deliverables")
	var printed string
	for _, args := range [][]string{{"plan", "--offline"}, {"report", "--out", outDir}} {
		out, stderr, code := runFerry(t, append(args, "-w", dir)...)
		if want := map[bool]int{true: genRunExit, false: 0}[args[0] == "run"]; code != want {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
		printed += out + stderr
	}
	entries, err := os.ReadDir(outDir)
	if err != nil || len(entries) < 3 {
		t.Fatalf("report directory %s: %d entries, err %v", outDir, len(entries), err)
	}
	texts := map[string]string{"command output": printed}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(outDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		texts[e.Name()] = string(data)
	}
	for name, text := range texts {
		for env, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains the value of %s", name, env)
			}
		}
	}
	if _, ok := texts[report.MarkdownFile]; !ok {
		t.Errorf("--out %s holds no %s", outDir, report.MarkdownFile)
	}
}

// TestReportAfterRun runs the real engine against an in-process Pipedrive sandbox, then
// checks that the report carries its reconciliation and journaled schema, and that the
// sandbox's API token (a real secret in the environment) appears in no report file.
func TestReportAfterRun(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 12, 5)
	var runOut string
	for _, args := range [][]string{{"confirm", "--yes"}, {"run"}, {"report"}} {
		out, stderr, code := runFerry(t, append(args, "-w", dir)...)
		if want := map[bool]int{true: genRunExit, false: 0}[args[0] == "run"]; code != want {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
		if args[0] == "run" {
			runOut = out
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "report", report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var r report.Report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	ran := map[string]report.Phase{}
	for _, p := range r.Reconciliation {
		ran[string(p.Kind)] = p
	}
	for _, k := range []string{"company", "person", "deal"} {
		p := ran[k]
		sum := p.Created + p.Merged + p.SkippedByRule + p.Quarantined + p.Failed + p.Held
		if p.Status != report.PhaseBalanced || p.RunID == 0 || p.Source == 0 || sum != p.Source {
			t.Errorf("%s phase = %+v, want balanced with source %d = the sum of its outcomes", k, p, sum)
		}
		printed := fmt.Sprintf("%s: source %d = created %d + merged %d + skipped %d + quarantined %d + failed %d + held %d",
			p.Entity, p.Source, p.Created, p.Merged, p.SkippedByRule, p.Quarantined, p.Failed, p.Held)
		if !strings.Contains(runOut, printed) {
			t.Errorf("ferry run did not print the report's %s row %q:\n%s", k, printed, runOut)
		}
	}
	if len(r.SchemaCreated) == 0 || len(r.Runs) != 1 || r.Runs[0].Writes == 0 {
		t.Errorf("report shows %d schema items and runs %+v, want the run's journaled schema and writes", len(r.SchemaCreated), r.Runs)
	}
	if r.Pipelines.From != report.FromConfirmed {
		t.Errorf("pipelines from %q, want %q", r.Pipelines.From, report.FromConfirmed)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "report"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, "report", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), sb.Token()) {
			t.Errorf("%s contains the Pipedrive API token", e.Name())
		}
	}
}
