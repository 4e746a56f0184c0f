package dedupe

import (
	"fmt"

	"ferry/internal/source"
)

// Split undoes the cluster whose survivor is id: its members are migrated as separate records
// again. The cluster's name-variant flag goes with it; a match of the survivor to an existing
// Pipedrive record stays (the survivor alone still merges into it). It returns the kind of the
// cluster, or an error naming the id when no cluster has that survivor.
func (res *Result) Split(id string) (Cluster, error) {
	for _, list := range []*[]Cluster{&res.PersonClusters, &res.CompanyClusters} {
		for i, c := range *list {
			if c.Survivor != id {
				continue
			}
			*list = append((*list)[:i:i], (*list)[i+1:]...)
			kept := res.NameVariants[:0:0]
			for _, v := range res.NameVariants {
				if v.Survivor != id {
					kept = append(kept, v)
				}
			}
			res.NameVariants = kept
			res.Stats = res.Stats.without(c)
			res.Stats.NameVariantClusters = len(res.NameVariants)
			return c, nil
		}
	}
	return Cluster{}, fmt.Errorf("no duplicate cluster has survivor %q (dedupe.json names each cluster by its survivor's Klipy id)", id)
}

// without returns the statistics after cluster c was split: its members count as distinct.
func (s Stats) without(c Cluster) Stats {
	extra := len(c.Members) - 1
	if c.Kind == source.Company {
		s.CompanyClusters--
		s.DistinctCompanies += extra
	} else {
		s.PersonClusters--
		s.DistinctPeople += extra
	}
	return s
}
