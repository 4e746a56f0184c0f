package review

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"ferry/internal/report"
)

// segment is one coloured part of a stacked bar.
type segment struct {
	Name  string
	Color string
	N     int
}

// outcomeColors are the reconciliation's outcomes in the order they are stacked.
var outcomeColors = []struct{ Name, Color string }{
	{"created", "#4fb27a"}, {"merged", "#3d7cc9"}, {"skipped", "#9aa4b5"},
	{"quarantined", "#e39b2d"}, {"failed", "#d64545"}, {"held", "#8e5cc2"}, {"open", "#dde2ea"},
}

func phaseSegments(p report.Phase) []segment {
	ns := []int{p.Created, p.Merged, p.SkippedByRule, p.Quarantined, p.Failed, p.Held, p.Open}
	if p.Status == report.StatusNoRun {
		ns = []int{0, 0, 0, 0, 0, 0, p.Source}
	}
	out := make([]segment, len(ns))
	for i, n := range ns {
		out[i] = segment{outcomeColors[i].Name, outcomeColors[i].Color, n}
	}
	return out
}

// reconciliationSVG draws one stacked bar per object: source split into its outcomes, each
// bar scaled to its own source count (the share is what matters), with the numbers written
// beside it. Every text is escaped.
func reconciliationSVG(phases []report.Phase) template.HTML {
	const left, width, rowH, top = 110, 420, 26, 30
	h := top + rowH*len(phases) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="reconciliation per object" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`,
		left+width+260, h, left+width+260, h)
	x := left
	for _, c := range outcomeColors {
		fmt.Fprintf(&b, `<rect x="%d" y="6" width="10" height="10" fill="%s"/><text x="%d" y="15">%s</text>`, x, c.Color, x+13, esc(c.Name))
		x += 13 + 8*len(c.Name) + 10
	}
	for i, p := range phases {
		y := top + i*rowH
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, y+14, esc(string(p.Kind)))
		total := max(p.Source, 1)
		x := float64(left)
		var parts []string
		for _, s := range phaseSegments(p) {
			if s.N == 0 {
				continue
			}
			w := float64(width) * float64(s.N) / float64(total)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="18" fill="%s"><title>%s: %d</title></rect>`,
				x, y, w, s.Color, esc(s.Name), s.N)
			x += w
			parts = append(parts, fmt.Sprintf("%d %s", s.N, s.Name))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%d = %s</text>`, left+width+8, y+14, p.Source, esc(strings.Join(parts, " + ")))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// stageMapSVG draws each Klipy pipeline's stages (left, in funnel order, with deal counts)
// joined by lines to the Pipedrive stage or deal status each maps to (right).
func stageMapSVG(rows []report.StageRow) template.HTML {
	const boxW, boxH, gap, rightX = 230, 22, 6, 420
	type side struct {
		y     map[string]int
		order []string
	}
	var b strings.Builder
	y := 0
	var body strings.Builder
	for _, group := range groupStages(rows) {
		first := group[0]
		fmt.Fprintf(&body, `<text x="0" y="%d" font-weight="bold">%s (%d deals) → %s %s</text>`, y+14,
			esc(first.KlipyPipeline), first.PipelineDeals, esc(first.Action), esc(first.PipedrivePipeline))
		y += 24
		right := side{y: map[string]int{}}
		for _, r := range group {
			t := targetOf(r)
			if _, ok := right.y[t]; !ok {
				right.y[t] = 0
				right.order = append(right.order, t)
			}
		}
		for i, t := range right.order {
			right.y[t] = y + i*(boxH+gap)
			fill := "#e8f5ee"
			if strings.HasPrefix(t, "status: ") {
				fill = "#fbecc8"
			}
			fmt.Fprintf(&body, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s" stroke="#9aa4b5"/><text x="%d" y="%d">%s</text>`,
				rightX, right.y[t], boxW, boxH, fill, rightX+6, right.y[t]+15, esc(t))
		}
		for i, r := range group {
			ly := y + i*(boxH+gap)
			fmt.Fprintf(&body, `<rect x="0" y="%d" width="%d" height="%d" rx="3" fill="#fff" stroke="#9aa4b5"/><text x="6" y="%d">%s (%d)</text>`,
				ly, boxW, boxH, ly+15, esc(r.KlipyStage), r.StageDeals)
			fmt.Fprintf(&body, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#3d7cc9" stroke-width="%d"/>`,
				boxW, ly+boxH/2, rightX, right.y[targetOf(r)]+boxH/2, 1+min(r.StageDeals, 40)/10)
		}
		y += max(len(group), len(right.order))*(boxH+gap) + 14
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="stage map" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`,
		rightX+boxW+4, y+4, rightX+boxW+4, y+4)
	b.WriteString(body.String())
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// groupStages splits the stage rows by Klipy pipeline, keeping their order.
func groupStages(rows []report.StageRow) [][]report.StageRow {
	var out [][]report.StageRow
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1][0].KlipyPipeline == r.KlipyPipeline {
			out[n-1] = append(out[n-1], r)
			continue
		}
		out = append(out, []report.StageRow{r})
	}
	return out
}

func targetOf(r report.StageRow) string {
	if r.Status != "" {
		return "status: " + r.Status
	}
	if r.PipedriveStage == "" {
		return "(open: no target)"
	}
	return r.PipedriveStage
}

func esc(s string) string { return html.EscapeString(s) }

// spendSVG draws the Pipedrive API tokens spent per day as bars against the daily budget (a
// dashed line), from the store's budget ledger.
func spendSVG(spend []report.Spend, daily int) template.HTML {
	var days []string
	tokens := map[string]int64{}
	for _, s := range spend {
		if _, ok := tokens[s.Day]; !ok {
			days = append(days, s.Day)
		}
		tokens[s.Day] += s.Tokens
	}
	if len(days) == 0 {
		return template.HTML(`<p>No API budget spent yet.</p>`)
	}
	top := int64(daily)
	for _, d := range days {
		top = max(top, tokens[d])
	}
	top = max(top, 1)
	const h, barW, gap, left = 160, 46, 14, 70
	w := left + len(days)*(barW+gap) + 20
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="API budget per day" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`,
		w, h+40, w, h+40)
	y := func(v int64) float64 { return 10 + float64(h)*(1-float64(v)/float64(top)) }
	for i, d := range days {
		x := left + i*(barW+gap)
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="#3d7cc9"><title>%s: %d tokens</title></rect>`,
			x, y(tokens[d]), barW, float64(h)+10-y(tokens[d]), esc(d), tokens[d])
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text><text x="%d" y="%.1f">%d</text>`, x, h+24, esc(d[min(5, len(d)):]), x, y(tokens[d])-3, tokens[d])
	}
	if daily > 0 {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#d64545" stroke-dasharray="4 3"/><text x="0" y="%.1f" fill="#d64545">budget %d</text>`,
			left-4, y(int64(daily)), w-10, y(int64(daily)), y(int64(daily))+4, daily)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
