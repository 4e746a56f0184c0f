package main

import (
	"fmt"

	"ferry/internal/store"
	"ferry/internal/store/sqlite"
	"ferry/internal/workspace"
)

// openWorkspace opens the workspace named by --workspace and its state store. The caller
// closes the store.
func (g *globalOptions) openWorkspace() (*workspace.Workspace, store.Store, error) {
	ws, err := workspace.Open(g.Workspace)
	if err != nil {
		return nil, nil, err
	}
	st, err := sqlite.Open(ws.StatePath())
	if err != nil {
		return nil, nil, fmt.Errorf("open state store of workspace %s: %w", ws.Dir, err)
	}
	return ws, st, nil
}

// openWorkspaceOnly opens the workspace without its state store.
func openWorkspaceOnly(g *globalOptions) (*workspace.Workspace, error) {
	return workspace.Open(g.Workspace)
}
