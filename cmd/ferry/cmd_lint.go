package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"ferry/internal/klipy/harvest"
	"ferry/internal/plan"
	"ferry/internal/plan/mapping"
	"ferry/internal/plan/profile"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// LintOptions are the flags of `ferry lint`.
type LintOptions struct {
	File    string
	Offline bool // do not read Pipedrive's fields
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

With PIPEDRIVE_API_TOKEN set it checks custom fields against Pipedrive's actual fields: an
existing field with the same name (case and spacing aside) and a compatible type is reused, as
ferry run will; one of an incompatible type is an error, and so is a field_code Pipedrive does
not have. --offline (or no token) skips those checks. An unreachable Pipedrive exits 8.

It also checks the harvest column map, columns.yaml (written by ferry extract), when there is
one: unknown field names (with a suggestion), two columns meaning one field, unknown keys and
kinds, hints the value parsers do not know:

  columns.yaml:14:16: error: column "Mail": unknown field "e-mail" for person; … (did you mean email?)

Once no decision is open, it dry-runs the mapping over the whole snapshot (offline, as ferry
confirm does): a field whose problem would quarantine most records of its object (more than
half) is an error, even where the static check only warned, so that a mapping that moves
almost nothing cannot pass.

Warnings do not fail; errors exit with code 1 and block ferry confirm.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLint(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.File, "file", "", "mapping file to check (default: mapping.yaml in the workspace)")
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "do not check against Pipedrive's fields")
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
	dest, err := destinationSchema(ctx, ws, st, opts.Offline)
	if err != nil {
		return err
	}
	if dest.Fields == nil && !g.JSON {
		g.printf("note: not checked against Pipedrive's fields (no PIPEDRIVE_API_TOKEN or --offline)\n")
	}
	colPath, colProblems, err := lintColumns(ws)
	if err != nil {
		return err
	}
	if harvest.HasErrors(colProblems) && !g.JSON {
		for _, p := range colProblems {
			g.printf("%s\n", p.Format(colPath))
		}
		return fmt.Errorf("%s: %d problem(s) found", colPath, len(colProblems))
	}
	if err := openColumnDecisions(g, ws); err != nil {
		return err
	}
	problems, tests, err := lintMapping(ctx, st, path, dest)
	if err != nil {
		return err
	}
	if d, derr := readDecisions(ws); opts.File == "" && !mapping.Errors(problems) && derr == nil && len(d.Open()) == 0 {
		most, err := mostRowsFailing(ctx, ws, st)
		if err != nil {
			return err
		}
		problems = append(problems, most...)
	}
	if g.JSON {
		if err := json.NewEncoder(g.stdout).Encode(map[string]any{"file": path, "problems": problems,
			"columns_file": colPath, "columns_problems": colProblems}); err != nil {
			return err
		}
	} else {
		for _, p := range colProblems {
			g.printf("%s\n", p.Format(colPath))
		}
		for _, p := range problems {
			g.printf("%s\n", p.Format(path))
		}
	}
	if harvest.HasErrors(colProblems) {
		return fmt.Errorf("%s: %d problem(s) found", colPath, len(colProblems))
	}
	if mapping.Errors(problems) {
		return fmt.Errorf("%s: %d problem(s) found", path, len(problems))
	}
	if !g.JSON {
		g.printf("%s: ok (%d warning(s), %d test case(s) passed)\n", path, len(problems), tests)
	}
	return nil
}

// destinationSchema reads Pipedrive's fields for lint, or returns a schema with nil Fields
// (not checked) offline or without a token; an unreachable Pipedrive is exit code 8.
func destinationSchema(ctx context.Context, ws *workspace.Workspace, st store.Store, offline bool) (mapping.Schema, error) {
	env := workspace.LoadEnv()
	if offline || env.PipedriveToken == "" {
		return mapping.Schema{}, nil
	}
	c, err := newPipedriveClient(ws, env, st)
	if err != nil {
		return mapping.Schema{}, err
	}
	s, err := plan.ReadSchema(ctx, c)
	if err != nil {
		return mapping.Schema{}, fmt.Errorf("%w: %v (--offline checks without Pipedrive)", errUnreachable, err)
	}
	return s, nil
}

// lintColumns checks the workspace's columns.yaml, when there is one (see harvest.LintColumns).
func lintColumns(ws *workspace.Workspace) (string, []harvest.Problem, error) {
	path := ws.PlanPath(harvest.ColumnsFile)
	_, problems, err := harvest.ReadColumns(path)
	return path, problems, err
}

// lintMapping parses, lints and tests a mapping file against the snapshot's profile and the
// destination's fields (dest.Fields nil: not checked).
func lintMapping(ctx context.Context, st store.Store, path string, dest mapping.Schema) ([]mapping.Problem, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: read mapping: %v; run ferry plan first", errBlocked, err)
	}
	prof, err := profile.Build(ctx, st)
	if err != nil {
		return nil, 0, fmt.Errorf("profile the snapshot: %w", err)
	}
	m, problems := mapping.Check(path, data, prof, dest)
	return problems, len(m.Tests), nil
}

// fieldProblem finds "mapping.yaml[:line:col]: object.field:" in a loss reason.
var fieldProblem = regexp.MustCompile(`mapping\.yaml(?::(\d+):(\d+))?: ([a-z_]+\.[^:;]+):`)

// mostRowsFailing dry-runs the workspace's plan and returns an error problem for every
// mapping field whose problem would quarantine more than half of its object's records.
func mostRowsFailing(ctx context.Context, ws *workspace.Workspace, st store.Store) ([]mapping.Problem, error) {
	w, err := workspaceWorkload(ctx, ws, st)
	if err != nil {
		return nil, err
	}
	var out []mapping.Problem
	for _, p := range w.Phases {
		type key struct {
			line, col int
			field     string
		}
		count := map[key]int{}
		for reason, n := range p.Losses {
			seen := map[key]bool{}
			for _, m := range fieldProblem.FindAllStringSubmatch(reason, -1) {
				line, _ := strconv.Atoi(m[1])
				col, _ := strconv.Atoi(m[2])
				k := key{line, col, strings.TrimSpace(m[3])}
				if !seen[k] {
					seen[k] = true
					count[k] += n
				}
			}
		}
		for k, n := range count {
			if src := p.Source - p.FromExtract; src > 0 && 2*n > src {
				out = append(out, mapping.Problem{Line: k.line, Column: k.col, Field: k.field,
					Message: fmt.Sprintf("fails for %d of %d %s in a dry run over the snapshot: fix the mapping or the data, or skip the field", n, src, plurals[p.Kind])})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Field < out[j].Field
	})
	return out, nil
}

// openColumnDecisions refuses (exit 4) while decisions.yaml has a column decision nobody
// answered: which field an ambiguous harvest column means changes what extract reads, so the
// mapping cannot be checked before it is known. Each one is printed with its choices.
func openColumnDecisions(g *globalOptions, ws *workspace.Workspace) error {
	d, err := readDecisions(ws)
	if err != nil {
		return nil // no plan yet, or a broken file: the mapping check below names it
	}
	var open []string
	for i, c := range d.Columns {
		if !c.Answered() {
			open = append(open, fmt.Sprintf("  columns[%d] %s %q: %s; choose one of %s", i, c.File, c.Header, c.Why,
				strings.Join(c.Options, ", ")))
		}
	}
	if len(open) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d column decision(s) of %s are open; set each choice, then run ferry extract and ferry plan again:\n%s",
		errBlocked, len(open), ws.PlanPath(workspace.DecisionsFile), strings.Join(open, "\n"))
}
