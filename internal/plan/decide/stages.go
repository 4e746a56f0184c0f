package decide

import (
	"sort"
	"strings"
	"unicode"
)

// Destination is what Pipedrive already holds that the decisions refer to.
type Destination struct {
	Users         []User
	Pipelines     []Pipeline
	Labels        []string // label option names across persons, organizations and deals
	ActivityTypes []string // activity type key strings
}

// User is a Pipedrive user.
type User struct{ Name, Email string }

// Pipeline is a Pipedrive pipeline and its stage names in order.
type Pipeline struct {
	Name   string
	Stages []string
}

// collapseThreshold is the share of a Klipy pipeline's open stages that must find a similar
// stage in an existing Pipedrive pipeline for ferry to propose collapsing onto it.
const collapseThreshold = 0.6

// proposePipelines maps each Klipy pipeline: collapse onto an existing Pipedrive pipeline
// whose stages cover most of it, else create it verbatim.
func proposePipelines(sc *Scan, dest Destination) []PipelineMap {
	names := make([]string, 0, len(sc.Stages))
	for p := range sc.Stages {
		names = append(names, p)
	}
	sort.Strings(names)
	var out []PipelineMap
	for _, name := range names {
		pm := proposePipeline(name, sc.Stages[name], dest)
		pm.ClosedToLast = sc.ClosedUnplaced[name]
		out = append(out, pm)
	}
	return out
}

func proposePipeline(name string, stats map[string]*StageStat, dest Destination) PipelineMap {
	pm := PipelineMap{Klipy: name, Action: ActionCreate, Target: name}
	ordered, evidence := orderStages(stats)
	pm.Order = evidence
	best, cover := bestExisting(ordered, dest)
	if cover >= collapseThreshold && (matchedStages(ordered, best) >= 2 || sameName(name, best.Name)) {
		pm.Action, pm.Target = ActionCollapse, best.Name
	} else if existsNamed(dest, name) {
		pm.Target = name + " (Klipy)"
	}
	for _, s := range ordered {
		sm := StageMap{Klipy: s, Deals: stats[s].Deals, Target: s}
		if st := closingStatus(s); st != "" {
			sm.Target, sm.Status = "", st
		} else if pm.Action == ActionCollapse {
			sm.Target = similarStage(s, best.Stages)
		}
		pm.Deals += sm.Deals
		pm.Stages = append(pm.Stages, sm)
	}
	return pm
}

// matchedStages counts the open stages that find a similar stage in p: one shared stage
// name ("Qualified") is not enough to fold a pipeline into another of a different name.
func matchedStages(stages []string, p Pipeline) int {
	n := 0
	for _, s := range stages {
		if closingStatus(s) == "" && similarStage(s, p.Stages) != "" {
			n++
		}
	}
	return n
}

// closingStatus says whether a Klipy stage name means won or lost.
func closingStatus(stage string) string {
	n := normName(stage)
	switch {
	case strings.Contains(n, "won") || n == "closedwin" || n == "win":
		return "won"
	case strings.Contains(n, "lost") || strings.Contains(n, "closedlose"):
		return "lost"
	}
	return ""
}

// bestExisting finds the Pipedrive pipeline covering the largest share of open stages.
func bestExisting(stages []string, dest Destination) (Pipeline, float64) {
	var best Pipeline
	bestCover := 0.0
	for _, p := range dest.Pipelines {
		open, hit := 0, 0
		for _, s := range stages {
			if closingStatus(s) != "" {
				continue
			}
			open++
			if similarStage(s, p.Stages) != "" {
				hit++
			}
		}
		if open > 0 && float64(hit)/float64(open) > bestCover {
			best, bestCover = p, float64(hit)/float64(open)
		}
	}
	return best, bestCover
}

// similarStage returns the stage of candidates most similar to s, or "" when none is close.
func similarStage(s string, candidates []string) string {
	best, bestScore := "", 0.0
	for _, c := range candidates {
		if score := similarity(s, c); score > bestScore {
			best, bestScore = c, score
		}
	}
	if bestScore < 0.8 {
		return ""
	}
	return best
}

// similarity is 1 for names equal after normalisation, else a normalised edit similarity.
func similarity(a, b string) float64 {
	na, nb := normName(a), normName(b)
	if na == nb {
		return 1
	}
	d := levenshtein(na, nb)
	m := max(len([]rune(na)), len([]rune(nb)))
	if m == 0 {
		return 0
	}
	return 1 - float64(d)/float64(m)
}

func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sameName(a, b string) bool { return normName(a) == normName(b) }

func existsNamed(dest Destination, name string) bool {
	for _, p := range dest.Pipelines {
		if sameName(p.Name, name) {
			return true
		}
	}
	return false
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
