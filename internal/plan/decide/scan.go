package decide

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"ferry/internal/plan/profile"
	"ferry/internal/source"
	"ferry/internal/store"
)

// Scan is what the snapshot says about pipelines, tags, interaction types and owners.
type Scan struct {
	Stages       map[string]map[string]*StageStat // pipeline → stage → stats
	Tags         map[string]int                   // tag as written → uses
	Interactions map[string]int                   // "TYPE" or "DIRECT_MESSAGE/Channel" → count
	OwnerRefs    map[string]int                   // owner reference as written → records
	Owners       []source.Record                  // owners.csv
	// ClosedUnplaced counts, per pipeline, won and lost deals with no known open stage
	// (no stage, or a closing one, and no open stage in their history): they go to the
	// pipeline's last stage.
	ClosedUnplaced map[string]int
}

// StageStat counts deals in a stage and where the stage sits in deal histories.
type StageStat struct {
	Deals     int     // deals currently in the stage
	posSum    float64 // sum of relative positions in stage histories
	posN      int
	before    map[string]int // other stage → histories in which this stage came before it
	histories int            // histories the stage is in
	firstRow  int            // first line of the deals file it appears on (0: unknown)
}

// add takes o's counts into s.
func (s *StageStat) add(o *StageStat) {
	s.Deals += o.Deals
	s.posSum += o.posSum
	s.posN += o.posN
	s.histories += o.histories
	if o.firstRow > 0 && (s.firstRow == 0 || o.firstRow < s.firstRow) {
		s.firstRow = o.firstRow
	}
	for k, n := range o.before {
		if s.before == nil {
			s.before = map[string]int{}
		}
		s.before[k] += n
	}
}

// Position is the stage's mean relative position (0 first, 1 last) in deal histories.
func (s *StageStat) Position() float64 {
	if s.posN == 0 {
		return 0.5
	}
	return s.posSum / float64(s.posN)
}

// NewScan returns an empty scan; feed it with Add.
func NewScan() *Scan {
	return &Scan{Stages: map[string]map[string]*StageStat{}, Tags: map[string]int{},
		Interactions: map[string]int{}, OwnerRefs: map[string]int{}, ClosedUnplaced: map[string]int{}}
}

// Add takes one snapshot record into the scan; kinds the decisions do not need are ignored.
func (sc *Scan) Add(r source.Record) {
	switch r.Kind {
	case source.Owner:
		sc.Owners = append(sc.Owners, r)
	case source.Company, source.Person, source.Task:
		sc.common(r)
	case source.Deal:
		sc.deal(r)
	case source.Interaction:
		sc.interaction(r)
	case source.Note:
		if a := r.Fields["author"]; strings.TrimSpace(a) != "" {
			sc.OwnerRefs[a]++
		}
	}
}

// ScanSnapshot streams the snapshot once per kind it needs.
func ScanSnapshot(ctx context.Context, st store.Store) (*Scan, error) {
	sc := NewScan()
	for _, k := range []source.Kind{source.Owner, source.Company, source.Person, source.Deal,
		source.Interaction, source.Task, source.Note} {
		err := st.EachRecord(ctx, k, func(r source.Record) error { sc.Add(r); return nil })
		if err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// common counts tags and the owner reference.
func (sc *Scan) common(r source.Record) {
	for _, t := range profile.SplitAny(r.Fields["tags"]) { // as the mapping splits them (",", ";" or "|")
		sc.Tags[t]++
	}
	if o := r.Fields["owner"]; strings.TrimSpace(o) != "" {
		sc.OwnerRefs[o]++
	}
}

func (sc *Scan) deal(r source.Record) {
	sc.common(r)
	p := strings.TrimSpace(r.Fields["pipeline"])
	if p == "" {
		p = "Pipeline"
	}
	stages := sc.Stages[p]
	if stages == nil {
		stages = map[string]*StageStat{}
		sc.Stages[p] = stages
	}
	stat := func(name string) *StageStat {
		s := stages[name]
		if s == nil {
			s = &StageStat{}
			stages[name] = s
		}
		return s
	}
	row := originLine(r.Origin)
	history := historyNames(r.Fields["stage_history"])
	for i, name := range history {
		s := stat(name)
		s.histories++
		s.seenOn(row)
		if len(history) > 1 {
			s.posSum += float64(i) / float64(len(history)-1)
			s.posN++
		}
		for _, later := range history[i+1:] {
			if later != name {
				if s.before == nil {
					s.before = map[string]int{}
				}
				s.before[later]++
			}
		}
	}
	cur := strings.TrimSpace(r.Fields["stage"])
	if cur != "" {
		stat(cur).Deals++
		stat(cur).seenOn(row)
	}
	if st := strings.ToLower(strings.TrimSpace(r.Fields["status"])); (st == "won" || st == "lost") &&
		(cur == "" || closingStatus(cur) != "") && !anyOpen(history) {
		sc.ClosedUnplaced[p]++
	}
}

// historyNames returns the stage names of a stage_history ("Stage" or "Stage@time" items).
func historyNames(v string) []string {
	var out []string
	for _, h := range source.List(v) {
		if name, _, _ := strings.Cut(h, "@"); strings.TrimSpace(name) != "" {
			out = append(out, strings.TrimSpace(name))
		}
	}
	return out
}

func anyOpen(stages []string) bool {
	for _, s := range stages {
		if closingStatus(s) == "" {
			return true
		}
	}
	return false
}

// seenOn remembers the first deals-file row the stage appears on.
func (s *StageStat) seenOn(row int) {
	if row > 0 && (s.firstRow == 0 || row < s.firstRow) {
		s.firstRow = row
	}
}

// originLine reads the line of an origin like "deals.csv:12" (0 when there is none).
func originLine(origin string) int {
	i := strings.LastIndexByte(origin, ':')
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(origin[i+1:])
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (sc *Scan) interaction(r source.Record) {
	t := strings.ToUpper(strings.TrimSpace(r.Fields["type"]))
	if t == source.TypeDirectMessage {
		if ch := strings.TrimSpace(r.Fields["channel"]); ch != "" {
			t += "/" + ch
		}
	}
	sc.Interactions[t]++
	if o := r.Fields["created_by"]; strings.TrimSpace(o) != "" {
		sc.OwnerRefs[o]++
	}
}

// Merge adds what o has seen to sc, so that several Scans can read parts of a snapshot on
// several goroutines. Owners are kept in id order, the order a walk of the snapshot gives.
// o must not be used afterwards.
func (sc *Scan) Merge(o *Scan) {
	for p, stages := range o.Stages {
		mine := sc.Stages[p]
		if mine == nil {
			sc.Stages[p] = stages
			continue
		}
		for name, st := range stages {
			if m := mine[name]; m != nil {
				m.add(st)
			} else {
				mine[name] = st
			}
		}
	}
	addCounts(sc.Tags, o.Tags)
	addCounts(sc.Interactions, o.Interactions)
	addCounts(sc.OwnerRefs, o.OwnerRefs)
	addCounts(sc.ClosedUnplaced, o.ClosedUnplaced)
	sc.Owners = append(sc.Owners, o.Owners...)
	slices.SortStableFunc(sc.Owners, func(a, b source.Record) int { return strings.Compare(a.ID, b.ID) })
}

func addCounts(dst, src map[string]int) {
	for k, n := range src {
		dst[k] += n
	}
}
