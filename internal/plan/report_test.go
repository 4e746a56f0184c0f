package plan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
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
