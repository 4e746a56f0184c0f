package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"ferry/internal/store"
	"ferry/internal/store/filelock"
	"ferry/internal/store/postgres"
	"ferry/internal/workspace"
)

// writerCommands are the commands that write the state store, the plan files or Pipedrive.
// Each holds the workspace's writer lock while it runs (DESIGN.md invariant 9); a second one
// refuses with exit code 7, naming the holder.
var writerCommands = []string{
	"extract", "plan", "confirm", "run", "delta", "rollback", "verify", "gen snapshot",
	"decide owner", "decide pipeline", "decide stage", "decide activity", "decide label", "decide accept-loss",
	"decide split",
}

// readerCommands are the commands that run without the lock, each for a reason: they read, or
// write nothing another command changes. TestEveryCommandIsClassified keeps the two lists
// complete.
var readerCommands = map[string]string{
	"init":              "creates the workspace; nothing can hold its lock yet",
	"login":             "writes the OAuth login outside the workspace (keychain or config directory), atomically",
	"logout":            "revokes and deletes the OAuth login outside the workspace",
	"probe":             "reads both platforms; its budget ledger entries are atomic increments",
	"lint":              "reads mapping.yaml and the snapshot",
	"estimate":          "reads counts and the plan",
	"report":            "reads the store; writes only its own report directory",
	"status":            "reads the stores and peeks at their locks without taking them",
	"listen":            "only appends webhook events, once per id, which no other command changes; it runs beside extract and delta during the cutover",
	"decide list":       "reads decisions.yaml",
	"review":            "serves a page that reads the workspace; each change it makes runs the matching writer command, which takes the lock",
	"harvest template":  "writes CSV templates outside the state",
	"harvest check":     "reads a harvest folder",
	"gen harvest":       "writes a generated harvest folder, no workspace",
	"sandbox pipedrive": "serves a local Pipedrive; no workspace",
	"sandbox klipy":     "serves a local Klipy; no workspace",
	"demo":              "runs in its own temporary workspace",
	"bench local":       "makes its own temporary harvest and workspace",
	"bench rehearsal":   "makes its own temporary harvest, workspace and sandbox",
	"version":           "prints the version",
}

// lockHelp is appended to the --help of every writer command.
const lockHelp = `

One writer per workspace: this command holds the workspace lock while it runs. When another
ferry process holds it, the command refuses with exit code 7 and names that process (pid, host,
command, start time). A lock left by a process that died is taken over.`

// guardWriters wraps the RunE of every writer command so that it runs under the workspace
// lock. It is the only place the lock is taken.
func guardWriters(root *cobra.Command, g *globalOptions) {
	for _, path := range writerCommands {
		cmd, _, err := root.Find(strings.Fields(path))
		if err != nil || cmd == root || cmd.RunE == nil {
			panic(fmt.Sprintf("writer command %q is not in the command tree", path))
		}
		run := cmd.RunE
		cmd.Long = strings.TrimRight(cmd.Long, "\n") + lockHelp
		cmd.RunE = func(c *cobra.Command, args []string) error {
			release, err := g.lockWorkspace(c)
			if err != nil {
				return err
			}
			defer release()
			return run(c, args)
		}
	}
}

// lockWorkspace takes the writer lock of the workspace --workspace names, for the running
// command c; the returned function releases it.
func (g *globalOptions) lockWorkspace(c *cobra.Command) (func(), error) {
	ws, err := workspace.Open(g.Workspace)
	if err != nil {
		return nil, err
	}
	locker, err := workspaceLocker(ws)
	if err != nil {
		return nil, err
	}
	lease, err := locker.Lock(c.Context(), store.Me(c.CommandPath()))
	if err != nil {
		if le, ok := err.(*store.LockedError); ok {
			return nil, fmt.Errorf("%w: %s holds %s; wait for it to finish or stop it, then run the command again",
				errLocked, le.Holder, le.Where)
		}
		return nil, fmt.Errorf("lock workspace %s: %w", ws.Dir, err)
	}
	if !lease.Stale.IsZero() {
		g.log.Warn("took over the workspace lock of a ferry process that is no longer running; run the same command to resume what it left",
			"holder", lease.Stale.String())
	}
	return func() {
		if err := lease.Release(); err != nil {
			g.log.Warn("release the workspace lock", "error", err)
		}
	}, nil
}

// workspaceLocker returns the writer lock of ws: an OS file lock in its state directory, or
// an advisory lock in the shared PostgreSQL store.
func workspaceLocker(ws *workspace.Workspace) (store.Locker, error) {
	if url, name := storeTarget(ws); url != "" {
		if _, err := postgres.SchemaName(name); err != nil {
			return nil, usageErrorf("%s: migration: %v", filepath.Join(ws.Dir, workspace.ConfigFile), err)
		}
		return postgres.NewLocker(url, name), nil
	}
	dir := filepath.Join(ws.Dir, workspace.StateDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state directory of workspace %s: %w", ws.Dir, err)
	}
	return filelock.New(filepath.Join(dir, filelock.Name)), nil
}
