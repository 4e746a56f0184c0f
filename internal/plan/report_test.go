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
	p.LossesPredicted = true
	p.Losses = []Loss{{Object: "person", Reason: "owner " + img + " has no Pipedrive user", Records: 1, Named: []string{link + " (p1)"}}}
	p.Decisions.AcceptedLosses = []decide.AcceptedLoss{{Reason: img, Records: 1}}
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

// TestReportLosses: the predicted losses are listed by object and reason, each naming its
// first records and counting the rest, accepted ones marked; empty parts say "None".
func TestReportLosses(t *testing.T) {
	named := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("Person %d <p%d@x.com> (per_%d)", i, i, i))
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		p         *Plan
		want, not []string
	}{
		{"not predicted", &Plan{}, []string{"Not predicted", "### Accepted losses", "None."}, []string{"**"}},
		{"nothing lost", &Plan{LossesPredicted: true}, []string{"None: a dry run", "None."}, nil},
		{"losses", &Plan{LossesPredicted: true, Losses: []Loss{
			{Object: "person", Reason: "quarantined: not a valid email", Records: 12, Named: named(12)},
			{Object: "person", Reason: "held: parent company not migrated", Records: 1, AcceptedBy: "held", Named: named(1)},
			{Object: "note", Reason: "refused: no parent", Records: 2, Named: []string{"“Hi” (n1)", "“Yo” (n2)"}},
		}, Decisions: decide.Decisions{AcceptedLosses: []decide.AcceptedLoss{{Reason: "held", Records: 1}}}},
			[]string{"**Would not arrive**: 15 records", "predicts that 15 records", "### person", "### note",
				"**12 record(s)**: quarantined: not a valid email\n\n- Person 0 &lt;p0@x.com&gt; (per_0)\n",
				"- Person 9 &lt;p9@x.com&gt; (per_9)\n- … and 2 more\n",
				"(loss accepted: “held”)", "- “held”: 1 record(s) when accepted"},
			[]string{"Person 10 ", "None."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.Dedupe = &dedupe.Result{}
			var b bytes.Buffer
			if err := tc.p.WriteReport(&b); err != nil {
				t.Fatal(err)
			}
			report := b.String()
			for _, w := range tc.want {
				if !strings.Contains(strings.ToLower(report), strings.ToLower(w)) {
					t.Errorf("report lacks %q:\n%s", w, report)
				}
			}
			_, losses, _ := strings.Cut(report, "## Records that would not arrive")
			losses, _, _ = strings.Cut(losses, "## Duplicates")
			for _, n := range tc.not {
				if strings.Contains(losses, n) {
					t.Errorf("the losses section carries %q:\n%s", n, losses)
				}
			}
		})
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
