package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"ferry/internal/plan/mapping"
	"ferry/internal/plan/profile"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// LintOptions are the flags of `ferry lint`.
type LintOptions struct {
	File string
}

// newLintCommand builds `ferry lint`.
func newLintCommand(g *globalOptions) *cobra.Command {
	var opts LintOptions
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Check mapping.yaml and run its test cases",
		Long: `Lint parses mapping.yaml strictly and checks it against the source snapshot: unknown source
fields, unknown standard targets, type conflicts (a date transform into a number field, enum
values without a target option), missing required targets (a person needs a name, a deal a
title) and duplicate targets. Then it runs the file's own test cases (tests: an input row and
the Pipedrive body it must become). Every problem names its line:

  mapping.yaml:42:9: person.custom.Score: transform parse_date does not fit a double field

Warnings do not fail; errors exit with code 1 and block ferry confirm.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLint(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.File, "file", "", "mapping file to check (default: mapping.yaml in the workspace)")
	return cmd
}

// runLint prints every problem and fails when any is an error.
func runLint(ctx context.Context, g *globalOptions, opts LintOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	path := opts.File
	if path == "" {
		path = ws.PlanPath(workspace.MappingFile)
	}
	problems, tests, err := lintMapping(ctx, st, path)
	if err != nil {
		return err
	}
	if g.JSON {
		if err := json.NewEncoder(g.stdout).Encode(map[string]any{"file": path, "problems": problems}); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			g.printf("%s\n", p.Format(path))
		}
	}
	if mapping.Errors(problems) {
		return fmt.Errorf("%s: %d problem(s) found", path, len(problems))
	}
	if !g.JSON {
		g.printf("%s: ok (%d warning(s), %d test case(s) passed)\n", path, len(problems), tests)
	}
	return nil
}

// lintMapping parses, lints and tests a mapping file against the snapshot's profile.
func lintMapping(ctx context.Context, st store.Store, path string) ([]mapping.Problem, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: read mapping: %v; run ferry plan first", errBlocked, err)
	}
	prof, err := profile.Build(ctx, st)
	if err != nil {
		return nil, 0, fmt.Errorf("profile the snapshot: %w", err)
	}
	m, problems := mapping.Check(path, data, prof, mapping.Schema{})
	return problems, len(m.Tests), nil
}
