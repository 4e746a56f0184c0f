package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"ferry/internal/store/sqlite"
	"ferry/internal/workspace"
)

// InitOptions are the flags of `ferry init`.
type InitOptions struct {
	Harvest string
}

// newInitCommand builds `ferry init DIR`.
func newInitCommand(g *globalOptions) *cobra.Command {
	var opts InitOptions
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Create a workspace: a commented ferry.yaml and the state store",
		Long: `Create a ferry workspace in DIR (created if missing): a commented ferry.yaml holding the
source, Pipedrive, plan/seats and harvest settings, and .ferry/state.db, the local state store.

Secrets are never written: ferry reads PIPEDRIVE_API_TOKEN, KLIPY_API_KEY and
KLIPY_WEBHOOK_SECRET from the environment each time it runs.`,
		Example: `  ferry init acme-migration --harvest ~/klipy-export
  cd acme-migration && ferry probe`,
		Args: exactArgs(1, "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd, g, opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.Harvest, "harvest", "", "path of the harvest folder (default: DIR/harvest)")
	return cmd
}

// runInit creates the workspace and its state store.
func runInit(cmd *cobra.Command, g *globalOptions, opts InitOptions, dir string) error {
	ws, err := workspace.Init(dir, opts.Harvest)
	if err != nil {
		return err
	}
	st, err := sqlite.Open(ws.StatePath())
	if err != nil {
		return fmt.Errorf("create state store: %w", err)
	}
	if err := st.Close(); err != nil {
		return err
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]string{
			"workspace": ws.Dir, "config": ws.Dir + "/" + workspace.ConfigFile, "state": ws.StatePath()})
	}
	g.printf("Created workspace %s\n  config: %s/%s (edit it: plan, seats, harvest folder)\n  state:  %s\n",
		ws.Dir, ws.Dir, workspace.ConfigFile, ws.StatePath())
	g.printf("Next: export PIPEDRIVE_API_TOKEN and KLIPY_API_KEY, then `ferry probe --workspace %s`.\n", dir)
	return nil
}

// exactArgs is cobra.ExactArgs with a usage error naming the expected arguments.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s takes %s (got %d arguments); see ferry %s --help", cmd.CommandPath(), names, len(args), cmd.Name())
		}
		return nil
	}
}
