package estimate

import (
	"fmt"
	"math"
	"sort"
	"time"

	"ferry/internal/workspace"
)

// Options price a workload: the Pipedrive plan and seats (the daily budget and the burst
// limit), the share of lost responses, and whether verification reads are counted.
type Options struct {
	Plan        string  // lite, growth, premium, ultimate
	Seats       int     // ≥ 1
	TopUpTokens int     // purchased tokens per day
	OAuth       bool    // OAuth burst limits instead of API-token ones
	LostRate    float64 // expected share of creates whose response is lost (0..1)
	NoVerify    bool    // leave the verification reads out
}

// Result is the priced estimate.
type Result struct {
	Workload     Workload      `json:"workload"`
	Calls        []Call        `json:"calls"`
	Requests     int           `json:"requests"`      // run + verify
	RunRequests  int           `json:"run_requests"`  // what ferry run sends
	Tokens       int           `json:"tokens"`        // run + verify
	RunTokens    int           `json:"run_tokens"`    // schema setup and records: what ferry run spends
	SchemaTokens int           `json:"schema_tokens"` // part of RunTokens
	VerifyTokens int           `json:"verify_tokens"`
	Plan         string        `json:"plan"`
	Seats        int           `json:"seats"`
	DailyBudget  int           `json:"daily_budget"`
	Days         float64       `json:"days"`  // Tokens / DailyBudget
	Burst        int           `json:"burst"` // requests per 2 s
	WallTime     time.Duration `json:"wall_time_ns"`
	Grade        Grade         `json:"grade"`
}

// Estimate prices w under opts. It fails on an unknown plan, seats below 1, or a request
// whose cost Pipedrive's spec does not list.
func Estimate(w Workload, opts Options) (Result, error) {
	plan, ok := workspace.Plans[opts.Plan]
	if !ok {
		return Result{}, fmt.Errorf("estimate: plan %q: allowed values are %v", opts.Plan, planNames())
	}
	if opts.Seats < 1 {
		return Result{}, fmt.Errorf("estimate: seats %d: must be at least 1", opts.Seats)
	}
	if opts.LostRate < 0 || opts.LostRate > 1 {
		return Result{}, fmt.Errorf("estimate: lost rate %g: must be between 0 and 1", opts.LostRate)
	}
	var p pricer
	p.schemaCalls(w.Schema)
	for _, ph := range w.Phases {
		p.phaseCalls(ph, opts.LostRate)
	}
	if !opts.NoVerify {
		p.verifyCalls(w.Phases)
	}
	if err := p.err(); err != nil {
		return Result{}, err
	}
	cfg := workspace.PipedriveConfig{Plan: opts.Plan, Seats: opts.Seats, TopUpTokens: opts.TopUpTokens}
	r := Result{Workload: w, Calls: p.calls, Plan: opts.Plan, Seats: opts.Seats, DailyBudget: cfg.DailyBudget(),
		Burst: plan.BurstToken}
	if opts.OAuth {
		r.Burst = plan.BurstOAuth
	}
	var requests, runRequests, run, schema, verify float64
	for _, c := range p.calls {
		requests += c.Count
		if c.Stage != "verify" {
			runRequests += c.Count
		}
		switch c.Stage {
		case "verify":
			verify += c.Tokens()
		case "schema":
			schema += c.Tokens()
			run += c.Tokens()
		default:
			run += c.Tokens()
		}
	}
	r.Requests, r.RunRequests = roundUp(requests), roundUp(runRequests)
	r.RunTokens, r.SchemaTokens, r.VerifyTokens = roundUp(run), roundUp(schema), roundUp(verify)
	r.Tokens = r.RunTokens + r.VerifyTokens
	r.Days = float64(r.Tokens) / float64(r.DailyBudget)
	r.WallTime = time.Duration(requests * 2 / float64(r.Burst) * float64(time.Second))
	r.Grade = GradeOf(w, r)
	return r, nil
}

func roundUp(x float64) int { return int(math.Ceil(x - 1e-9)) }

func planNames() []string {
	var out []string
	for n := range workspace.Plans {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// BudgetDays returns the calendar days the migration needs: the budget resets daily, so a
// partial day counts as one.
func (r Result) BudgetDays() int { return int(math.Ceil(r.Days - 1e-9)) }
