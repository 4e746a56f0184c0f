package main

import (
	"context"
	"fmt"
	"path/filepath"

	"ferry/internal/store"
	"ferry/internal/store/postgres"
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
	st, err := openStore(context.Background(), ws)
	if err != nil {
		return nil, nil, err
	}
	return ws, st, nil
}

// openStore opens the state store of ws: .ferry/state.db, or the migration's schema in the
// PostgreSQL database that FERRY_STORE_URL or ferry.yaml's store names.
func openStore(ctx context.Context, ws *workspace.Workspace) (store.Store, error) {
	url, name := storeTarget(ws)
	if url == "" {
		st, err := sqlite.Open(ws.StatePath())
		if err != nil {
			return nil, fmt.Errorf("open state store of workspace %s: %w", ws.Dir, err)
		}
		return st, nil
	}
	if _, err := postgres.SchemaName(name); err != nil {
		return nil, usageErrorf("%s: migration: %v", filepath.Join(ws.Dir, workspace.ConfigFile), err)
	}
	return postgres.Open(ctx, url, name)
}

// storeTarget returns the shared store's URL ("" for the local file) and the migration's name
// there (ferry.yaml's migration, else the folder's name made fit for a schema).
func storeTarget(ws *workspace.Workspace) (url, name string) {
	name = ws.Config.Migration
	if name == "" {
		name = postgres.NameFor(filepath.Base(ws.Dir))
	}
	return ws.StoreURL(), name
}

// openWorkspaceOnly opens the workspace without its state store.
func openWorkspaceOnly(g *globalOptions) (*workspace.Workspace, error) {
	return workspace.Open(g.Workspace)
}

// storeName names the state store of ws for messages: the state file, or the migration in
// the PostgreSQL database (without the URL's password).
func storeName(ws *workspace.Workspace) string {
	if url, name := storeTarget(ws); url != "" {
		return fmt.Sprintf("migration %s in %s", name, postgres.Redact(url))
	}
	return ws.StatePath()
}
