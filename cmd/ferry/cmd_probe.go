package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ferry/internal/klipy/harvest"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// ProbeOptions are the flags of `ferry probe`.
type ProbeOptions struct {
	Harvest  string
	MaxPages int
}

// probeResult is everything probe found; --json prints it as is.
type probeResult struct {
	Klipy        klipyProbe      `json:"klipy"`
	Harvest      *harvest.Stats  `json:"harvest,omitempty"`
	Events       eventsProbe     `json:"webhook_events"`
	Capabilities []capability    `json:"capabilities"`
	Pipedrive    *pipedriveProbe `json:"pipedrive,omitempty"`
	Notes        []string        `json:"notes"`
}

// capability says which channel supplies one Klipy object, how many there are, or why it
// cannot be extracted.
type capability struct {
	Object   string `json:"object"`
	Channels string `json:"channels"`
	Count    string `json:"count"`
	Note     string `json:"note,omitempty"`
}

// newProbeCommand builds `ferry probe`.
func newProbeCommand(g *globalOptions) *cobra.Command {
	var opts ProbeOptions
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "Check what Klipy and Pipedrive offer before anything moves",
		Long: `Probe checks every source and the destination without changing anything:

  Klipy API      reachable? which API generation, which workspace; people counted by paging
                 (up to --max-pages pages; more are shown as "at least")
  harvest folder which files are present, rows readable and rows that will be quarantined
  webhooks       deal events captured so far by ferry listen
  Pipedrive      the token's user and company, burst limit and remaining daily budget seen
                 in the response headers, users, pipelines and fields

It prints a capability table: for each Klipy object, the channel that will supply it and
the count, or "not extractable" with the reason. It reads; it never writes to either platform.
Every Pipedrive call it makes is a cheap read (about 60 tokens in all).

Exit code 8 when a platform is unreachable or rejects its credential; the output says which
(e.g. "Pipedrive credential rejected", "Klipy API unreachable").`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runProbe(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Harvest, "harvest", "", "harvest folder (default: source.harvest in ferry.yaml)")
	cmd.Flags().IntVar(&opts.MaxPages, "max-pages", 20, "Klipy API pages of people to count at most (0: all)")
	return cmd
}

// runProbe probes every channel and the destination and prints the result.
func runProbe(ctx context.Context, g *globalOptions, opts ProbeOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := probeWorkspace(ctx, ws, st, workspace.LoadEnv(), opts)
	if err != nil {
		return err
	}
	if g.JSON {
		if err := json.NewEncoder(g.stdout).Encode(res); err != nil {
			return err
		}
	} else {
		printProbe(g, res)
	}
	return probeProblems(res)
}

// probeProblems is the exit-code-8 error naming each platform that is unreachable or
// rejected its credential; nil when there is none.
func probeProblems(res probeResult) error {
	var out []string
	if res.Klipy.Problem != "" {
		out = append(out, fmt.Sprintf("Klipy API %s (%s)", res.Klipy.Problem, res.Klipy.BaseURL))
	}
	if p := res.Pipedrive; p != nil && p.Problem != "" {
		out = append(out, fmt.Sprintf("Pipedrive %s (%s)", p.Problem, p.BaseURL))
	}
	if len(out) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", errUnreachable, strings.Join(out, "; "))
}

// probeWorkspace gathers the probe result.
func probeWorkspace(ctx context.Context, ws *workspace.Workspace, st store.Store, env workspace.Env,
	opts ProbeOptions) (probeResult, error) {
	var res probeResult
	res.Klipy = probeKlipy(ctx, ws, env, opts.MaxPages)
	dir := opts.Harvest
	if dir == "" {
		dir = ws.HarvestDir()
	}
	cols, problems, err := harvest.ReadColumns(ws.PlanPath(harvest.ColumnsFile))
	if err != nil || harvest.HasErrors(problems) {
		cols = nil // probe proposes afresh; ferry lint names the problems
	}
	hs, err := probeHarvest(ctx, dir, cols)
	if err != nil {
		return res, err
	}
	res.Harvest = hs
	if res.Events, err = probeEvents(ctx, st); err != nil {
		return res, err
	}
	if pipedriveConfigured(ws, env) {
		res.Pipedrive = probePipedrive(ctx, ws, env, st)
	}
	res.Capabilities = capabilities(res)
	res.Notes = probeNotes(res)
	return res, nil
}

func printProbe(g *globalOptions, res probeResult) {
	g.printf("Klipy API: %s\n", res.Klipy.summary())
	if res.Harvest != nil {
		rows, loaded, q := res.Harvest.Totals()
		g.printf("Harvest folder: %d files, %d rows (%d readable, %d will be quarantined); absent: %v\n",
			len(res.Harvest.Files), rows, loaded, q, res.Harvest.Absent)
		for _, f := range res.Harvest.Files {
			if f.Error != "" {
				g.printf("  cannot read %s: %s (every other file still loads; ferry extract will exit 6 until it is fixed or removed)\n",
					f.File, f.Error)
			}
		}
	} else {
		g.printf("Harvest folder: none (set source.harvest in ferry.yaml or pass --harvest)\n")
	}
	g.printf("Webhook events captured: %d (%d deals)\n\n", res.Events.Events, res.Events.Deals)
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OBJECT\tCHANNELS\tCOUNT\tNOTE")
	for _, c := range res.Capabilities {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Object, c.Channels, c.Count, c.Note)
	}
	tw.Flush()
	g.printf("\n")
	if res.Pipedrive != nil {
		res.Pipedrive.print(g)
	} else {
		g.printf("Pipedrive: not checked (PIPEDRIVE_API_TOKEN is not set; or set pipedrive.auth: oauth and run ferry login pipedrive)\n")
	}
	for _, n := range res.Notes {
		g.printf("note: %s\n", n)
	}
}
