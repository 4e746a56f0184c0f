package decide

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
)

// klipyDefaultStages is Klipy's default funnel (its admins may rename and reorder it).
var klipyDefaultStages = []string{"Prospecting", "Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost"}

// Evidence of a stage order (PipelineMap.Order).
const (
	OrderKlipyDefault = "Klipy's default stage order (the names match it)"
	OrderPrefixes     = "the numbers the stage names start with"
	OrderHistories    = "the stage histories of %d deals"
	OrderRows         = "the order the stages first appear in the deals file"
	OrderNone         = "no evidence (alphabetical): check the order and reorder the stages here"
)

// numPrefix reads the number a stage name starts with ("1. Lead", "02 - Demo", "3) Won").
var numPrefix = regexp.MustCompile(`^\s*(\d{1,4})\s*[.)\-:_]?\s`)

func prefixOf(stage string) (int, bool) {
	m := numPrefix.FindStringSubmatch(stage + " ")
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// orderStages puts a pipeline's stages in funnel order, open stages first and closing
// stages (won, then lost) last, and says on what evidence: Klipy's default order when every
// open stage has one of its names; else the numbers every open stage name starts with; else
// the stage histories (a stage before another in more deals comes first; ties and stages no
// history orders go by their mean place in histories, then by their first row in the deals
// file, then by name). It never orders by name alone when any evidence exists.
func orderStages(stats map[string]*StageStat) ([]string, string) {
	var open, closing []string
	for s := range stats {
		if closingStatus(s) != "" {
			closing = append(closing, s)
		} else {
			open = append(open, s)
		}
	}
	sort.Slice(closing, func(i, j int) bool {
		if a, b := closingStatus(closing[i]), closingStatus(closing[j]); a != b {
			return a == "won"
		}
		return closing[i] < closing[j]
	})
	sort.Strings(open)
	ordered, evidence := orderOpen(open, stats)
	return append(ordered, closing...), evidence
}

// orderOpen orders the open stages (given sorted by name).
func orderOpen(open []string, stats map[string]*StageStat) ([]string, string) {
	if idx, ok := indexIn(open, klipyDefaultStages); ok {
		sort.SliceStable(open, func(i, j int) bool { return idx[open[i]] < idx[open[j]] })
		return open, OrderKlipyDefault
	}
	if nums, ok := allPrefixed(open); ok {
		sort.SliceStable(open, func(i, j int) bool { return nums[open[i]] < nums[open[j]] })
		return open, OrderPrefixes
	}
	deals := 0
	for _, s := range open {
		deals = max(deals, stats[s].histories)
	}
	less := func(a, b string) bool {
		sa, sb := stats[a], stats[b]
		if pa, pb := sa.Position(), sb.Position(); pa != pb {
			return pa < pb
		}
		if ra, rb := rowOf(sa), rowOf(sb); ra != rb {
			return ra < rb
		}
		return a < b
	}
	out := topoOrder(open, stats, less)
	switch {
	case hasPrecedence(open, stats):
		return out, fmt.Sprintf(OrderHistories, deals)
	case anyRow(open, stats):
		return out, OrderRows
	case len(open) <= 1:
		return out, ""
	}
	return out, OrderNone
}

// topoOrder orders stages so that a stage that comes before another in more histories than
// the reverse is first (Kahn's algorithm, less picking among the ready ones; a cycle is
// broken at its least stage).
func topoOrder(open []string, stats map[string]*StageStat, less func(a, b string) bool) []string {
	before := func(a, b string) bool { return stats[a].before[b] > stats[b].before[a] }
	left := append([]string(nil), open...)
	var out []string
	for len(left) > 0 {
		pick := -1
		for i, s := range left {
			ready := true
			for _, o := range left {
				if o != s && before(o, s) {
					ready = false
					break
				}
			}
			if ready && (pick < 0 || less(s, left[pick])) {
				pick = i
			}
		}
		if pick < 0 { // a cycle: take the least stage
			pick = 0
			for i := range left {
				if less(left[i], left[pick]) {
					pick = i
				}
			}
		}
		out = append(out, left[pick])
		left = append(left[:pick], left[pick+1:]...)
	}
	return out
}

func indexIn(stages, names []string) (map[string]int, bool) {
	idx := map[string]int{}
	for _, s := range stages {
		i := -1
		for j, n := range names {
			if sameName(s, n) {
				i = j
			}
		}
		if i < 0 {
			return nil, false
		}
		idx[s] = i
	}
	return idx, len(stages) > 0
}

func allPrefixed(stages []string) (map[string]int, bool) {
	nums := map[string]int{}
	for _, s := range stages {
		n, ok := prefixOf(s)
		if !ok {
			return nil, false
		}
		nums[s] = n
	}
	return nums, len(stages) > 1
}

func hasPrecedence(stages []string, stats map[string]*StageStat) bool {
	for _, s := range stages {
		if len(stats[s].before) > 0 {
			return true
		}
	}
	return false
}

func anyRow(stages []string, stats map[string]*StageStat) bool {
	for _, s := range stages {
		if stats[s].firstRow > 0 {
			return true
		}
	}
	return false
}

// rowOf is the first deals-file row a stage appears on; unknown rows sort last.
func rowOf(s *StageStat) int {
	if s.firstRow == 0 {
		return math.MaxInt
	}
	return s.firstRow
}
