package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"
)

// BenchOptions are the flags of `ferry bench local` and `ferry bench rehearsal`.
type BenchOptions struct {
	People int
	Seed   int64
	Keep   string
	// Harvest, when set, is an existing harvest folder bench local reads instead of generating one.
	Harvest string
	// SandboxSeconds is how long `bench rehearsal` loads the Pipedrive sandbox alone.
	SandboxSeconds float64
	// Workers is ferry run's --workers for `bench rehearsal` (0: run's default).
	Workers int
}

// newBenchCommand builds `ferry bench`: ferry's own speed, measured on generated data.
func newBenchCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure ferry's own speed on generated data: extract, plan, lock check, rehearsal",
	}
	var opts BenchOptions
	local := &cobra.Command{
		Use:   "local",
		Short: "Time extract, plan, re-extract and the lock check against the encoding/csv floor",
		Long: `Bench local generates a harvest folder of --people persons (ferry gen harvest) in a temporary
directory, makes a workspace for it and measures, one after the other in this process:

  floor               every CSV file of the harvest read with Go's encoding/csv, nothing else
  extract --no-api    the first extract into an empty snapshot
  plan --offline      the plan, without Pipedrive
  re-extract          extract again of the unchanged harvest
  lock check          what confirm and run check before they go on (the plan lock)

and prints, for each stage, wall time, CPU time (user+sys: trust it on a busy machine), the
ratio of its wall time to the floor's, the peak resident memory while it ran and the bytes
it passed to write calls (the snapshot, its WAL, scratch files), then the issue's targets:
extract+plan within 10x the floor, a re-extract within 2x, the lock check under 2 s, the
bytes written within 3x the snapshot. Every ratio comes from the same run. Peak memory and
bytes written come from /proc (Linux); elsewhere they are shown as -.

The machine's load average is printed with the table: figures from a shared machine are
only comparable with its load. --keep DIR keeps the harvest and the workspace; --harvest DIR
measures an existing harvest folder (ferry gen harvest DIR) instead of generating one.`,
		Example: `  ferry bench local --people 10000
  ferry gen harvest /tmp/h100k --people 100000 && ferry bench local --harvest /tmp/h100k
  ferry bench local --people 100000 --keep /tmp/bench100k
  ferry bench local --people 2000 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchLocal(cmd.Context(), g, opts)
		},
	}
	rehearsal := &cobra.Command{
		Use:   "rehearsal",
		Short: "Time ferry run against the in-process Pipedrive sandbox with its limits off",
		Long: `Bench rehearsal generates a harvest folder of --people persons, starts the Pipedrive sandbox
inside this process with its limits off (no token accounting, no burst window) and walks the
journey to a confirmed plan: extract --no-api, plan against the sandbox, owners to the
sandbox admin, losses accepted, confirm. Then it measures ferry run end to end (requests/s:
every request the sandbox answered during the run, divided by the run's wall time), and,
afterwards, the sandbox alone: simple authenticated GET requests from several connections
for --sandbox-seconds (requests/s).

The client's pacing is set far above what the sandbox can take, so the figure is ferry's and
the sandbox's own speed, not a rate limit's.`,
		Example: `  ferry bench rehearsal --people 2000
  ferry bench rehearsal --people 100000 --sandbox-seconds 5
  ferry bench rehearsal --people 10000 --workers 32     # as ferry run --workers 32`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchRehearsal(cmd.Context(), g, opts)
		},
	}
	for _, c := range []*cobra.Command{local, rehearsal} {
		f := c.Flags()
		f.IntVar(&opts.People, "people", 10000, "Klipy person records to generate")
		f.Int64Var(&opts.Seed, "seed", 1, "random seed of the generated harvest")
		f.StringVar(&opts.Keep, "keep", "", "make the harvest and workspace in DIR and keep them (default: a temporary directory, removed)")
	}
	local.Flags().StringVar(&opts.Harvest, "harvest", "", "measure this existing harvest folder instead of generating one (--people is then ignored)")
	rehearsal.Flags().Float64Var(&opts.SandboxSeconds, "sandbox-seconds", 3, "how long to load the sandbox alone")
	rehearsal.Flags().IntVar(&opts.Workers, "workers", 0, "ferry run --workers: concurrent requests (default: run's own)")
	cmd.AddCommand(local, rehearsal)
	return cmd
}

// benchDir returns the directory a bench works in and the function that cleans it up.
func benchDir(opts BenchOptions) (string, func(), error) {
	if opts.People < 10 {
		return "", nil, usageErrorf("--people %d: the bench needs at least 10", opts.People)
	}
	if opts.Keep != "" {
		if entries, err := os.ReadDir(opts.Keep); err == nil && len(entries) > 0 {
			return "", nil, usageErrorf("--keep %s: directory is not empty; give a new or empty one", opts.Keep)
		}
		return opts.Keep, func() {}, os.MkdirAll(opts.Keep, 0o755)
	}
	tmp, err := os.MkdirTemp("", "ferry-bench-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// runIn runs a ferry command line in this process, its output discarded; the error carries
// what the command printed on stderr.
func runIn(ctx context.Context, args ...string) error {
	var stderr limitedBuffer
	root := newRootCommand(discard{}, &stderr)
	root.SetArgs(append(args, "--json"))
	if err := root.ExecuteContext(ctx); err != nil {
		return benchStepError(args, err, stderr.String())
	}
	return nil
}
