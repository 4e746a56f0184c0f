package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/mapping"
	"ferry/internal/workspace"
)

// File names ferry plan writes into the workspace.
const (
	MappingFile   = workspace.MappingFile
	DecisionsFile = workspace.DecisionsFile
	ReportFile    = workspace.PlanReportFile
	DedupeFile    = workspace.DedupeFile
)

// WriteFiles writes mapping.yaml, decisions.yaml, dedupe.json and plan-report.md into dir,
// each atomically (a temporary file renamed into place).
func (p *Plan) WriteFiles(dir string) error {
	var mbuf, dbuf, rbuf bytes.Buffer
	if err := mapping.Write(&mbuf, p.Mapping); err != nil {
		return fmt.Errorf("write %s: %w", MappingFile, err)
	}
	if err := decide.Write(&dbuf, p.Decisions); err != nil {
		return fmt.Errorf("write %s: %w", DecisionsFile, err)
	}
	dd, err := json.MarshalIndent(p.Dedupe, "", "  ")
	if err != nil {
		return err
	}
	if err := p.WriteReport(&rbuf); err != nil {
		return err
	}
	for name, data := range map[string][]byte{MappingFile: mbuf.Bytes(), DecisionsFile: dbuf.Bytes(),
		DedupeFile: dd, ReportFile: rbuf.Bytes()} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path+".tmp", data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}
