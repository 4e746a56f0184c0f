package estimate

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/costs"
	"ferry/internal/source"
	"ferry/internal/workspace"
)

// cost returns the spec's price of an operation; the test fails when the spec lacks it.
func cost(t *testing.T, method, tmpl string) int {
	t.Helper()
	c, ok := costs.Lookup(method, tmpl)
	if !ok {
		t.Fatalf("spec has no cost for %s %s", method, tmpl)
	}
	return c
}

// verifySchema is verification's schema reads: users, three v2 field lists (labels
// included), pipelines and stages.
func verifySchema(t *testing.T) int {
	n := cost(t, http.MethodGet, "/api/v1/users") + cost(t, http.MethodGet, "/api/v2/pipelines") + cost(t, http.MethodGet, "/api/v2/stages")
	for _, ent := range []string{"organization", "person", "deal"} {
		n += cost(t, http.MethodGet, "/api/v2/"+ent+"Fields")
	}
	return n
}

// baseSchema is the schema setup's fixed reads: users, three field lists, three label fields,
// pipelines and stages.
func baseSchema(t *testing.T) int {
	n := cost(t, http.MethodGet, "/api/v1/users") + cost(t, http.MethodGet, "/api/v2/pipelines") + cost(t, http.MethodGet, "/api/v2/stages")
	for _, ent := range []string{"organization", "person", "deal"} {
		n += cost(t, http.MethodGet, "/api/v2/"+ent+"Fields") + cost(t, http.MethodGet, "/api/v1/"+ent+"Fields")
	}
	return n
}

func TestEstimateFromCountsPricesEveryCall(t *testing.T) {
	ownFields := func(t *testing.T) int { // Klipy ID ×3 and Klipy created at
		return 2*cost(t, http.MethodPost, "/api/v2/dealFields") + cost(t, http.MethodPost, "/api/v2/personFields") +
			cost(t, http.MethodPost, "/api/v2/organizationFields")
	}
	tests := []struct {
		name       string
		counts     Counts
		run        func(t *testing.T) int
		verify     func(t *testing.T) int
		requestsAt int // requests, verification included
	}{
		{"empty", Counts{}, func(t *testing.T) int { return baseSchema(t) + ownFields(t) }, func(*testing.T) int { return 0 }, 13},
		{"people and notes", Counts{People: 501, Notes: 3, CustomFields: 2},
			func(t *testing.T) int {
				return baseSchema(t) + ownFields(t) + 2*cost(t, http.MethodPost, "/api/v2/personFields") +
					501*cost(t, http.MethodPost, "/api/v2/persons") + 3*cost(t, http.MethodPost, "/api/v1/notes")
			},
			func(t *testing.T) int { // schema reads; organizations and deals as link targets
				return verifySchema(t) + cost(t, http.MethodGet, "/api/v2/organizations") + 2*cost(t, http.MethodGet, "/api/v2/persons") +
					cost(t, http.MethodGet, "/api/v2/deals") + cost(t, http.MethodGet, "/api/v1/notes")
			}, 13 + 2 + 504 + 6 + 5},
		{"deals make a pipeline, tags make labels", Counts{Deals: 10, Tags: true},
			func(t *testing.T) int {
				n := baseSchema(t) + ownFields(t) + 10*cost(t, http.MethodPost, "/api/v2/deals") +
					cost(t, http.MethodPost, "/api/v2/pipelines") + DefaultStages*cost(t, http.MethodPost, "/api/v2/stages")
				for _, ent := range []string{"organization", "person", "deal"} {
					n += cost(t, http.MethodGet, "/api/v1/"+ent+"Fields") + cost(t, http.MethodPut, "/api/v1/"+ent+"Fields/{id}")
				}
				return n
			},
			func(t *testing.T) int {
				return verifySchema(t) + cost(t, http.MethodGet, "/api/v2/organizations") + cost(t, http.MethodGet, "/api/v2/persons") +
					cost(t, http.MethodGet, "/api/v2/deals")
			}, 13 + 1 + DefaultStages + 6 + 10 + 6 + 3},
		{"files list 100 a page and read activities", Counts{Files: 101},
			func(t *testing.T) int {
				return baseSchema(t) + ownFields(t) + 101*cost(t, http.MethodPost, "/api/v1/files")
			},
			func(t *testing.T) int {
				return verifySchema(t) + cost(t, http.MethodGet, "/api/v2/organizations") + cost(t, http.MethodGet, "/api/v2/persons") +
					cost(t, http.MethodGet, "/api/v2/deals") + cost(t, http.MethodGet, "/api/v2/activities") + 2*cost(t, http.MethodGet, "/api/v1/files")
			}, 13 + 101 + 6 + 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Estimate(FromCounts(tc.counts), Options{Plan: "growth", Seats: 1})
			if err != nil {
				t.Fatal(err)
			}
			got := [3]int{r.RunTokens, r.VerifyTokens, r.Requests}
			want := [3]int{tc.run(t), tc.verify(t), tc.requestsAt}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("run tokens, verify tokens, requests (-want +got):\n%s", diff)
			}
			if r.Tokens != r.RunTokens+r.VerifyTokens {
				t.Errorf("tokens %d != run %d + verify %d", r.Tokens, r.RunTokens, r.VerifyTokens)
			}
		})
	}
}

func TestEstimateMergesAndLostResponses(t *testing.T) {
	w := Workload{Schema: SchemaWork{}, Phases: []PhaseWork{
		{Kind: source.Person, Source: 110, Create: 100, MergeInto: 3, Merged: 7},
		{Kind: source.Interaction, Source: 50, Create: 50},
	}}
	plain, err := Estimate(w, Options{Plan: "lite", Seats: 1, NoVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	records := 100*cost(t, http.MethodPost, "/api/v2/persons") + 3*(cost(t, http.MethodGet, "/api/v2/persons/{id}")+
		cost(t, http.MethodPatch, "/api/v2/persons/{id}")) + 50*cost(t, http.MethodPost, "/api/v2/activities")
	if got, want := plain.RunTokens-plain.SchemaTokens, records; got != want {
		t.Errorf("record tokens = %d, want %d", got, want)
	}
	lossy, err := Estimate(w, Options{Plan: "lite", Seats: 1, NoVerify: true, LostRate: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	extra := 10*cost(t, http.MethodGet, "/api/v2/persons") + 5*cost(t, http.MethodGet, "/api/v2/activities")
	if got := lossy.RunTokens - plain.RunTokens; got != extra {
		t.Errorf("lost responses add %d tokens, want %d (lookups for 10%% of creates)", got, extra)
	}
}

func TestEstimateBudgetAndWallTime(t *testing.T) {
	w := FromCounts(Counts{People: 4000, Interactions: 20000})
	for plan, p := range workspace.Plans {
		for _, seats := range []int{1, 3} {
			for _, oauth := range []bool{false, true} {
				r, err := Estimate(w, Options{Plan: plan, Seats: seats, OAuth: oauth})
				if err != nil {
					t.Fatal(err)
				}
				budget := 30000 * p.Multiplier * seats
				burst := p.BurstToken
				if oauth {
					burst = p.BurstOAuth
				}
				wantDays := float64(r.Tokens) / float64(budget)
				wantWall := time.Duration(float64(r.Requests) * 2 / float64(burst) * float64(time.Second))
				if r.DailyBudget != budget || math.Abs(r.Days-wantDays) > 1e-9 || r.Burst != burst ||
					(r.WallTime-wantWall).Abs() > time.Second {
					t.Errorf("%s×%d oauth=%v: budget %d days %.3f burst %d wall %s; want %d %.3f %d %s",
						plan, seats, oauth, r.DailyBudget, r.Days, r.Burst, r.WallTime, budget, wantDays, burst, wantWall)
				}
				if r.BudgetDays() != int(math.Ceil(wantDays)) {
					t.Errorf("%s×%d: BudgetDays %d for %.3f days", plan, seats, r.BudgetDays(), wantDays)
				}
			}
		}
	}
}

func TestEstimateRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"unknown plan", Options{Plan: "gold", Seats: 1}, `plan "gold"`},
		{"no seats", Options{Plan: "growth"}, "seats 0"},
		{"lost rate above 1", Options{Plan: "growth", Seats: 1, LostRate: 2}, "lost rate 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Estimate(FromCounts(Counts{People: 1}), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestPages(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, pipedrive.PageSize: 1, pipedrive.PageSize + 1: 2, 3 * pipedrive.PageSize: 3} {
		if got := pages(n); got != want {
			t.Errorf("pages(%d) = %d, want %d", n, got, want)
		}
	}
}
