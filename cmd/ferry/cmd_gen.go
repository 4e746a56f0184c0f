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
	People  int
	Seed    int64
	Dialect string
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
output.

--dialect writes the same records (and the same answer key) through the surface another
export tool gives them, as users bring them:
  ferry     ferry's template layout (the default): Klipy ids, RFC 3339 times, UTF-8, commas
  sheets    a Google Sheets download: English headers by name, no person, company or owner
            ids (rows keyed by email and name), people referenced by email, companies by name
  excel-eu  a German Excel export: ';', Windows-1252 (UTF-8 with a BOM for a file holding text
            Windows-1252 cannot encode), CRLF, German headers, day-first dates, comma decimals
  xlsx      one workbook, harvest.xlsx, with a sheet per object
  dump      another CRM's dump: Record ID, Contact Record ID, Account ID, Deal Record ID`,
		Example: `  ferry gen harvest /tmp/acme --people 1000 --seed 7
  ferry gen harvest /tmp/acme-eu --people 200 --dialect excel-eu
  ferry init /tmp/ws --harvest /tmp/acme && ferry extract -w /tmp/ws`,
		Args: exactArgs(1, "DIR"),
		RunE: func(_ *cobra.Command, args []string) error {
			return runGenHarvest(g, opts, args[0])
		},
	}
	harvest.Flags().IntVar(&opts.People, "people", 1000, "Klipy person records to generate (duplicates included)")
	harvest.Flags().Int64Var(&opts.Seed, "seed", 1, "random seed; the same seed gives the same files")
	harvest.Flags().StringVar(&opts.Dialect, "dialect", "ferry", "surface to write: ferry, sheets, excel-eu, xlsx or dump")
	cmd.AddCommand(harvest, newGenSnapshotCommand(g))
	return cmd
}

// runGenHarvest writes the harvest folder and prints the key's counts.
func runGenHarvest(g *globalOptions, opts GenOptions, dir string) error {
	if opts.People < 1 {
		return usageErrorf("--people %d: must be at least 1", opts.People)
	}
	dialect, err := gen.ParseDialect(opts.Dialect)
	if err != nil {
		return usageErrorf("--dialect: %v", err)
	}
	start := time.Now()
	key, err := gen.New(gen.Config{People: opts.People, Seed: opts.Seed}).WriteHarvestDialect(dir, dialect)
	if err != nil {
		return fmt.Errorf("generate harvest folder %s: %w", dir, err)
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"dir": dir, "records": key.Records,
			"distinct": key.Distinct, "dialect": dialect, "seconds": time.Since(start).Seconds()})
	}
	g.printf("Wrote %s in %s (seed %d, dialect %s)\n", dir, time.Since(start).Round(time.Millisecond), opts.Seed, dialect)
	for _, k := range source.Kinds {
		g.printf("  %-12s %8d records\n", k, key.Records[k])
	}
	g.printf("Answer key: %s/answer-key.json (for tests; ferry never reads it)\n", dir)
	return nil
}
