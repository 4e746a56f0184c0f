package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ferry/internal/extract"
	"ferry/internal/klipy"
	"ferry/internal/klipy/harvest"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
	"ferry/internal/workspace"
)

// ExtractOptions are the flags of `ferry extract`.
type ExtractOptions struct {
	Harvest  string
	NoAPI    bool
	Encoding string
	// Force extracts even when a channel that supplied records last time is missing now, and
	// lets the snapshot shrink by more than extract.DefaultMaxDropPercent of a kind.
	Force bool

	// klipyRate overrides the client-side pacing of the Klipy API (requests per minute;
	// negative: none). Only the demo sets it, against a sandbox with limits off.
	klipyRate int
	progress  extract.Progress
}

// newExtractCommand builds `ferry extract`.
func newExtractCommand(g *globalOptions) *cobra.Command {
	var opts ExtractOptions
	cmd := &cobra.Command{
		Use:   "extract",
		Short: "Take everything Klipy gives into the local source snapshot",
		Long: `Extract reads every channel Klipy offers and merges them into the workspace's source
snapshot (.ferry/state.db), one record per Klipy object with a content hash:

  harvest   the harvest folder (ferry.yaml source.harvest, or --harvest DIR)
  api       Klipy's API: people, interactions, companies (when KLIPY_API_KEY is set)
  webhook   deal events captured by ferry listen

Conflicts: for an object seen on several channels each field takes the value of the most
authoritative channel that has it: webhook (newest deal state) over api (live data) over
harvest (a manual export). An empty value never erases another channel's value.

Unreadable harvest rows are quarantined with file, line and reason; the rest goes on, and
extract exits 6 (incomplete): it prints the quarantined rows grouped by object, file and
reason and lists every one (file, line, field, reason, raw values) in report/quarantined.csv.
The snapshot is written all the same and the next steps work on it. Rows left out under a
loss reason accepted in decisions.yaml (ferry decide accept-loss) do not count.
Re-running is idempotent and reports what was added, changed, unchanged and removed. An API
extraction interrupted by a crash or Ctrl-C resumes from its last page on the next run.

Nothing is dropped by accident: when a channel that supplied records last time is missing now
(KLIPY_API_KEY unset, --no-api, the harvest folder gone) extract refuses and names it (exit 2);
when more than 5% of an object's records (and more than 10, or all of them) would leave the
snapshot, that object keeps them and extract exits 4. --force allows both.

The API extraction never stops early in silence: an answer it cannot read in full (an
unknown envelope, a full page without paging fields it knows, a record without an id) stops
it with an error naming the endpoint and what was seen (exit 1); a Klipy that cannot be
reached, or a key that is rejected or has expired, exits 8. Captured webhook events of types
ferry does not migrate are listed as "not migrated: <type>".


The column map: extract proposes, for every harvest file, which column means which source
field (from the header in any common spelling or language, and from the contents) and writes
it to columns.yaml in the workspace, with confidence, reason and sample values as comments.
Review it: an edited field is honoured on the next extract; new files and columns are added
to it; ferry lint checks it and ferry confirm locks it. Columns without a standard field are
kept as custom fields (custom.<Header>) and listed; field: skip leaves one out, listed; a
column without a header is listed as not migrated. Two columns of one file whose headers
both spell one field ("Email", "E-Mail Address") become open decisions in decisions.yaml
(columns:) at the next ferry plan; lint and confirm refuse until each is answered, and the
next extract writes the answers into columns.yaml and reads the harvest with them.

Organizations discovered from references: a company name that people, deals, interactions,
notes or tasks give without a company id, and that no company record carries (case, accents
and legal forms like GmbH aside; a known domain beside it links by domain), becomes an
organization of its own, with an id made from the normalized name (stable across extracts).
extract prints each one and plan-report.md lists them for review.

A harvest file that cannot be read at all is named with why and what to do; every other file
is loaded, the records of that file's kind already in the snapshot are kept, and extract
exits 6 (incomplete). A bad row is quarantined alone (file, line, column, reason).

Examples:
  ferry extract
  ferry extract --harvest ~/exports/klipy --encoding windows-1252
  $EDITOR columns.yaml && ferry extract     # re-map a column and read the folder again`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExtract(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Harvest, "harvest", "", "harvest folder (default: source.harvest in ferry.yaml)")
	f.BoolVar(&opts.NoAPI, "no-api", false, "do not call the Klipy API even when KLIPY_API_KEY is set")
	f.StringVar(&opts.Encoding, "encoding", "auto", "harvest file encoding: auto, utf-8, utf-16, windows-1252")
	f.BoolVar(&opts.Force, "force", false, "extract without a channel used last time, and let the snapshot shrink by any amount")
	return cmd
}

// runExtract builds the channels, runs the extraction and prints the report.
func runExtract(ctx context.Context, g *globalOptions, opts ExtractOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	opts.progress = newProgress(g, "extract").update
	rep, channels, err := extractWorkspace(ctx, ws, st, workspace.LoadEnv(), opts)
	if err != nil {
		return klipyExitError(err)
	}
	if err := printExtract(g, rep, channels); err != nil {
		return err
	}
	return extractOutcome(ctx, g, ws, st, channels)
}

// extractWorkspace runs every channel that applies to ws with the given environment.
func extractWorkspace(ctx context.Context, ws *workspace.Workspace, st store.Store, env workspace.Env,
	opts ExtractOptions) (extract.Report, []extract.Channel, error) {
	channels, err := extractChannels(ws, st, env, opts)
	if err != nil {
		return extract.Report{}, nil, err
	}
	if !opts.Force {
		if err := checkChannels(ctx, ws, st, channels, opts); err != nil {
			return extract.Report{}, nil, err
		}
	}
	eopts := extract.Options{Progress: opts.progress}
	if !opts.Force {
		eopts.Guard = &extract.Guard{MaxPercent: extract.DefaultMaxDropPercent}
	}
	rep, err := extractInto(ctx, ws, st, channels, eopts)
	if h := harvestChannel(channels); h != nil {
		note, cerr := saveColumnMap(ws, h.Options.Columns, h)
		if cerr != nil && err == nil {
			err = cerr
		}
		h.ColumnsNote = strings.TrimSpace(h.ColumnsNote + "\n" + note)
	}
	if errors.Is(err, extract.ErrTooManyRemoved) {
		return rep, channels, fmt.Errorf("%w: %v\n(new and changed records were taken in; if Klipy really lost them, run again with --force)", errBlocked, err)
	}
	if err == nil {
		err = extract.RecordSupplied(ctx, st, rep)
	}
	return rep, channels, err
}

// checkChannels refuses an extraction without a channel that supplied records last time,
// naming the channel and what brings it back.
func checkChannels(ctx context.Context, ws *workspace.Workspace, st store.Store, chs []extract.Channel, opts ExtractOptions) error {
	last, err := extract.Supplied(ctx, st)
	if err != nil {
		return err
	}
	var why []string
	for _, ch := range extract.Missing(last, chs) {
		switch ch {
		case source.API:
			cause := "KLIPY_API_KEY is not set"
			if opts.NoAPI {
				cause = "--no-api was given"
			}
			why = append(why, fmt.Sprintf("the api channel supplied %d records last time but %s (export KLIPY_API_KEY=… and KLIPY_BASE_URL if not the default)", last[ch], cause))
		case source.Harvest:
			dir := opts.Harvest
			if dir == "" {
				dir = ws.HarvestDir()
			}
			why = append(why, fmt.Sprintf("the harvest channel supplied %d records last time but the harvest folder %q is missing (source.harvest in ferry.yaml or --harvest DIR)", last[ch], dir))
		default:
			why = append(why, fmt.Sprintf("the %s channel supplied %d records last time and is missing now", ch, last[ch]))
		}
	}
	if len(why) == 0 {
		return nil
	}
	return usageErrorf("extract refused, the snapshot is unchanged: %s; without it every record only it supplied would leave the snapshot (and ferry delta --delete would delete it in Pipedrive). Fix the environment, or pass --force to extract without it",
		strings.Join(why, "; "))
}

// extractChannels lists the channels that apply to this workspace.
func extractChannels(ws *workspace.Workspace, st store.Store, env workspace.Env, opts ExtractOptions) ([]extract.Channel, error) {
	var chs []extract.Channel
	dir := opts.Harvest
	if dir == "" {
		dir = ws.HarvestDir()
	}
	if dir != "" {
		if _, err := os.Stat(dir); err == nil {
			cols, applied, err := loadColumnMap(ws)
			if err != nil {
				return nil, err
			}
			chs = append(chs, &extract.HarvestChannel{Dir: dir, Options: harvest.Options{Encoding: opts.Encoding, Columns: cols},
				ColumnsNote: applied})
		} else if opts.Harvest != "" {
			return nil, usageErrorf("--harvest %s: %v", dir, err)
		}
	}
	if env.KlipyKey != "" && !opts.NoAPI {
		c, err := newKlipyClient(ws, env, opts.klipyRate)
		if err != nil {
			return nil, err
		}
		chs = append(chs, &extract.APIChannel{Client: c})
	}
	chs = append(chs, &extract.WebhookChannel{Events: st})
	return chs, nil
}

// klipyExitError marks a Klipy key that was rejected or expired, or a Klipy that cannot be
// reached, as errUnreachable (exit 8); other errors stay failures (exit 1).
func klipyExitError(err error) error {
	var op *net.OpError
	if errors.Is(err, klipy.ErrUnauthorized) || errors.As(err, &op) {
		return fmt.Errorf("%w: %w", errUnreachable, err)
	}
	return err
}

// newKlipyClient builds the Klipy API client from ferry.yaml and the environment.
func newKlipyClient(ws *workspace.Workspace, env workspace.Env, ratePerMinute int) (*klipy.Client, error) {
	gen, err := klipy.ParseGeneration(ws.Config.Source.KlipyAPI)
	if err != nil {
		return nil, usageErrorf("source.klipy_api: %v", err)
	}
	return klipy.NewClient(klipy.Config{BaseURL: env.KlipyURL(ws.Config), APIKey: env.KlipyKey, Generation: gen,
		RatePerMinute: ratePerMinute, PageSize: ws.Config.Source.KlipyPageSize})
}

// extractInto runs the extraction with a staging store kept in .ferry/ until it succeeds, so
// an interrupted API extraction resumes.
func extractInto(ctx context.Context, ws *workspace.Workspace, st store.Store, chs []extract.Channel,
	opts extract.Options) (extract.Report, error) {
	stagingPath := filepath.Join(ws.Dir, workspace.StateDir, "extract-staging.db")
	staging, err := sqlite.Open(stagingPath)
	if err != nil {
		return extract.Report{}, fmt.Errorf("open extraction staging store: %w", err)
	}
	if err := clearExtractQuarantine(ctx, st); err != nil {
		staging.Close()
		return extract.Report{}, err
	}
	opts.ScratchDir = filepath.Join(ws.Dir, workspace.StateDir)
	rep, err := extract.RunWith(ctx, st, staging, chs, opts)
	staging.Close()
	if err != nil && !errors.Is(err, extract.ErrTooManyRemoved) {
		return rep, fmt.Errorf("%w (an interrupted extraction resumes when you run ferry extract again)", err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(stagingPath + suffix)
	}
	return rep, err // nil, or the guard's refusal of some kinds' removals
}

// printExtract prints the per-channel and per-kind tables.
func printExtract(g *globalOptions, rep extract.Report, chs []extract.Channel) error {
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(rep)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "object\tharvest\tapi\twebhook\tquarantined\tsnapshot\tadded\tchanged\tunchanged\tremoved\t")
	for _, k := range source.Kinds {
		c := rep.Changes[k]
		q := 0
		for _, ch := range rep.Channels {
			q += ch[k].Quarantined
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", k,
			rep.Channels[source.Harvest][k].Loaded, rep.Channels[source.API][k].Loaded,
			rep.Channels[source.Webhook][k].Loaded, q, c.Total, c.Added, c.Changed, c.Unchanged, c.Removed)
	}
	tw.Flush()
	var names []string
	for _, ch := range chs {
		names = append(names, string(ch.Name()))
	}
	sort.Strings(names)
	g.printf("channels used: %v\n", names)
	for _, line := range discoveredLines(rep.Discovered) {
		g.printf("%s\n", line)
	}
	for _, ch := range chs {
		if w, ok := ch.(*extract.WebhookChannel); ok {
			for _, line := range w.Report.NotMigratedLines() {
				g.printf("%s\n", line)
			}
		}
	}
	if h := harvestChannel(chs); h != nil {
		for _, line := range columnLines(h) {
			g.printf("%s\n", line)
		}
		if h.ColumnsNote != "" {
			g.printf("%s\n", h.ColumnsNote)
		}
	}
	return nil
}
