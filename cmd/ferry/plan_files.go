package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/lock"
	"ferry/internal/plan/mapping"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// lockFiles names the plan files the confirmation lock covers.
func lockFiles(ws *workspace.Workspace) lock.Files {
	return lock.Files{Mapping: ws.PlanPath(workspace.MappingFile), Decisions: ws.PlanPath(workspace.DecisionsFile)}
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

// writeFileAtomic writes data to a temporary file beside path and renames it into place.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// checkMappingFile makes sure mapping.yaml exists and passes lint; errors block confirmation.
func checkMappingFile(ctx context.Context, ws *workspace.Workspace, st store.Store) error {
	path := ws.PlanPath(workspace.MappingFile)
	problems, _, err := lintMapping(ctx, st, path)
	if err != nil {
		return err
	}
	if mapping.Errors(problems) {
		return fmt.Errorf("%w: %s has %d problem(s); run ferry lint to see them", errBlocked, path, len(problems))
	}
	return nil
}
