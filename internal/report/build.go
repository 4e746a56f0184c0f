package report

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"ferry/internal/store"
)

// Inputs is what Build reads.
type Inputs struct {
	Store store.Store
	// Dir is the workspace directory holding mapping.yaml, decisions.yaml and dedupe.json.
	Dir string
	// Now stamps the report (UTC); tests inject a fixed time.
	Now time.Time
}

// Build gathers every section of the report. It reads only the store and the plan files.
func Build(ctx context.Context, in Inputs) (*Report, error) {
	r := &Report{GeneratedAt: in.Now.UTC(), Workspace: filepath.Base(in.Dir)}
	pf, err := readPlanFiles(in.Dir)
	if err != nil {
		return nil, err
	}
	steps := []struct {
		name string
		fn   func(context.Context, store.Store, *Report, planFiles) error
	}{
		{"snapshot", collectSnapshot},
		{"runs", collectRuns},
		{"api spend", collectSpend},
		{"reconciliation", collectReconciliation},
		{"verification", collectVerification},
		{"pipelines", collectPipelines},
		{"fields", collectFields},
		{"schema", collectSchema},
		{"field codes", fillFieldCodes},
		{"dedupe", collectDedupe},
		{"owners", collectOwners},
		{"not migrated", collectNotMigrated},
		{"delta and rollback", collectCutover},
	}
	for _, s := range steps {
		if err := s.fn(ctx, in.Store, r, pf); err != nil {
			return nil, fmt.Errorf("report: %s: %w", s.name, err)
		}
	}
	return r, nil
}
