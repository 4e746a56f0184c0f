package estimate

import (
	"fmt"
	"strings"
)

// Grade is the complexity grade: four dimensions scored 0 (easy) to 3 (hard), summed.
type Grade struct {
	Letter     string      `json:"letter"` // A … E
	Label      string      `json:"label"`  // Simple … Very complex
	Timeline   string      `json:"timeline"`
	Score      int         `json:"score"` // 0 … 12
	Dimensions []Dimension `json:"dimensions"`
}

// Dimension is one scored aspect with the reasons for its score.
type Dimension struct {
	Name    string   `json:"name"`
	Score   int      `json:"score"`
	Reasons []string `json:"reasons"`
}

// grades maps a total score to letter, label and typical timeline (the seed's "C Moderate,
// 1-2 weeks"; over 2M records scoped individually).
var grades = []struct {
	max                     int
	letter, label, timeline string
}{
	{2, "A", "Simple", "1-3 days"},
	{4, "B", "Easy", "3-5 days"},
	{7, "C", "Moderate", "1-2 weeks"},
	{9, "D", "Complex", "2-4 weeks"},
	{12, "E", "Very complex", "scoped individually"},
}

// GradeOf grades a workload with its priced result.
func GradeOf(w Workload, r Result) Grade {
	g := Grade{Dimensions: []Dimension{compatibility(w), clarity(w), sourceAPI(w), volume(w, r)}}
	for _, d := range g.Dimensions {
		g.Score += d.Score
	}
	for _, b := range grades {
		if g.Score <= b.max {
			g.Letter, g.Label, g.Timeline = b.letter, b.label, b.timeline
			break
		}
	}
	if records(w) > 2_000_000 {
		g.Timeline = "scoped individually (over 2M records)"
	}
	return g
}

// compatibility: of the seed's ten objects, pipeline and custom field are lossy; skipped
// objects, collapsed pipelines and direct messages becoming tasks add mappings.
func compatibility(w Workload) Dimension {
	d := Dimension{Name: "object compatibility"}
	need := 2
	d.Reasons = append(d.Reasons, "8 of 10 objects map 1:1; pipeline (stages verbatim or collapsed) and custom fields (typed from the data) are lossy")
	if n := len(w.Mapping.SkippedObjects); n > 0 {
		need += n
		d.Reasons = append(d.Reasons, fmt.Sprintf("the mapping skips %s", strings.Join(w.Mapping.SkippedObjects, ", ")))
	}
	if w.Mapping.Collapsed > 0 {
		need++
		d.Reasons = append(d.Reasons, fmt.Sprintf("%d Klipy pipeline(s) collapsed onto existing Pipedrive stages", w.Mapping.Collapsed))
	}
	if w.Source["attachment"] > 0 {
		need++
		d.Reasons = append(d.Reasons, "attachments become files uploaded from the harvest folder (checksum verified)")
	}
	d.Score = step(need, 1, 2, 4)
	return d
}

// clarity: fields not migrated, records the mapping cannot take, open decisions.
func clarity(w Workload) Dimension {
	d := Dimension{Name: "mapping clarity"}
	m := w.Mapping
	if !m.Known {
		d.Score = 1
		d.Reasons = []string{"field mapping derived from defaults: the final spec is confirmed during the sample migration"}
		return d
	}
	skipShare := share(m.SkippedFields, m.Fields)
	var src, quar, held int
	for _, p := range w.Phases {
		src, quar, held = src+p.Source, quar+p.Quarantined, held+p.Held
	}
	qShare := share(quar+held, src)
	d.Reasons = append(d.Reasons,
		fmt.Sprintf("%d of %d mapped fields not migrated (%.0f%%); %d custom fields", m.SkippedFields, m.Fields, 100*skipShare, m.CustomFields),
		fmt.Sprintf("%d records quarantined (by extraction or the mapping) and %d held for a missing parent (%.1f%% of %d)", quar, held, 100*qShare, src))
	d.Score = max(stepF(skipShare, 0.10, 0.25, 0.50), stepF(qShare, 0.01, 0.05, 0.15))
	if m.OpenDecisions > 0 {
		d.Score = min(d.Score+1, 3)
		d.Reasons = append(d.Reasons, fmt.Sprintf("%d decision(s) still open", m.OpenDecisions))
	}
	if m.OwnersToAct > 0 || m.TagVariants > 0 {
		d.Reasons = append(d.Reasons, fmt.Sprintf("%d owner(s) to provision or fall back; %d tag spelling(s) merged into labels", m.OwnersToAct, m.TagVariants))
	}
	return d
}

// KlipyPerMinute is Klipy's documented API limit per key.
const KlipyPerMinute = 200

// sourceAPI: what Klipy gives and how fast.
func sourceAPI(w Workload) Dimension {
	d := Dimension{Name: "source API constraints", Reasons: []string{
		"Klipy's API is a beta: people and interactions by query, companies only by id (no list)",
		"deals only from webhook capture (deal.* events) or the harvest folder; notes, tasks, tags, custom fields and files only by harvest",
		fmt.Sprintf("Klipy allows %d requests/minute per key (1,000 per organization)", KlipyPerMinute),
	}}
	// People and interactions page at 100; each company is one GET by id.
	calls := pages100(w.Source["person"]) + pages100(w.Source["interaction"]) + w.Source["company"]
	minutes := float64(calls) / KlipyPerMinute
	d.Reasons = append(d.Reasons, fmt.Sprintf("about %d Klipy API requests: %.0f minute(s) of extraction at the limit", calls, minutes))
	d.Score = 2
	if minutes > 60 {
		d.Score = 3
	}
	return d
}

func pages100(n int) int { return (n + 99) / 100 }

// volume: records and days of Pipedrive budget.
func volume(w Workload, r Result) Dimension {
	n := records(w)
	d := Dimension{Name: "data volume", Reasons: []string{
		fmt.Sprintf("%d source records; %d tokens = %.2f day(s) of the %s budget (%d seat(s), %d tokens/day)", n, r.Tokens, r.Days, r.Plan, r.Seats, r.DailyBudget),
		fmt.Sprintf("%d requests: %s at %d requests per 2 s", r.Requests, r.WallTime.Round(1e9), r.Burst),
	}}
	d.Score = max(step(n, 5_000, 50_000, 500_000), stepF(r.Days, 1, 3, 14))
	if n > 2_000_000 {
		d.Reasons = append(d.Reasons, "over 2M records: scoped individually")
	}
	return d
}

func records(w Workload) int {
	n := 0
	for _, p := range w.Phases {
		n += p.Source
	}
	return n
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// step scores n against thresholds: ≤ t1 → 0, ≤ t2 → 1, ≤ t3 → 2, else 3.
func step(n, t1, t2, t3 int) int { return stepF(float64(n), float64(t1), float64(t2), float64(t3)) }

func stepF(x, t1, t2, t3 float64) int {
	switch {
	case x <= t1:
		return 0
	case x <= t2:
		return 1
	case x <= t3:
		return 2
	}
	return 3
}
