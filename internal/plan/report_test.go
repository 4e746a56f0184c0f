package plan

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
	"ferry/internal/store/sqlite"
)

// TestReportListsAreBounded checks that a workspace with thousands of open owners gives a report
// that shows reportListMax of them, counts the rest, and lists open decisions in index order.
func TestReportListsAreBounded(t *testing.T) {
	for _, owners := range []int{3, 1200} {
		p := &Plan{Dedupe: &dedupe.Result{}}
		for i := range owners {
			p.Decisions.Owners = append(p.Decisions.Owners, decide.Owner{Klipy: fmt.Sprintf("Owner %d <o%d@x.com>", i, i),
				Records: 1, Resolution: decide.OwnerOpen})
		}
		var b bytes.Buffer
		if err := p.WriteReport(&b); err != nil {
			t.Fatal(err)
		}
		report := b.String()
		shown := strings.Count(report, ": no Pipedrive user;")
		rows := strings.Count(report, "@x.com&gt; | 1 | open |") // Klipy values are escaped

		want := min(owners, reportListMax)
		if shown != want || rows != want {
			t.Errorf("%d owners: %d open decisions and %d owner rows shown; want %d of each", owners, shown, rows, want)
		}
		if more := fmt.Sprintf("… and %d more", owners-reportListMax); owners > reportListMax && !strings.Contains(report, more) {
			t.Errorf("%d owners: the report does not say %q", owners, more)
		}
		if i, j := strings.Index(report, `owners\[2\] `), strings.Index(report, `owners\[10\] `); owners > 10 && (i < 0 || j < i) {
			t.Errorf("%d owners: open decisions not in index order (owners[2] at %d, owners[10] at %d)", owners, i, j)
		}
	}
}

// TestReportEscapesKlipyValues: an owner, a pipeline, a stage, a tag and an interaction type
// carrying HTML and Markdown links appear in plan-report.md as text: no raw HTML, no link.
func TestReportEscapesKlipyValues(t *testing.T) {
	const img, link = `<img src=x onerror=alert(1)>`, `[x](javascript:alert(1))`
	p := &Plan{Dedupe: &dedupe.Result{}}
	p.Decisions.Owners = []decide.Owner{{Klipy: img + " <" + "a@x.com>", Records: 2, Resolution: decide.OwnerOpen}}
	p.Decisions.Pipelines = []decide.PipelineMap{{Klipy: link, Deals: 1, Action: decide.ActionCreate, Target: link,
		Stages: []decide.StageMap{{Klipy: img, Target: link}}}}
	p.Decisions.Labels = []decide.LabelGroup{{Label: link, Variants: []string{img}, Uses: 1}}
	p.Decisions.ActivityTypes = []decide.ActivityType{{Klipy: link, Target: "call", Count: 1}}
	var b bytes.Buffer
	if err := p.WriteReport(&b); err != nil {
		t.Fatal(err)
	}
	report := b.String()
	for _, bad := range []string{"<img", "[x](", "](javascript"} {
		if i := strings.Index(report, bad); i >= 0 && !(bad == "](javascript" && i > 0 && report[i-1] == '\\') {
			t.Errorf("plan-report.md carries %q unescaped:\n%s", bad, report[max(0, i-60):min(len(report), i+60)])
		}
	}
	if !strings.Contains(report, "&lt;img src=x onerror=alert(1)&gt;") || !strings.Contains(report, `\[x\](javascript:alert(1))`) {
		t.Errorf("the hostile values do not appear escaped:\n%s", report)
	}
}

// TestReportListsDiscoveredOrganizations: companies extract made from references (and only
// those) are counted in the summary and listed, escaped, with what to do about them.
func TestReportListsDiscoveredOrganizations(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := []source.Record{
		{Kind: source.Company, ID: "c1", Origin: "harvest:companies.csv:2", Fields: map[string]string{"name": "Lumen Health"}},
		{Kind: source.Company, ID: "syn-1", Origin: "harvest:reference:people.csv:12", Fields: map[string]string{"name": "Fjord <b>Analytics</b>"}},
		{Kind: source.Company, ID: "syn-2", Origin: "harvest:reference:deals.csv:3", Fields: map[string]string{"name": "Aurora Labs"}},
	}
	if _, err := st.PutRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	p := &Plan{Dedupe: &dedupe.Result{}}
	if _, err := p.scan(ctx, st, func(string, int) {}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Aurora Labs", "Fjord <b>Analytics</b>"}, p.Discovered); diff != "" {
		t.Fatalf("discovered organizations (-want +got):\n%s", diff)
	}
	var b bytes.Buffer
	if err := p.WriteReport(&b); err != nil {
		t.Fatal(err)
	}
	report := b.String()
	for _, want := range []string{"**Organizations discovered from references**: 2", "## Organizations discovered from references",
		"| Aurora Labs |", "| Fjord &lt;b&gt;Analytics&lt;/b&gt; |", "add its row to companies.csv"} {
		if !strings.Contains(report, want) {
			t.Errorf("plan-report.md lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "| Lumen Health |") {
		t.Errorf("plan-report.md lists a company of the companies file as discovered:\n%s", report)
	}
}
