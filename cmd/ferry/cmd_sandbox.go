package main

import "github.com/spf13/cobra"

// newSandboxCommand builds `ferry sandbox`, the parent of the local platform stand-ins.
func newSandboxCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run a local, faithful stand-in for Pipedrive or Klipy",
		Long: `Run a local stand-in for one platform, for rehearsals, demos and tests. Each prints the
environment variables that point ferry at it as its first two lines, so this works:

  ferry sandbox pipedrive --addr 127.0.0.1:8090 > pipedrive.env &
  sleep 1; export $(head -2 pipedrive.env)`,
	}
	cmd.AddCommand(sandboxCommands(g)...)
	return cmd
}

// sandboxCommands lists the sandbox subcommands; one line each.
func sandboxCommands(g *globalOptions) []*cobra.Command {
	return []*cobra.Command{
		newSandboxPipedriveCommand(g),
		newSandboxKlipyCommand(g),
	}
}
