package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/gen"
	"ferry/internal/source"
)

// GenOptions are the flags of `ferry gen harvest`.
type GenOptions struct {
	People int
	Seed   int64
}

// newGenCommand builds `ferry gen`, the realistic dataset generator.
func newGenCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate a realistic, messy Klipy dataset for rehearsals and tests",
	}
	var opts GenOptions
	harvest := &cobra.Command{
		Use:   "harvest DIR",
		Short: "Write a generated Klipy workspace as a harvest folder, with its answer key",
		Long: `Write a seeded, deterministic Klipy workspace into DIR as a harvest folder (people.csv,
companies.csv, deals.csv, interactions.csv, notes.csv, tasks.csv, owners.csv,
attachments.csv, files/) with the mess real workspaces have: one person under several email
spellings and display names, company domains in many forms, phones in national formats,
renamed stages, tag variants, custom fields of every type, HTML and <script> in notes,
attachments that are too large, of an unsupported type or outside the folder, and a few
deliberately broken rows.

Next to the data it writes answer-key.json: the true counts, duplicate clusters and broken
rows. Tests use it; ferry's migration path never reads it. The same seed gives byte-identical
output.`,
		Example: `  ferry gen harvest /tmp/acme --people 1000 --seed 7
  ferry init /tmp/ws --harvest /tmp/acme && ferry extract -w /tmp/ws`,
		Args: exactArgs(1, "DIR"),
		RunE: func(_ *cobra.Command, args []string) error {
			return runGenHarvest(g, opts, args[0])
		},
	}
	harvest.Flags().IntVar(&opts.People, "people", 1000, "Klipy person records to generate (duplicates included)")
	harvest.Flags().Int64Var(&opts.Seed, "seed", 1, "random seed; the same seed gives the same files")
	cmd.AddCommand(harvest, newGenSnapshotCommand(g))
	return cmd
}

// runGenHarvest writes the harvest folder and prints the key's counts.
func runGenHarvest(g *globalOptions, opts GenOptions, dir string) error {
	if opts.People < 1 {
		return usageErrorf("--people %d: must be at least 1", opts.People)
	}
	start := time.Now()
	key, err := gen.New(gen.Config{People: opts.People, Seed: opts.Seed}).WriteHarvest(dir)
	if err != nil {
		return fmt.Errorf("generate harvest folder %s: %w", dir, err)
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"dir": dir, "records": key.Records,
			"distinct": key.Distinct, "seconds": time.Since(start).Seconds()})
	}
	g.printf("Wrote %s in %s (seed %d)\n", dir, time.Since(start).Round(time.Millisecond), opts.Seed)
	for _, k := range source.Kinds {
		g.printf("  %-12s %8d records\n", k, key.Records[k])
	}
	g.printf("Answer key: %s/answer-key.json (for tests; ferry never reads it)\n", dir)
	return nil
}
