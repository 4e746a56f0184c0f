package dedupe

import (
	"fmt"
	"os"
	"testing"

	"ferry/internal/gen"
)

// TestAccuracyAgainstAnswerKey grades the clusters of generated workspaces against their
// answer keys: pairwise precision ≥ 0.99 and recall ≥ 0.98 for people, every company
// cluster collapsed exactly, every name-variant pair flagged.
func TestAccuracyAgainstAnswerKey(t *testing.T) {
	sizes := []struct {
		people int
		seeds  []int64
	}{{2000, []int64{1, 2, 3, 42, 2026}}, {20000, []int64{7}}}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, sz := range sizes {
		for _, seed := range sz.seeds {
			t.Run(fmt.Sprintf("people=%d/seed=%d", sz.people, seed), func(t *testing.T) {
				d := gen.New(gen.Config{People: sz.people, Seed: seed, InlineKeyLimit: sz.people})
				key := d.Key()
				res := run(t, genSource{d}, Options{DefaultRegion: key.DefaultRegion})
				checkPeople(t, key, res)
				checkCompanies(t, key, res)
				checkVariants(t, key, res)
			})
		}
	}
}

func checkPeople(t *testing.T, key gen.Key, res *Result) {
	t.Helper()
	s := scorePairs(key.PersonClusters, res.PersonClusters)
	t.Logf("people: pairs true %d found %d correct %d: precision %.4f recall %.4f; clusters found %d (key %d); distinct %d (key %d); refused links %d",
		s.truePairs, s.foundPairs, s.both, s.precision(), s.recall(), len(res.PersonClusters),
		key.Distinct.PersonClusters, res.Stats.DistinctPeople, key.Distinct.People, len(res.Refused))
	if s.precision() < 0.99 || s.recall() < 0.98 {
		t.Errorf("people: precision %.4f (want ≥ 0.99), recall %.4f (want ≥ 0.98)", s.precision(), s.recall())
	}
	if os.Getenv("FERRY_DEDUPE_VERBOSE") != "" {
		reportMisses(t, key.PersonClusters, res.PersonClusters)
	}
}

// checkCompanies requires each true company cluster to be exactly one found cluster.
func checkCompanies(t *testing.T, key gen.Key, res *Result) {
	t.Helper()
	found := map[string]int{}
	for i, c := range res.CompanyClusters {
		for _, id := range c.Members {
			found[id] = i + 1
		}
	}
	failed := 0
	for _, ids := range key.CompanyClusters {
		c := found[ids[0]]
		same := c > 0 && len(res.CompanyClusters[c-1].Members) == len(ids)
		for _, id := range ids {
			same = same && found[id] == c
		}
		if !same {
			failed++
			if failed <= 10 {
				t.Errorf("company cluster %v not collapsed to one organization (found cluster %d)", ids, c)
			}
		}
	}
	if res.Stats.DistinctCompanies != key.Distinct.Organizations {
		t.Errorf("companies: %d distinct organizations, key has %d", res.Stats.DistinctCompanies, key.Distinct.Organizations)
	}
	if failed > 0 || len(res.CompanyClusters) != len(key.CompanyClusters) {
		t.Errorf("companies: %d of %d key clusters not collapsed; found %d clusters, key has %d",
			failed, len(key.CompanyClusters), len(res.CompanyClusters), len(key.CompanyClusters))
	}
}

// checkVariants requires every key name-variant pair to be flagged in one cluster under
// two different names, never classed as different people.
func checkVariants(t *testing.T, key gen.Key, res *Result) {
	t.Helper()
	names := map[string]string{}
	class := map[string]string{}
	for _, nv := range res.NameVariants {
		for _, n := range nv.Names {
			names[n.ID], class[n.ID] = n.Value, nv.Class
		}
	}
	missed := 0
	for _, v := range key.NameVariants {
		na, okA := names[v.A]
		nb, okB := names[v.B]
		if !okA || !okB || na == nb || class[v.A] == VariantDifferent {
			missed++
			if missed <= 10 {
				t.Errorf("name variant %s %q / %s %q not flagged (got %q / %q, class %q)", v.A, v.AName, v.B, v.BName, na, nb, class[v.A])
			}
		}
	}
	t.Logf("name variants: key pairs %d, missed %d; flagged clusters %d", len(key.NameVariants), missed, len(res.NameVariants))
}

// reportMisses logs true pairs split apart and found pairs that are not true.
func reportMisses(t *testing.T, truth [][]string, found []Cluster) {
	at := map[string]int{}
	for i, c := range found {
		for _, id := range c.Members {
			at[id] = i + 1
		}
	}
	for _, ids := range truth {
		for _, id := range ids[1:] {
			if at[id] == 0 || at[id] != at[ids[0]] {
				t.Logf("split: %v", ids)
				break
			}
		}
	}
}
