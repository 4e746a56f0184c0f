package rollback

import (
	"net/http"

	"ferry/internal/pipedrive/costs"
)

// Estimate is what the pending undos of a rollback will cost.
type Estimate struct {
	Steps       int              `json:"steps"`
	ByCategory  map[Category]int `json:"by_category"`
	UndoTokens  int64            `json:"undo_tokens"`  // the undo calls
	ProofTokens int64            `json:"proof_tokens"` // the read-back of the proof (lists, 500 a page)
	// GuardTokens is the read, before any undo, of what users did since the migration
	// (persons, organizations, deals, activities and notes, one page each at least).
	GuardTokens int64   `json:"guard_tokens"`
	Tokens      int64   `json:"tokens"` // all three
	DailyBudget int64   `json:"daily_budget"`
	Days        float64 `json:"days"` // Tokens ÷ DailyBudget; 0 without a budget
}

// EstimateCost prices the pending steps of p with the token costs of Pipedrive's documents,
// plus the list reads of the proof over every step of the scope.
func EstimateCost(p Plan, dailyBudget int64) Estimate {
	e := Estimate{Steps: len(p.Pending), ByCategory: Counts(p.Pending), DailyBudget: dailyBudget}
	labelEntities := map[string]bool{}
	for _, s := range p.Pending {
		if s.Category == CatLabelOption {
			if !labelEntities[s.Entity] {
				labelEntities[s.Entity] = true
				e.UndoTokens += cost(http.MethodGet, "/api/v1/"+s.Entity+"Fields") + cost(http.MethodPut, "/api/v1/"+s.Entity+"Fields/1")
			}
			continue
		}
		req, err := s.request()
		if err == nil {
			e.UndoTokens += cost(req.Method, req.Path)
		}
	}
	all := append(append([]Step(nil), p.Pending...), p.Done...)
	for _, r := range proofReads(all) {
		e.ProofTokens += cost(http.MethodGet, r.path) * int64(r.pages)
	}
	e.GuardTokens = guardTokens(p.Pending, all)
	e.Tokens = e.UndoTokens + e.ProofTokens + e.GuardTokens
	if dailyBudget > 0 {
		e.Days = float64(e.Tokens) / float64(dailyBudget)
	}
	return e
}

// guardTokens prices findKept's reads: every record category once, as many pages as the
// journal's items of it fill, when any pending step touches a record.
func guardTokens(pending, all []Step) int64 {
	need := false
	for _, s := range pending {
		need = need || isRecordCat(s.Category)
	}
	if !need {
		return 0
	}
	probe := make([]Step, 0, len(all)+len(recordCats))
	for _, c := range recordCats {
		probe = append(probe, Step{Category: c})
	}
	for _, s := range all {
		if isRecordCat(s.Category) {
			probe = append(probe, s)
		}
	}
	var t int64
	for _, r := range proofReads(probe) {
		t += cost(http.MethodGet, r.path) * int64(r.pages)
	}
	return t
}

func cost(method, path string) int64 {
	_, c, ok := costs.Match(method, path)
	if !ok {
		return 0
	}
	return int64(c)
}

// read is one list endpoint the proof walks, with an estimate of its pages.
type read struct {
	path  string
	pages int
}

// proofReads lists the reads Prove makes for steps: one list per touched collection (pages
// for at least the touched items), one fields list per field entity, one label field read per
// entity.
func proofReads(steps []Step) []read {
	n := map[string]int{}
	for _, s := range steps {
		switch s.Category {
		case CatFile:
			n["/api/v1/files"]++
		case CatNote:
			n["/api/v1/notes"]++
		case CatField, CatFieldOption:
			n[fieldsPath(s.Entity)] = 1
		case CatLabelOption:
			n["/api/v1/"+s.Entity+"Fields"] = 1
		default:
			n["/api/v2/"+string(v2Kinds[s.Category])]++
		}
	}
	var out []read
	for path, items := range n {
		size := 500
		if path == "/api/v1/files" {
			size = 100
		}
		out = append(out, read{path: path, pages: items/size + 1})
	}
	return out
}
