package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"ferry/internal/estimate"
	"ferry/internal/migrate"
	"ferry/internal/plan/decide"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// lossGroup is records of one object that would not (or did not) arrive for one reason class.
type lossGroup struct {
	Kind       source.Kind `json:"kind"`
	Reason     string      `json:"reason"` // migrate.ReasonClass
	Records    int         `json:"records"`
	AcceptedBy string      `json:"accepted_by,omitempty"` // the accepted loss reason covering it
	// Named names the first records of the group (source.Named: "Jane Roe <jane@x.com>
	// (per_1)", or file:line for a row extraction quarantined), at most estimate.LostShown.
	Named []string `json:"named,omitempty"`
}

// workspaceLosses returns the losses of the plan: predicted by a dry run of mapping.yaml over
// the snapshot (nothing is sent), plus those the id map holds from runs (a refused or failed
// create), grouped by object and reason class, each with the accepted reason covering it.
func workspaceLosses(ctx context.Context, ws *workspace.Workspace, st store.Store, d decide.Decisions) ([]lossGroup, error) {
	w, err := workspaceWorkload(ctx, ws, st)
	if err != nil {
		return nil, err
	}
	count := map[source.Kind]map[string]int{}
	named := map[source.Kind]map[string][]string{}
	for _, p := range w.Phases {
		count[p.Kind], named[p.Kind] = map[string]int{}, map[string][]string{}
		for reason, n := range p.Losses {
			count[p.Kind][reason] = n
			for _, l := range p.Lost[reason] {
				named[p.Kind][reason] = append(named[p.Kind][reason], l.Name)
			}
		}
	}
	for _, kind := range migrate.Phases() {
		err := st.EachMapping(ctx, kind, store.Failed, func(m store.Mapping) error {
			if count[kind] == nil {
				count[kind], named[kind] = map[string]int{}, map[string][]string{}
			}
			class := migrate.ReasonClass(migrate.LossReason(m))
			count[kind][class]++
			if len(named[kind][class]) < estimate.LostShown {
				named[kind][class] = append(named[kind][class], migrate.NamedRecord(ctx, st, kind, m.SourceID))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read the id map: %w", err)
		}
	}
	var out []lossGroup
	for _, kind := range migrate.Phases() {
		for reason, n := range count[kind] {
			by, _ := d.AcceptsLoss(reason)
			out = append(out, lossGroup{Kind: kind, Reason: reason, Records: n, AcceptedBy: by, Named: named[kind][reason]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return kindOrder(out[i].Kind) < kindOrder(out[j].Kind)
		}
		if out[i].Records != out[j].Records {
			return out[i].Records > out[j].Records
		}
		return out[i].Reason < out[j].Reason
	})
	return out, nil
}

// kindOrder is a kind's place in the engine's phase order.
func kindOrder(k source.Kind) int {
	for i, p := range migrate.Phases() {
		if p == k {
			return i
		}
	}
	return len(migrate.Phases())
}

// unaccepted returns the loss groups no accepted reason covers, and their record count.
func unaccepted(ls []lossGroup) ([]lossGroup, int) {
	var out []lossGroup
	n := 0
	for _, l := range ls {
		if l.AcceptedBy == "" {
			out = append(out, l)
			n += l.Records
		}
	}
	return out, n
}

// namedShown is how many records of each loss reason the command line names.
const namedShown = 5

// printLosses prints the losses, unaccepted first, each naming its first records; empty
// prints "none".
func printLosses(g *globalOptions, title string, ls []lossGroup) {
	g.printf("%s:", title)
	if len(ls) == 0 {
		g.printf(" none\n")
		return
	}
	g.printf("\n")
	for _, l := range ls {
		if l.AcceptedBy == "" {
			g.printf("  %d %s: %s\n", l.Records, plurals[l.Kind], l.Reason)
			printNamed(g, l)
		}
	}
	for _, l := range ls {
		if l.AcceptedBy != "" {
			g.printf("  %d %s: %s (loss accepted: %q)\n", l.Records, plurals[l.Kind], l.Reason, l.AcceptedBy)
			printNamed(g, l)
		}
	}
}

// printNamed prints the first records of a loss group, one a line, and how many more.
func printNamed(g *globalOptions, l lossGroup) {
	for i, n := range l.Named {
		if i == namedShown {
			break
		}
		g.printf("      %s\n", n)
	}
	if more := l.Records - min(len(l.Named), namedShown); more > 0 && len(l.Named) > 0 {
		g.printf("      … and %d more\n", more)
	}
}

// newAcceptLossCommand builds `ferry decide accept-loss`.
func newAcceptLossCommand(g *globalOptions) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "accept-loss [REASON]",
		Short: "Accept that records lost for a reason do not arrive (ferry confirm refuses until each is)",
		Long: `Accept-loss records in decisions.yaml (accepted_losses) that the records lost for a reason are
to be left out: ferry confirm then no longer refuses for them, ferry run and ferry delta count
them as skipped by decision (action "loss accepted" in report/success-<object>.csv), ferry
verify does not look for them, and the report lists every accepted reason.

REASON is matched, ignoring case, within the reasons ferry decide list and ferry confirm
print (a dry run of mapping.yaml over the snapshot, plus creates Pipedrive refused); a REASON
that matches none is refused, so a typo accepts nothing. --all accepts every current reason,
each as its own entry. Accepting changes decisions.yaml: run ferry confirm again.`,
		Example: `  ferry decide accept-loss "not a valid email"
  ferry decide accept-loss "held: parent person not migrated"
  ferry decide accept-loss --all`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) == 1) {
				return usageErrorf("give a REASON or --all")
			}
			reason := ""
			if len(args) == 1 {
				reason = args[0]
			}
			return runAcceptLoss(cmd.Context(), g, reason)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "accept every current loss reason, each as its own entry")
	return cmd
}

// runAcceptLoss adds reason (or, when empty, every current reason) to accepted_losses.
func runAcceptLoss(ctx context.Context, g *globalOptions, reason string) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := readDecisions(ws)
	if err != nil {
		return err
	}
	ls, err := workspaceLosses(ctx, ws, st, d)
	if err != nil {
		return err
	}
	added, matched := 0, 0
	for _, l := range ls {
		switch {
		case reason == "" && l.AcceptedBy == "":
			d.AcceptedLosses = append(d.AcceptedLosses, decide.AcceptedLoss{Reason: l.Reason, Records: l.Records})
			added++
			matched += l.Records
		case reason != "" && strings.Contains(strings.ToLower(l.Reason), strings.ToLower(strings.TrimSpace(reason))):
			matched += l.Records
		}
	}
	if reason != "" {
		if matched == 0 {
			printLosses(g, "Losses", ls)
			return usageErrorf("%q matches no loss reason (listed above); nothing accepted", reason)
		}
		if _, dup := d.AcceptsLoss(reason); !dup || !hasAccepted(d, reason) {
			d.AcceptedLosses = append(d.AcceptedLosses, decide.AcceptedLoss{Reason: reason, Records: matched})
			added++
		}
	}
	if added > 0 {
		if err := writeDecisions(ws, d); err != nil {
			return err
		}
	}
	g.printf("accepted %d reason(s) covering %d record(s) in %s; run ferry confirm again\n", added, matched,
		ws.PlanPath(workspace.DecisionsFile))
	return nil
}

// hasAccepted reports whether reason is already an accepted entry.
func hasAccepted(d decide.Decisions, reason string) bool {
	for _, a := range d.AcceptedLosses {
		if strings.EqualFold(strings.TrimSpace(a.Reason), strings.TrimSpace(reason)) {
			return true
		}
	}
	return false
}

// listLosses prints, for ferry decide list, the records the plan would lose (a dry run of
// mapping.yaml over the snapshot) by object and reason, and which are accepted; "none" when
// nothing would be lost. A workspace without a plan yet prints nothing.
func listLosses(ctx context.Context, g *globalOptions, d decide.Decisions) error {
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := os.Stat(ws.PlanPath(workspace.MappingFile)); err != nil {
		return nil
	}
	ls, err := workspaceLosses(ctx, ws, st, d)
	if err != nil {
		return err
	}
	printLosses(g, "Records that would not arrive in Pipedrive (accept a reason with ferry decide accept-loss REASON)", ls)
	printAccepted(g, d)
	return nil
}

// printAccepted lists the loss reasons decisions.yaml accepts, with the records each covered
// when accepted; "none" when it accepts none.
func printAccepted(g *globalOptions, d decide.Decisions) {
	g.printf("Accepted losses (decisions.yaml accepted_losses):")
	if len(d.AcceptedLosses) == 0 {
		g.printf(" none\n")
		return
	}
	g.printf("\n")
	for _, a := range d.AcceptedLosses {
		g.printf("  %q: %d record(s) when accepted\n", a.Reason, a.Records)
	}
}
