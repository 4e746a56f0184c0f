package review

import (
	"encoding/xml"
	"strings"
	"testing"

	"ferry/internal/report"
)

// wellFormed parses an SVG as XML: an unescaped name would break it.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() == "EOF" {
				return
			}
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
	}
}

func TestReconciliationSVG(t *testing.T) {
	phases := []report.Phase{
		{Kind: "company", Status: report.PhaseBalanced, Source: 10, Created: 6, Merged: 2, Quarantined: 1, Held: 1},
		{Kind: "person<x>", Status: report.StatusNoRun, Source: 5},
	}
	svg := string(reconciliationSVG(phases))
	wellFormed(t, svg)
	for _, want := range []string{"10 = 6 created + 2 merged + 1 quarantined + 1 held", "5 = 5 open", "person&lt;x&gt;"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart does not say %q:\n%s", want, svg)
		}
	}
	if n := strings.Count(svg, "<rect"); n != len(outcomeColors)+5 {
		t.Errorf("%d rects, want %d legend swatches and 5 segments", n, len(outcomeColors))
	}
}

func TestStageMapSVG(t *testing.T) {
	rows := []report.StageRow{
		{KlipyPipeline: "Sales & <Co>", PipelineDeals: 5, Action: "create", PipedrivePipeline: "Sales", KlipyStage: "Lead", StageDeals: 3, PipedriveStage: "Lead"},
		{KlipyPipeline: "Sales & <Co>", KlipyStage: "Qualified", StageDeals: 1, PipedriveStage: "Lead"},
		{KlipyPipeline: "Sales & <Co>", KlipyStage: "Won", StageDeals: 1, Status: "won"},
		{KlipyPipeline: "Partners", PipelineDeals: 1, Action: "collapse", PipedrivePipeline: "Sales", KlipyStage: "Intro", StageDeals: 1},
	}
	svg := string(stageMapSVG(rows))
	wellFormed(t, svg)
	for _, want := range []string{"Sales &amp; &lt;Co&gt; (5 deals)", "Lead (3)", "status: won", "(open: no target)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("stage map does not say %q", want)
		}
	}
	if n := strings.Count(svg, "<line"); n != len(rows) {
		t.Errorf("%d lines, want one per Klipy stage (%d)", n, len(rows))
	}
	// Two Klipy stages into one Pipedrive stage share its box: 3 boxes right for the first pipeline.
	if n := strings.Count(svg, `fill="#e8f5ee"`) + strings.Count(svg, `fill="#fbecc8"`); n != 3 {
		t.Errorf("%d target boxes, want 3 (Lead, status: won, open)", n)
	}
}

func TestSpendSVG(t *testing.T) {
	spend := []report.Spend{
		{Day: "2026-12-01", Endpoint: "POST /api/v2/persons", Tokens: 300},
		{Day: "2026-12-01", Endpoint: "GET /api/v1/users", Tokens: 20},
		{Day: "2026-12-02", Endpoint: "POST /api/v2/deals", Tokens: 900},
	}
	svg := string(spendSVG(spend, 600))
	wellFormed(t, svg)
	for _, want := range []string{"2026-12-01: 320 tokens", "2026-12-02: 900 tokens", "budget 600"} {
		if !strings.Contains(svg, want) {
			t.Errorf("spend chart does not say %q:\n%s", want, svg)
		}
	}
	if n := strings.Count(svg, "<rect"); n != 2 {
		t.Errorf("%d bars, want one per day (2)", n)
	}
	if got := string(spendSVG(nil, 600)); !strings.Contains(got, "No API budget spent yet") {
		t.Errorf("empty ledger: %q", got)
	}
}
