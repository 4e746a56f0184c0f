package report

import (
	"context"
	"fmt"

	"ferry/internal/plan/dedupe"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// collectDedupe lists the clusters, name variants and destination matches of dedupe.json,
// and the merges a run applied (id-map rows in state merged).
func collectDedupe(ctx context.Context, st store.Store, r *Report, pf planFiles) error {
	d := &r.Dedupe
	d.Clusters, d.NameVariants = []ClusterRow{}, []NameVariantRow{}
	d.DestinationMatches, d.Applied = []DestinationRow{}, []AppliedMergeRow{}
	if pf.dedupe == nil {
		d.From = StatusNotPlanned
	} else {
		d.From = workspace.DedupeFile
		fillDedupe(d, pf.dedupe)
	}
	return st.EachMapping(ctx, "", store.Merged, func(m store.Mapping) error {
		d.Applied = append(d.Applied, AppliedMergeRow{Kind: m.Kind, SourceID: m.SourceID, Entity: m.Entity,
			DestID: m.DestID, Reason: m.Reason, RunID: m.RunID})
		return nil
	})
}

func fillDedupe(d *Dedupe, res *dedupe.Result) {
	for _, cs := range [][]dedupe.Cluster{res.CompanyClusters, res.PersonClusters} {
		for _, c := range cs {
			d.Clusters = append(d.Clusters, clusterRow(c))
		}
	}
	for _, v := range res.NameVariants {
		row := NameVariantRow{Survivor: v.Survivor, Class: v.Class}
		for _, n := range v.Names {
			row.Names = append(row.Names, n.ID+": "+n.Value)
		}
		d.NameVariants = append(d.NameVariants, row)
	}
	for _, m := range res.DestinationMatches {
		d.DestinationMatches = append(d.DestinationMatches, DestinationRow{Kind: m.Kind, Survivor: m.Survivor,
			Members: m.Members, DestID: m.DestID, Candidates: m.Candidates, On: m.On, Key: m.Key, Policy: m.Policy})
	}
}

func clusterRow(c dedupe.Cluster) ClusterRow {
	row := ClusterRow{Kind: c.Kind, Survivor: c.Survivor, Members: c.Members,
		JoinedBy: []string{}, MergedFields: []string{}}
	for _, l := range c.Links {
		row.JoinedBy = append(row.JoinedBy, fmt.Sprintf("%s~%s on %s=%s", l.A, l.B, l.On, l.Key))
	}
	for _, f := range c.Fields {
		name := f.Field
		if len(f.Alternatives) > 0 {
			name += " (members disagree)"
		}
		row.MergedFields = append(row.MergedFields, name)
	}
	return row
}
