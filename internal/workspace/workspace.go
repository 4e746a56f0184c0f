// Package workspace owns a ferry workspace on disk: the commented ferry.yaml, the .ferry/ state
// directory and where the harvest folder lives. Secrets are never part of it: they come from
// the environment only (see Env).
package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ConfigFile is the workspace configuration file name.
const ConfigFile = "ferry.yaml"

// StateDir is the directory holding the state store and run files.
const StateDir = ".ferry"

// StateDB is the state store file inside StateDir.
const StateDB = "state.db"

// ErrNoWorkspace is returned when a directory holds no ferry.yaml.
var ErrNoWorkspace = errors.New("not a ferry workspace")

// ErrInvalidConfig is wrapped by errors about the content of ferry.yaml.
var ErrInvalidConfig = errors.New("invalid ferry.yaml")

// Workspace is an opened workspace.
type Workspace struct {
	Dir    string
	Config Config
}

// StatePath returns the path of the state store.
func (w *Workspace) StatePath() string { return filepath.Join(w.Dir, StateDir, StateDB) }

// Path resolves p relative to the workspace directory (absolute paths are kept).
func (w *Workspace) Path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(w.Dir, p)
}

// StoreURL returns the shared store's URL (FERRY_STORE_URL, else ferry.yaml's store), or ""
// for the local .ferry/state.db.
func (w *Workspace) StoreURL() string {
	if u := os.Getenv("FERRY_STORE_URL"); u != "" {
		return u
	}
	return w.Config.Store
}

// HarvestDir returns the harvest folder's path, or "" when none is configured.
func (w *Workspace) HarvestDir() string { return w.Path(w.Config.Source.Harvest) }

// Open loads the workspace in dir. A directory without ferry.yaml gives an error wrapping
// ErrNoWorkspace that says how to make one.
func Open(dir string) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace %s: %w", dir, err)
	}
	path := filepath.Join(abs, ConfigFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no %s; create one with `ferry init %s` or point --workspace at one",
			ErrNoWorkspace, abs, ConfigFile, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	cfg, err := ParseConfig(path, data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return &Workspace{Dir: abs, Config: cfg}, nil
}

// Init creates a workspace in dir: ferry.yaml (refusing to overwrite one) and .ferry/.
// harvest, when not empty, is recorded as the harvest folder path.
func Init(dir, harvest string) (*Workspace, error) {
	if err := os.MkdirAll(filepath.Join(dir, StateDir), 0o700); err != nil {
		return nil, fmt.Errorf("create workspace %s: %w", dir, err)
	}
	path := filepath.Join(dir, ConfigFile)
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("init %s: %s already exists; edit it or choose another directory", dir, path)
	}
	if harvest == "" {
		harvest = "harvest"
	}
	if err := os.WriteFile(path, []byte(DefaultConfigYAML(harvest)), 0o644); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return Open(dir)
}

// Plan file names, in the workspace directory.
const (
	MappingFile    = "mapping.yaml"
	DecisionsFile  = "decisions.yaml"
	PlanReportFile = "plan-report.md"
	DedupeFile     = "dedupe.json"
)

// PlanPath returns the path of a plan file in the workspace.
func (w *Workspace) PlanPath(name string) string { return filepath.Join(w.Dir, name) }
