package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
	"ferry/internal/plan/mapping"
	"ferry/internal/workspace"
)

// planFiles is what the workspace's plan files hold; a nil field means the file is absent.
type planFiles struct {
	mapping   *mapping.Mapping
	decisions *decide.Decisions
	dedupe    *dedupe.Result
}

// readPlanFiles reads mapping.yaml, decisions.yaml and dedupe.json from dir. Absent files are
// not an error; unreadable or invalid ones are.
func readPlanFiles(dir string) (planFiles, error) {
	var pf planFiles
	if data, ok, err := readOptional(dir, workspace.MappingFile); err != nil {
		return pf, err
	} else if ok {
		m, err := mapping.Parse(workspace.MappingFile, data)
		if err != nil {
			return pf, fmt.Errorf("report: %w", err)
		}
		pf.mapping = &m
	}
	if data, ok, err := readOptional(dir, workspace.DecisionsFile); err != nil {
		return pf, err
	} else if ok {
		d, err := decide.Parse(workspace.DecisionsFile, data)
		if err != nil {
			return pf, fmt.Errorf("report: %w", err)
		}
		pf.decisions = &d
	}
	f, err := os.Open(filepath.Join(dir, workspace.DedupeFile))
	if errors.Is(err, os.ErrNotExist) {
		return pf, nil
	}
	if err != nil {
		return pf, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	if pf.dedupe, err = dedupe.ReadJSON(f); err != nil {
		return pf, fmt.Errorf("report: %s: %w", workspace.DedupeFile, err)
	}
	return pf, nil
}

// readOptional reads dir/name, reporting false when it does not exist.
func readOptional(dir, name string) ([]byte, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("report: read %s: %w", name, err)
	}
	return data, true, nil
}
