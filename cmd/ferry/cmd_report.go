package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/report"
	"ferry/internal/workspace"
)

// ReportOptions are the flags of `ferry report`.
type ReportOptions struct {
	Out string

	now func() time.Time // the report's timestamp; nil means time.Now
}

// newReportCommand builds `ferry report`.
func newReportCommand(g *globalOptions) *cobra.Command {
	var opts ReportOptions
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the deliverables for the admin as Markdown, CSV and JSON",
		Long: `Report gathers what the workspace knows into one directory (default: report/ in the
workspace):

  report.md      for people: contents, then reconciliation per phase, verification,
                 pipelines and stages, field mapping with field codes, schema created in
                 Pipedrive, dedupe merges, owner decisions, what was not migrated and why,
                 delta and rollback
  <table>.csv    one file per table, for spreadsheets (UTF-8 with BOM, RFC 4180)
  report.json    everything, for tools
  success-<object>.csv  every record that arrived: Klipy id, Pipedrive id, its Pipedrive
                 URL (from pipedrive.company_domain), action (created, merged, skipped)
  error-<object>.csv    every record that did not: Klipy id, its source values, the reason;
                 success + error rows add up to the object's source count

Sections whose source does not exist yet say so ("no run yet", "not verified yet", "none
yet"); nothing is invented. In the CSV files, a cell starting with =, +, -, @, tab or carriage
return gets a leading ' so a spreadsheet shows it as text instead of running it (a cell that
starts with ' gets one more). Report reads no environment variable: no secret can reach it.
Nothing is sent to Pipedrive or Klipy. Every file is readable by its owner only (0600).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "directory to write into (default: <workspace>/report)")
	return cmd
}

// runReport builds the report and writes its files.
func runReport(ctx context.Context, g *globalOptions, opts ReportOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now
	if opts.now != nil {
		now = opts.now
	}
	r, err := report.Build(ctx, report.Inputs{Store: st, Dir: ws.Dir, Now: now()})
	if err != nil {
		return err
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(ws.Dir, "report")
	}
	paths, err := report.WriteDir(out, r)
	if err != nil {
		return err
	}
	// Record URLs from ferry.yaml's company domain only: report reads no environment.
	base, _ := workspace.Env{}.PipedriveURL(ws.Config)
	ro := report.RowOptions{Dir: out, BaseURL: base}
	if d, err := readDecisions(ws); err == nil {
		ro.Accept = d.AcceptsLoss
	}
	outs, err := report.WriteOutcomes(ctx, st, ro)
	if err != nil {
		return err
	}
	for _, o := range outs {
		paths = append(paths, o.SuccessFile, o.ErrorFile)
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"dir": out, "files": paths})
	}
	g.printf("Wrote %d files to %s (%s for people, %s for tools, one CSV per table)\n",
		len(paths), out, report.MarkdownFile, report.JSONFile)
	return nil
}
