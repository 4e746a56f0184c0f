package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"ferry/internal/plan/dedupe"
	"ferry/internal/workspace"
)

// newDecideSplitCommand builds `ferry decide split`: undo one duplicate cluster of dedupe.json.
func newDecideSplitCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "split SURVIVOR-ID",
		Short: "Split a duplicate cluster: its records move as separate records",
		Long: `Split undoes one duplicate cluster that ferry plan proposed in dedupe.json (a cluster is named
by its survivor's Klipy id, as ferry review, plan-report.md and dedupe.json show it): its
members are migrated as separate records instead of merged into the survivor. A match of the
survivor to a record Pipedrive already holds stays. The confirmation lock covers dedupe.json,
so confirm again afterwards. ferry plan run again proposes the cluster anew.

Exit codes: 0 split; 2 no cluster has that survivor; 4 no dedupe.json (run ferry plan).`,
		Example: `  ferry decide split per_0epjp1qtffe3d`,
		Args:    exactArgs(1, "SURVIVOR-ID"),
		RunE: func(_ *cobra.Command, args []string) error {
			ws, err := openWorkspaceOnly(g)
			if err != nil {
				return err
			}
			return splitCluster(g, ws, args[0])
		},
	}
}

// splitCluster removes the cluster with survivor id from dedupe.json, atomically.
func splitCluster(g *globalOptions, ws *workspace.Workspace, id string) error {
	path := ws.PlanPath(workspace.DedupeFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return fmt.Errorf("%w: %s does not exist; run ferry plan first", errBlocked, path)
	}
	if err != nil {
		return err
	}
	res, err := dedupe.ReadJSON(f)
	f.Close()
	if err != nil {
		return usageErrorf("%s: %v", path, err)
	}
	c, err := res.Split(id)
	if err != nil {
		return usageErrorf("%s: %v", path, err)
	}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf); err != nil {
		return err
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	g.printf("split the %s cluster of %s: %d records move separately; confirm again before ferry run\n",
		c.Kind, id, len(c.Members))
	return nil
}
