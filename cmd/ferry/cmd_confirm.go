package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/lock"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// ConfirmOptions are the flags of `ferry confirm`.
type ConfirmOptions struct {
	Yes     bool
	Offline bool // do not check owner decisions against Pipedrive

	stdin io.Reader // the prompt's input; nil means os.Stdin
}

// newConfirmCommand builds `ferry confirm`.
func newConfirmCommand(g *globalOptions) *cobra.Command {
	var opts ConfirmOptions
	cmd := &cobra.Command{
		Use:   "confirm",
		Short: "Review the plan summary and lock it so ferry run may start",
		Long: `Confirm shows the plan's summary (records per object, pipelines, labels, activity types,
owners) and, once every decision is resolved, records a lock: the hashes of mapping.yaml,
decisions.yaml and the source snapshot. ferry run refuses without a valid lock, and any
later change to one of the three invalidates it.

Confirm refuses with exit code 4 while a decision is open; resolve them by editing
decisions.yaml or with ferry decide, then confirm again. With PIPEDRIVE_API_TOKEN set (and no
--offline) it checks every owner decision against Pipedrive's active users and refuses (exit
code 4) when a map, fallback or matched user does not exist, with a "did you mean"; a user
still to provision is named (ferry run refuses until an admin has added them). Without --yes it asks on the
terminal; in a script, pass --yes.

It also shows the predicted loss: a dry run of mapping.yaml over the whole snapshot (offline)
names every record that would be quarantined, held or refused by Pipedrive, and every row
extraction quarantined, by object and reason. Confirm refuses (exit code 4) while records would
be lost, unless each reason is accepted as a decision (ferry decide accept-loss REASON), which
ferry report then lists.

Exit codes: 0 locked; 2 mapping.yaml or decisions.yaml cannot be read; 4 an open decision, a
mapping problem, an owner that is not a Pipedrive user, a predicted loss not accepted, or not
confirmed at the prompt.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConfirm(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "confirm without asking")
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "do not check owner decisions against Pipedrive")
	return cmd
}

// runConfirm prints the summary, refuses on open decisions, asks, and saves the lock.
func runConfirm(ctx context.Context, g *globalOptions, opts ConfirmOptions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := readDecisions(ws)
	if err != nil {
		return err
	}
	if err := checkMappingFile(ctx, ws, st, opts.Offline); err != nil {
		return err
	}
	if err := printConfirmSummary(ctx, g, st, d); err != nil {
		return err
	}
	if open := d.Open(); len(open) > 0 {
		g.printf("\n%d decision(s) still open:\n  %s\n", len(open), strings.Join(open, "\n  "))
		return fmt.Errorf("%w: %d open decision(s) in %s; edit it or use ferry decide, then confirm again",
			errBlocked, len(open), ws.PlanPath(workspace.DecisionsFile))
	}
	if err := confirmOwners(ctx, g, ws, st, d, opts); err != nil {
		return err
	}
	if err := checkLosses(ctx, g, ws, st, d); err != nil {
		return err
	}
	if !opts.Yes {
		ok, err := askYes(g, opts.stdin, "Lock this plan so ferry run may start? [y/N] ")
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: not confirmed", errBlocked)
		}
	}
	return saveLock(ctx, g, ws, st, d)
}

// confirmOwners checks the owner decisions against Pipedrive's active users: a missing map,
// fallback or matched user blocks; a user still to provision is a warning (run refuses).
func confirmOwners(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store, d decide.Decisions, opts ConfirmOptions) error {
	env := workspace.LoadEnv()
	if opts.Offline || env.PipedriveToken == "" {
		g.printf("note: owner decisions not checked against Pipedrive (no PIPEDRIVE_API_TOKEN or --offline)\n")
		return nil
	}
	c, err := newPipedriveClient(ws, env, st)
	if err != nil {
		return err
	}
	active, err := activeUsers(ctx, c)
	if err != nil {
		return fmt.Errorf("%w: %v (--offline confirms without checking)", errUnreachable, err)
	}
	var block []decide.OwnerProblem
	for _, p := range d.CheckOwners(active) {
		if p.Provision() {
			g.printf("warning: %s; ferry run refuses until an admin adds them\n", p)
			continue
		}
		block = append(block, p)
	}
	return ownerProblemsError(block)
}

// saveLock computes and stores the lock, and records the decisions in the store.
func saveLock(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store, d decide.Decisions) error {
	l, err := lock.Compute(ctx, st, lockFiles(ws))
	if err != nil {
		return err
	}
	l.At = time.Now().UTC()
	for kind, v := range map[string]any{"pipelines": d.Pipelines, "labels": d.Labels,
		"activity_types": d.ActivityTypes, "owners": d.Owners} {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := st.PutDecision(ctx, store.Decision{Kind: kind, Key: "confirmed", Value: data}); err != nil {
			return err
		}
	}
	if err := lock.SaveFiles(ctx, st, lockFiles(ws)); err != nil {
		return err
	}
	if err := lock.Save(ctx, st, l); err != nil {
		return err
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(l)
	}
	g.printf("Plan locked at %s (mapping %s…, decisions %s…, snapshot %s… over %d records).\nNext: ferry run --sample 50\n",
		l.At.Format(time.RFC3339), l.Mapping[:12], l.Decisions[:12], l.Snapshot[:12], l.Records)
	return nil
}

// printConfirmSummary prints records per object and the decisions in short.
func printConfirmSummary(ctx context.Context, g *globalOptions, st store.Store, d decide.Decisions) error {
	g.printf("Snapshot:")
	for _, k := range source.Kinds {
		n, err := st.CountRecords(ctx, k)
		if err != nil {
			return err
		}
		g.printf(" %d %s", n, k)
	}
	g.printf("\n")
	for _, p := range d.Pipelines {
		g.printf("Pipeline %q (%d deals): %s %q, %d stages\n", p.Klipy, p.Deals, p.Action, p.Target, len(p.Stages))
	}
	g.printf("Labels: %d (from tag variants)   Activity types: %d   Owners: %d\n",
		len(d.Labels), len(d.ActivityTypes), len(d.Owners))
	for _, o := range d.Owners {
		if o.Resolution != decide.OwnerMatched {
			g.printf("  owner %s (%d records): %s %s\n", o.Klipy, o.Records, o.Resolution, o.Target)
		}
	}
	return nil
}

// askYes asks a yes/no question on the terminal; it refuses when stdin is not a terminal and
// no reader was given.
func askYes(g *globalOptions, in io.Reader, question string) (bool, error) {
	if in == nil {
		if !term.IsTerminal(int(os.Stdin.Fd())) {
			return false, usageErrorf("no terminal to ask on; pass --yes to confirm from a script")
		}
		in = os.Stdin
	}
	g.printf("%s", question)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	ans := strings.ToLower(strings.TrimSpace(line))
	return ans == "y" || ans == "yes", nil
}

// checkLosses prints the predicted loss and blocks (exit 4) while any is not accepted.
func checkLosses(ctx context.Context, g *globalOptions, ws *workspace.Workspace, st store.Store, d decide.Decisions) error {
	ls, err := workspaceLosses(ctx, ws, st, d)
	if err != nil {
		return err
	}
	printLosses(g, "\nRecords that would not arrive in Pipedrive (dry run of mapping.yaml over the snapshot)", ls)
	open, n := unaccepted(ls)
	if len(open) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d record(s) would be lost for %d reason(s) (listed above); fix mapping.yaml or the data and run ferry plan, or accept each reason with ferry decide accept-loss REASON, then confirm again",
		errBlocked, n, len(open))
}
