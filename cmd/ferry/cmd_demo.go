package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/gen"
)

// DemoOptions are the flags of `ferry demo`.
type DemoOptions struct {
	People  int
	Seed    int64
	Keep    string
	Dialect string
}

// newDemoCommand builds `ferry demo`.
func newDemoCommand(g *globalOptions) *cobra.Command {
	var opts DemoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole journey on generated data against local sandboxes (no setup, no network)",
		Long: `Demo generates a realistic, messy Klipy workspace, starts local stand-ins for Klipy and
Pipedrive inside this process, and walks ferry's journey against them, printing what each step
did and checking the results against the generator's answer key.

Nothing leaves this machine and no account is needed. The workspace is made in a temporary
directory and removed afterwards, unless --keep DIR is given.

--dialect writes the generated harvest through another export's surface (see ferry gen
harvest --help: sheets, excel-eu, xlsx, dump) and runs the journey on that export alone, as
a user who brings an export does: no Klipy API, no captured webhooks and so no delta; every
count is still checked against the same answer key.`,
		Example: `  ferry demo
  ferry demo --people 2000 --seed 7 --keep /tmp/ferry-demo
  ferry demo --dialect excel-eu --people 100`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.People, "people", 300, "Klipy person records to generate")
	f.Int64Var(&opts.Seed, "seed", 42, "random seed of the generated workspace")
	f.StringVar(&opts.Keep, "keep", "", "make the workspace in DIR and keep it (default: a temporary directory, removed)")
	f.StringVar(&opts.Dialect, "dialect", "ferry", "harvest surface: ferry, sheets, excel-eu, xlsx or dump")
	return cmd
}

// runDemo prepares the directories and runs the demo steps in order.
func runDemo(ctx context.Context, g *globalOptions, opts DemoOptions) error {
	if opts.People < 10 {
		return usageErrorf("--people %d: the demo needs at least 10", opts.People)
	}
	dialect, err := gen.ParseDialect(opts.Dialect)
	if err != nil {
		return usageErrorf("--dialect: %v", err)
	}
	root := opts.Keep
	if root == "" {
		tmp, err := os.MkdirTemp("", "ferry-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		root = tmp
	} else if entries, err := os.ReadDir(root); err == nil && len(entries) > 0 {
		return usageErrorf("--keep %s: directory is not empty; give a new or empty one", root)
	}
	d := &demo{g: g, opts: opts, dialect: dialect, harvestDir: filepath.Join(root, "harvest"), wsDir: filepath.Join(root, "workspace")}
	defer d.close()
	start := time.Now()
	for i, s := range d.steps() {
		g.printf("\n== %d/%d %s\n", i+1, len(d.steps()), s.title)
		if err := s.run(ctx); err != nil {
			return fmt.Errorf("demo step %q: %w", s.title, err)
		}
	}
	g.printf("\nDemo finished in %s.", time.Since(start).Round(time.Millisecond))
	if opts.Keep != "" {
		g.printf(" Workspace kept in %s (try: ferry extract -w %s).", d.wsDir, d.wsDir)
	}
	g.printf("\n")
	return d.failure()
}
