package report

import (
	"context"
	"fmt"
	"strings"

	"ferry/internal/plan/dedupe"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// collectDedupe lists the clusters, name variants and destination matches of dedupe.json,
// and the merges a run applied (id-map rows in state merged).
func collectDedupe(ctx context.Context, st store.Store, r *Report, pf planFiles) error {
	d := &r.Dedupe
	nm := newNamer(ctx, st)
	d.Clusters, d.NameVariants = []ClusterRow{}, []NameVariantRow{}
	d.DestinationMatches, d.Applied = []DestinationRow{}, []AppliedMergeRow{}
	if pf.dedupe == nil {
		d.From = StatusNotPlanned
	} else {
		d.From = workspace.DedupeFile
		fillDedupe(d, pf.dedupe, nm)
	}
	return st.EachMapping(ctx, "", store.Merged, func(m store.Mapping) error {
		reason := m.Reason
		if survivor, ok := strings.CutPrefix(reason, "duplicate of "); ok {
			reason = "duplicate of " + nm.name(m.Kind, survivor)
		}
		d.Applied = append(d.Applied, AppliedMergeRow{Kind: m.Kind, SourceID: nm.name(m.Kind, m.SourceID),
			Entity: m.Entity, DestID: m.DestID, Reason: reason, RunID: m.RunID})
		return nil
	})
}

func fillDedupe(d *Dedupe, res *dedupe.Result, nm *namer) {
	for _, cs := range [][]dedupe.Cluster{res.CompanyClusters, res.PersonClusters} {
		for _, c := range cs {
			d.Clusters = append(d.Clusters, clusterRow(c, nm))
		}
	}
	for _, v := range res.NameVariants {
		row := NameVariantRow{Survivor: nm.name(source.Person, v.Survivor), Class: v.Class}
		for _, n := range v.Names {
			row.Names = append(row.Names, nm.name(source.Person, n.ID))
		}
		d.NameVariants = append(d.NameVariants, row)
	}
	for _, m := range res.DestinationMatches {
		d.DestinationMatches = append(d.DestinationMatches, DestinationRow{Kind: m.Kind, Survivor: nm.name(m.Kind, m.Survivor),
			Members: nm.names(m.Kind, m.Members), DestID: m.DestID, Candidates: m.Candidates, On: m.On, Key: m.Key, Policy: m.Policy})
	}
}

func clusterRow(c dedupe.Cluster, nm *namer) ClusterRow {
	row := ClusterRow{Kind: c.Kind, Survivor: nm.name(c.Kind, c.Survivor), Members: nm.names(c.Kind, c.Members),
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
