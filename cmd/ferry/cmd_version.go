package main

import (
	"encoding/json"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// newVersionCommand builds `ferry version`.
func newVersionCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print ferry's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runVersion(g)
		},
	}
}

// runVersion prints the version, the Go version and the VCS revision when known.
func runVersion(g *globalOptions) error {
	info := map[string]string{"version": version, "go": runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				info["revision"] = s.Value
			}
		}
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(info)
	}
	g.printf("ferry %s (%s)\n", info["version"], info["go"])
	return nil
}
