package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"ferry/internal/klipy/harvest"
	"ferry/internal/report"
	"ferry/internal/source"
	"ferry/internal/store"
)

// newHarvestCommand builds `ferry harvest` and its subcommands.
func newHarvestCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "harvest",
		Short: "Write and check the harvest folder (the CSV files for what Klipy's API does not give)",
		Long: `The harvest folder holds CSV files you fill in by hand or from copies out of Klipy:
people.csv companies.csv deals.csv interactions.csv notes.csv tasks.csv owners.csv
attachments.csv, and files/ for attachment contents. No workspace is needed.`,
	}
	cmd.AddCommand(newHarvestTemplateCommand(g), newHarvestCheckCommand(g))
	return cmd
}

// HarvestTemplateOptions are the flags of `ferry harvest template`.
type HarvestTemplateOptions struct {
	Force bool
}

// newHarvestTemplateCommand builds `ferry harvest template DIR`.
func newHarvestTemplateCommand(g *globalOptions) *cobra.Command {
	var opts HarvestTemplateOptions
	cmd := &cobra.Command{
		Use:   "template DIR",
		Short: "Write blank CSV templates and a README into DIR",
		Long: `Write the harvest folder's blank CSV templates (header rows only; Klipy's own column names
for people and companies) and a README.txt explaining each file and column, into DIR
(created if missing). Existing files are never overwritten unless --force is given.`,
		Example: `  ferry harvest template ./harvest
  ferry harvest check ./harvest`,
		Args: exactArgs(1, "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHarvestTemplate(g, opts, args[0])
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing template files")
	return cmd
}

// runHarvestTemplate writes the templates.
func runHarvestTemplate(g *globalOptions, opts HarvestTemplateOptions, dir string) error {
	written, err := harvest.WriteTemplates(dir, opts.Force)
	if errors.Is(err, harvest.ErrExists) {
		return usageErrorf("%v", err)
	}
	if err != nil {
		return err
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"dir": dir, "written": written})
	}
	g.printf("Wrote %d files into %s:\n", len(written), dir)
	for _, p := range written {
		g.printf("  %s\n", p)
	}
	g.printf("Fill them in (see README.txt), then run `ferry harvest check %s`.\n", dir)
	return nil
}

// HarvestCheckOptions are the flags of `ferry harvest check`.
type HarvestCheckOptions struct {
	Encoding string
	Show     int
}

// newHarvestCheckCommand builds `ferry harvest check DIR`.
func newHarvestCheckCommand(g *globalOptions) *cobra.Command {
	var opts HarvestCheckOptions
	cmd := &cobra.Command{
		Use:   "check DIR",
		Short: "Read the harvest folder and report rows read, loaded and quarantined per file",
		Long: `Read the harvest folder DIR exactly as ferry extract would, without storing anything, and
print per file its encoding, delimiter and rows read / loaded / quarantined, which column it
takes for which field (the column map ferry extract would propose), then the first
quarantined rows with file:line, column and reason.

Exits 6 (incomplete), as ferry extract would, when a file cannot be read at all (compressed,
binary, a workbook that does not open), naming it, or when a row would be quarantined; every
other file and row is still checked. Exit 0 means ferry extract would take in every row.`,
		Example: `  ferry harvest check ./harvest
  ferry harvest check ./harvest --encoding windows-1252 --show 100 --json`,
		Args: exactArgs(1, "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHarvestCheck(cmd, g, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Encoding, "encoding", "auto", "encoding of every file: auto, utf-8, utf-16 or windows-1252")
	f.IntVar(&opts.Show, "show", 20, "how many quarantined rows to list")
	return cmd
}

// harvestCheckReport is the --json output of `ferry harvest check`.
type harvestCheckReport struct {
	Dir         string                 `json:"dir"`
	Stats       harvest.Stats          `json:"stats"`
	Rows        int                    `json:"rows"`
	Loaded      int                    `json:"loaded"`
	Quarantined int                    `json:"quarantined"`
	First       []store.QuarantineItem `json:"first_quarantined"`
	Error       string                 `json:"error,omitempty"`
}

// runHarvestCheck reads the folder and reports.
func runHarvestCheck(cmd *cobra.Command, g *globalOptions, opts HarvestCheckOptions, dir string) error {
	if opts.Show < 0 {
		return usageErrorf("--show %d: must be 0 or more", opts.Show)
	}
	rep := harvestCheckReport{Dir: dir, First: []store.QuarantineItem{}}
	st, err := harvest.Read(cmd.Context(), dir, harvest.Options{Encoding: opts.Encoding},
		func(source.Record) error { return nil },
		func(q store.QuarantineItem) error {
			if len(rep.First) < opts.Show {
				rep.First = append(rep.First, q)
			}
			return nil
		})
	if err != nil && !errors.Is(err, harvest.ErrBadFile) {
		if strings.Contains(err.Error(), "allowed values") {
			return usageErrorf("--%v", err)
		}
		return err
	}
	rep.Stats = st
	rep.Rows, rep.Loaded, rep.Quarantined = st.Totals()
	if err != nil {
		rep.Error = err.Error()
	}
	if g.JSON {
		if encErr := json.NewEncoder(g.stdout).Encode(rep); encErr != nil {
			return encErr
		}
	} else {
		printHarvestCheck(g, rep)
	}
	var why []string // err is nil or harvest.ErrBadFile here
	if err != nil {
		why = append(why, err.Error())
	}
	if rep.Quarantined > 0 {
		why = append(why, fmt.Sprintf("%d row(s) would be quarantined (ferry extract would exit 6 and list every one in report/%s): fix them, or accept the loss after ferry plan",
			rep.Quarantined, report.QuarantineFile))
	}
	if len(why) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", errIncomplete, strings.Join(why, "; "))
}

// printHarvestCheck prints the human form of a check report.
func printHarvestCheck(g *globalOptions, rep harvestCheckReport) {
	g.printf("Harvest folder %s\n", rep.Dir)
	g.printf("  %-18s %-13s %-5s %9s %9s %12s\n", "file", "encoding", "delim", "rows", "loaded", "quarantined")
	for _, f := range rep.Stats.Files {
		enc := f.Encoding
		if f.BOM {
			enc += "+bom"
		}
		g.printf("  %-18s %-13s %-5s %9d %9d %12d\n", f.File, enc, f.Delimiter, f.Rows, f.Loaded, f.Quarantined)
		if f.Error != "" {
			g.printf("    not read: %s\n", f.Error)
		}
	}
	g.printf("  %-18s %-13s %-5s %9d %9d %12d\n", "total", "", "", rep.Rows, rep.Loaded, rep.Quarantined)
	if len(rep.Stats.Absent) > 0 {
		g.printf("Absent (nothing to read): %s\n", strings.Join(rep.Stats.Absent, ", "))
	}
	if len(rep.Stats.Unrecognized) > 0 {
		g.printf("Not harvest files, ignored: %s\n", strings.Join(rep.Stats.Unrecognized, ", "))
	}
	for _, f := range rep.Stats.Columns.Files {
		cols := make([]string, 0, len(f.Columns))
		for _, c := range f.Columns {
			if c.Header != "" {
				cols = append(cols, fmt.Sprintf("%s → %s", c.Header, c.Field))
			}
		}
		g.printf("Columns of %s: %s\n", f.File, strings.Join(cols, "; "))
	}
	if len(rep.First) == 0 {
		return
	}
	g.printf("\nQuarantined rows (first %d of %d):\n", len(rep.First), rep.Quarantined)
	for _, q := range rep.First {
		col := ""
		if q.Column != "" {
			col = fmt.Sprintf(" [%s]", q.Column)
		}
		g.printf("  %s:%d%s %s\n", q.File, q.Line, col, q.Reason)
	}
}
