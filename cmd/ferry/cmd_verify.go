package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"ferry/internal/migrate"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/verify"
	"ferry/internal/workspace"
)

// VerifyOptions are the flags of `ferry verify`.
type VerifyOptions struct {
	Show int // mismatches printed (and stored)
}

// newVerifyCommand builds `ferry verify`.
func newVerifyCommand(g *globalOptions) *cobra.Command {
	var opts VerifyOptions
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Read every migrated record back from Pipedrive and compare it field by field",
		Long: `Verify reads back every record the migration created or merged, through Pipedrive's list
endpoints (500 a page, never one request per record), rebuilds the body mapping.yaml intended
with the schema Pipedrive holds and the id map, and compares them field by field, allowing
for how Pipedrive stores values (lower-cased e-mails, reformatted phones, numbers, times,
sanitised HTML). It checks every link and label; a deleted record counts as missing.

It checks completeness as well as fields: every record the plan meant to move must be in
Pipedrive. Organizations, persons and deals are found by their hidden "Klipy ID" field,
activities and notes by the Klipy ID marker in their text, independently of ferry's id map
(a record deleted behind ferry's back, or duplicated, is named). A record that never arrived
(quarantined, held, refused, failed, not sent yet, or a row quarantined at extract) is a
mismatch unless mapping.yaml skips it or its reason was accepted with ferry decide
accept-loss. "verification passed" is printed only when all of that holds.

The result is stored in the workspace for ferry report.

Exit codes: 0 verification passed; 3 a field differs, a record is missing or duplicated in
Pipedrive, or a record the plan meant to move never arrived; 4 nothing has been migrated yet.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVerify(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().IntVar(&opts.Show, "show", 50, "mismatches to print and store")
	return cmd
}

// runVerify verifies the workspace's migration, stores the result and prints it.
func runVerify(ctx context.Context, g *globalOptions, opts VerifyOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := verifyWorkspace(ctx, ws, st, workspace.LoadEnv(), opts.Show, newProgress(g, "verify").update)
	if err != nil {
		return stopError(err, "ferry verify")
	}
	printVerifyResult(g, res, opts.Show, recordNamer(ctx, st))
	if !res.OK() {
		return fmt.Errorf("%w: %d field(s) differ; see the table above or ferry report", errMismatch, res.Mismatches)
	}
	return nil
}

// verifyWorkspace runs and stores a verification of ws against the Pipedrive env names; a
// workspace with nothing migrated yet is blocked (exit 4) and stores nothing.
func verifyWorkspace(ctx context.Context, ws *workspace.Workspace, st store.Store, env workspace.Env, keep int,
	progress func(string, int)) (verify.Result, error) {
	client, err := newPipedriveClient(ws, env, st)
	if err != nil {
		return verify.Result{}, err
	}
	merges, err := readMerges(ws)
	if err != nil {
		return verify.Result{}, err
	}
	d, err := readDecisions(ws)
	if err != nil {
		return verify.Result{}, err
	}
	m, err := readMapping(ws)
	if err != nil {
		return verify.Result{}, err
	}
	eng, err := migrate.New(migrate.Config{Client: client, Store: st, Decisions: d, Mapper: migrate.FileMapper{M: m},
		Merges: merges, FilesRoot: ws.HarvestDir()})
	if err != nil {
		return verify.Result{}, err
	}
	res, err := verify.Run(ctx, verify.Config{Client: client, Store: st, Engine: eng, Merges: merges, MaxMismatches: keep,
		Progress: progress, AcceptLoss: d.AcceptsLoss})
	if err != nil {
		return res, err
	}
	if res.Checked() == 0 {
		return res, fmt.Errorf("%w: the id map holds no migrated record to verify; run ferry run first", errBlocked)
	}
	return res, verify.Save(ctx, st, res)
}

// recordNamer names snapshot records by name, email and Klipy id (migrate.NamedRecord).
func recordNamer(ctx context.Context, st store.Store) func(source.Kind, string) string {
	return func(kind source.Kind, id string) string { return migrate.NamedRecord(ctx, st, kind, id) }
}

// printVerifyResult prints the counts per kind, the first mismatches (each record named by
// name) and the cost.
func printVerifyResult(g *globalOptions, res verify.Result, show int, name func(source.Kind, string) string) {
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"event": "verified", "result": res})
		return
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\tentity\tchecked\tmatched\tmismatched\tmissing\tmerged\tnot migrated\tnever arrived\tloss accepted")
	for _, c := range res.Counts {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", c.Kind, c.Entity, c.Checked, c.Matched,
			c.Mismatched, c.Missing, c.Merged, c.NotMigrated, c.Absent, c.Accepted)
	}
	_ = tw.Flush()
	if len(res.First) > 0 {
		g.printf("\nmismatches (%d in all):\n", res.Mismatches)
		tw = tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "kind\trecord\tpipedrive id\tfield\twant\tgot")
		for i, m := range res.First {
			if i >= show {
				break
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", m.Kind, name(m.Kind, m.SourceID), m.DestID, m.Field, clip(m.Want), clip(m.Got))
		}
		_ = tw.Flush()
	}
	absent := 0
	for _, c := range res.Counts {
		absent += c.Absent
	}
	if absent > 0 {
		g.printf("%d record(s) the plan meant to move are not in Pipedrive (field \"record\" above; every row in report/error-*.csv after ferry run or ferry report)\n", absent)
	}
	g.printf("verification %s: %d mismatch(es); %d requests, %d tokens\n", res.Status, res.Mismatches, res.Requests, res.Tokens)
}

// clip shortens a value for the table.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
