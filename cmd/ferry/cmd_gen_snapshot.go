package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/extract"
	"ferry/internal/gen"
	"ferry/internal/source"
	"ferry/internal/store"
)

// newGenSnapshotCommand builds `ferry gen snapshot`.
func newGenSnapshotCommand(g *globalOptions) *cobra.Command {
	var opts GenOptions
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Fill an empty workspace's snapshot with a generated Klipy workspace (rehearse plan at scale)",
		Long: `Load the records ferry gen harvest would write straight into the workspace's snapshot,
as if ferry extract had read them, to rehearse plan, run and verify at a scale where writing
and reading CSV files would take longer than the step being tried (1,000,000 people is 12
million records).

The snapshot must be empty: snapshot refuses a workspace that holds records. Each kind is
staged in a temporary file (in $TMPDIR) before it is copied in key order, so loading needs
free space for about twice the snapshot (a million people: 7 GB of snapshot). The rows broken
on purpose in a harvest folder (ragged, without id) are not generated, and deals that only
webhooks carry are left out: compare counts with gen harvest, not with its answer key.`,
		Example: `  ferry init /tmp/big
  ferry gen snapshot -w /tmp/big --people 1000000
  ferry plan -w /tmp/big --offline`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGenSnapshot(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().IntVar(&opts.People, "people", 1000, "Klipy person records to generate (duplicates included)")
	cmd.Flags().Int64Var(&opts.Seed, "seed", 1, "random seed; the same seed gives the same records")
	return cmd
}

// runGenSnapshot loads each kind in one transaction (a failure keeps the kinds loaded before
// it), printing a line per kind.
func runGenSnapshot(ctx context.Context, g *globalOptions, opts GenOptions) error {
	if opts.People < 1 {
		return usageErrorf("--people %d: must be at least 1", opts.People)
	}
	ws, err := openWorkspaceOnly(g)
	if err != nil {
		return err
	}
	opened, err := openStore(ctx, ws)
	if err != nil {
		return err
	}
	defer opened.Close()
	st, ok := opened.(snapshotLoader)
	if !ok {
		return fmt.Errorf("the state store of workspace %s cannot bulk-load a snapshot", ws.Dir)
	}
	if n, err := st.CountRecords(ctx, ""); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("%w: the snapshot of %s already holds %d records; gen snapshot fills an empty one",
			errBlocked, ws.Dir, n)
	}
	d := gen.New(gen.Config{People: opts.People, Seed: opts.Seed})
	start, counts := time.Now(), map[source.Kind]int{}
	supplied := extract.Report{Channels: map[source.Channel]map[source.Kind]extract.Counts{}}
	for _, k := range source.Kinds {
		t0 := time.Now()
		n, err := st.LoadRecords(ctx, func(put func(source.Record) error) error {
			return d.Each(k, func(r source.Record) error {
				if supplied.Channels[r.Channel] == nil {
					supplied.Channels[r.Channel] = map[source.Kind]extract.Counts{}
				}
				c := supplied.Channels[r.Channel][k]
				c.Loaded++
				supplied.Channels[r.Channel][k] = c
				return put(r)
			})
		})
		if err != nil {
			return fmt.Errorf("generate %s records into %s: %w", k, storeName(ws), err)
		}
		counts[k] = n
		if !g.JSON {
			g.printf("  %-12s %9d records in %s\n", k, n, time.Since(t0).Round(time.Millisecond))
		}
	}
	// The channels the generated records stand for: extract's check of a missing channel
	// reads this instead of walking the snapshot.
	if err := extract.RecordSupplied(ctx, st, supplied); err != nil {
		return err
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"workspace": ws.Dir, "records": counts,
			"seconds": time.Since(start).Seconds()})
	}
	g.printf("Loaded a generated workspace of %d people (seed %d) into %s in %s. Next: ferry plan\n",
		opts.People, opts.Seed, storeName(ws), time.Since(start).Round(time.Millisecond))
	return nil
}

// snapshotLoader is a state store that bulk-loads records (both the SQLite and the PostgreSQL
// store are).
type snapshotLoader interface {
	store.Store
	LoadRecords(ctx context.Context, each func(put func(source.Record) error) error) (int, error)
}
