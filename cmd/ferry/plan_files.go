package main

import (
	"bytes"
	"context"
	"ferry/internal/atomicfile"
	"fmt"
	"os"
	"sort"

	"ferry/internal/klipy/harvest"
	"ferry/internal/migrate"
	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
	"ferry/internal/plan/lock"
	"ferry/internal/plan/mapping"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// lockFiles names the plan files the confirmation lock covers.
func lockFiles(ws *workspace.Workspace) lock.Files {
	return lock.Files{Mapping: ws.PlanPath(workspace.MappingFile), Decisions: ws.PlanPath(workspace.DecisionsFile),
		Dedupe: ws.PlanPath(workspace.DedupeFile), Columns: ws.PlanPath(harvest.ColumnsFile)}
}

// readDecisions parses the workspace's decisions.yaml; a missing file says to run ferry plan.
func readDecisions(ws *workspace.Workspace) (decide.Decisions, error) {
	path := ws.PlanPath(workspace.DecisionsFile)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return decide.Decisions{}, fmt.Errorf("%w: %s does not exist; run ferry plan first", errBlocked, path)
	}
	if err != nil {
		return decide.Decisions{}, err
	}
	d, err := decide.Parse(path, data)
	if err != nil {
		return decide.Decisions{}, usageErrorf("%v", err)
	}
	return d, nil
}

// writeDecisions rewrites decisions.yaml atomically.
func writeDecisions(ws *workspace.Workspace, d decide.Decisions) error {
	var buf bytes.Buffer
	if err := decide.Write(&buf, d); err != nil {
		return err
	}
	return writeFileAtomic(ws.PlanPath(workspace.DecisionsFile), buf.Bytes())
}

// writeFileAtomic writes data to path atomically and durably (atomicfile).
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.WriteBytes(path, 0o644, data)
}

// checkMappingFile makes sure mapping.yaml exists and passes lint (against Pipedrive's fields
// unless offline); errors block confirmation.
func checkMappingFile(ctx context.Context, ws *workspace.Workspace, st store.Store, offline bool) error {
	path := ws.PlanPath(workspace.MappingFile)
	dest, err := destinationSchema(ctx, ws, st, offline)
	if err != nil {
		return err
	}
	problems, _, err := lintMapping(ctx, st, path, dest)
	if err != nil {
		return err
	}
	if mapping.Errors(problems) {
		return fmt.Errorf("%w: %s has %d problem(s); run ferry lint to see them", errBlocked, path, len(problems))
	}
	colPath, colProblems, err := lintColumns(ws)
	if err != nil {
		return err
	}
	if harvest.HasErrors(colProblems) {
		return fmt.Errorf("%w: %s has %d problem(s); run ferry lint to see them", errBlocked, colPath, len(colProblems))
	}
	return nil
}

// readMerges turns dedupe.json's clusters and merges into existing Pipedrive records into
// the engine's merges. A missing file means no merges (a plan without duplicates).
func readMerges(ws *workspace.Workspace) ([]migrate.Merge, error) {
	path := ws.PlanPath(workspace.DedupeFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := dedupe.ReadJSON(f)
	if err != nil {
		return nil, usageErrorf("%s: %v", path, err)
	}
	return mergesOf(*res), nil
}

// mergesOf builds one merge per cluster, carrying the existing Pipedrive record a cluster (or
// a single record) merges into.
func mergesOf(res dedupe.Result) []migrate.Merge {
	type key struct {
		kind     source.Kind
		survivor string
	}
	dest := map[key]dedupe.DestinationMatch{}
	for _, m := range res.DestinationMatches {
		if m.DestID != 0 {
			dest[key{m.Kind, m.Survivor}] = m
		}
	}
	var out []migrate.Merge
	for _, c := range append(append([]dedupe.Cluster(nil), res.PersonClusters...), res.CompanyClusters...) {
		m := migrate.Merge{Kind: c.Kind, Survivor: c.Survivor}
		for _, id := range c.Members {
			if id != c.Survivor {
				m.Members = append(m.Members, id)
			}
		}
		if d, ok := dest[key{c.Kind, c.Survivor}]; ok {
			m.DestID, m.Policy = d.DestID, d.Policy
			delete(dest, key{c.Kind, c.Survivor})
		}
		out = append(out, m)
	}
	for k, d := range dest {
		out = append(out, migrate.Merge{Kind: k.kind, Survivor: k.survivor, DestID: d.DestID, Policy: d.Policy})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Survivor < out[j].Survivor
	})
	return out
}
