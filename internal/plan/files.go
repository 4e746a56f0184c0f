package plan

import (
	"bytes"
	"ferry/internal/atomicfile"
	"fmt"
	"io"
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
	if err := p.WriteReport(&rbuf); err != nil {
		return err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{MappingFile, bytesTo(mbuf.Bytes())}, {DecisionsFile, bytesTo(dbuf.Bytes())},
		{DedupeFile, p.Dedupe.WriteJSON}, {ReportFile, bytesTo(rbuf.Bytes())},
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

func bytesTo(b []byte) func(io.Writer) error {
	return func(w io.Writer) error { _, err := w.Write(b); return err }
}

// writeAtomic writes path through a temporary file renamed into place (atomicfile).
func writeAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, 0o644, write)
}
