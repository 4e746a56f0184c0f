package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/spf13/cobra"
)

// globalOptions holds the flags every command shares.
type globalOptions struct {
	Workspace string
	JSON      bool
	LogLevel  string

	stdout, stderr io.Writer
	log            *slog.Logger
}

// newRootCommand builds the ferry command tree.
func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	g := &globalOptions{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "ferry",
		Short: "Migrate a CRM from Klipy to Pipedrive, verified, resumable and reversible",
		Long: `ferry moves a company's CRM from Klipy CRM to Pipedrive: data and schema, field by field,
each record exactly once, linked, with its original timestamps. Nothing moves before you confirm
the plan; every write is journaled so it can be verified and rolled back.

The journey, one command each:
  ferry init DIR        make a workspace (ferry.yaml + .ferry/state.db)
  ferry probe           what Klipy and Pipedrive offer, per object and channel
  ferry extract         take everything Klipy gives into the local snapshot
  ferry plan            propose mapping.yaml, dedupe, stage/tag/owner decisions
  ferry decide, lint    resolve the decisions; check mapping.yaml and run its tests
  ferry confirm         lock the plan
  ferry estimate        tokens, days of API budget, wall time, complexity
  ferry run             migrate (ferry run --sample N first)
  ferry verify          read back and compare field by field
  ferry delta           carry over what changed during cutover
  ferry rollback        undo a migration
  ferry report          deliverables for the admin
  ferry status          the migrations in the state store: phase, progress, lock

Try it without any account: ferry demo.

Secrets come only from the environment, never from files:
  PIPEDRIVE_API_TOKEN, PIPEDRIVE_COMPANY_DOMAIN (or PIPEDRIVE_BASE_URL),
  KLIPY_API_KEY, KLIPY_BASE_URL, KLIPY_WEBHOOK_SECRET
FERRY_PIPEDRIVE_BURST overrides the plan's burst limit, for a sandbox run with --limits=off.

` + exitCodesHelp,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.setup(cmd)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%v", err)
	})
	f := root.PersistentFlags()
	f.StringVarP(&g.Workspace, "workspace", "w", ".", "workspace directory (holds ferry.yaml and .ferry/)")
	f.BoolVar(&g.JSON, "json", false, "machine-readable JSON output, no progress bars")
	f.StringVar(&g.LogLevel, "log-level", "warn", "log level: debug, info, warn or error")
	addCommands(root, g)
	guardWriters(root, g)
	return root
}

// addCommands registers every subcommand; one line per command, in journey order.
func addCommands(root *cobra.Command, g *globalOptions) {
	root.AddCommand(
		newInitCommand(g),
		newLoginCommand(g),
		newLogoutCommand(g),
		newHarvestCommand(g),
		newProbeCommand(g),
		newExtractCommand(g),
		newPlanCommand(g),
		newLintCommand(g),
		newDecideCommand(g),
		newConfirmCommand(g),
		newRunCommand(g),
		newDeltaCommand(g),
		newEstimateCommand(g),
		newRollbackCommand(g),
		newVerifyCommand(g),
		newReportCommand(g),
		newReviewCommand(g),
		newStatusCommand(g),
		newListenCommand(g),
		newGenCommand(g),
		newSandboxCommand(g),
		newDemoCommand(g),
		newBenchCommand(g),
		newVersionCommand(g),
	)
}

// setup validates the global flags and builds the logger (to stderr).
func (g *globalOptions) setup(*cobra.Command) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToLower(g.LogLevel))); err != nil {
		return usageErrorf("--log-level %q: allowed values are debug, info, warn, error", g.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	if g.JSON {
		g.log = slog.New(slog.NewJSONHandler(g.stderr, opts))
	} else {
		g.log = slog.New(slog.NewTextHandler(g.stderr, opts))
	}
	clientLog.Store(g.log)
	return nil
}

// clientLog is the logger of the command running, for the platform clients it builds
// (retries at info, budget notes at warn).
var clientLog atomic.Pointer[slog.Logger]

// printf writes human output to stdout.
func (g *globalOptions) printf(format string, args ...any) {
	fmt.Fprintf(g.stdout, format, args...)
}

// errorf writes to stderr: prompts and advice that are not the command's result.
func (g *globalOptions) errorf(format string, args ...any) {
	fmt.Fprintf(g.stderr, format, args...)
}
