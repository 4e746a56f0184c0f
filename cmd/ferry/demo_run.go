package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	pdsandbox "ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/lock"
)

// run migrates the confirmed plan into the Pipedrive sandbox, as ferry run does.
func (d *demo) run(ctx context.Context) error {
	if _, err := lock.Check(ctx, d.st, lockFiles(d.ws)); err != nil {
		return err
	}
	start := time.Now()
	rep, err := migrateWorkspace(ctx, &globalOptions{stdout: discard{}, stderr: discard{}}, d.ws, d.st, d.env, RunOptions{})
	if err != nil {
		return err
	}
	printRunReport(d.g, rep, time.Since(start))
	d.run1 = rep
	d.compareEstimate()
	return nil
}

// checkSandbox compares what the Pipedrive sandbox now holds with what the engine reports
// it created, reading the sandbox directly, not through ferry's id map.
func (d *demo) checkSandbox(context.Context) error {
	snap := d.pd.Snapshot()
	live := func(items []map[string]any) int {
		n := 0
		for _, it := range items {
			if del, _ := it["is_deleted"].(bool); !del {
				n++
			}
		}
		return n
	}
	held := map[string]int{"organization": live(snap.Organizations), "person": live(snap.Persons),
		"deal": live(snap.Deals), "activity": live(snap.Activities), "note": live(snap.Notes), "file": len(snap.Files)}
	created := map[string]int{}
	for _, p := range d.run1.Phases {
		created[p.Entity] += p.Created
	}
	tw := tabwriter.NewWriter(d.g.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Pipedrive entity\tcreated by the run\tin the sandbox\tresult\t")
	for _, e := range []string{"organization", "person", "deal", "activity", "note", "file"} {
		result := "ok"
		if created[e] != held[e] {
			result = "MISMATCH"
			d.problems = append(d.problems, fmt.Sprintf("%s: run created %d, sandbox holds %d", e, created[e], held[e]))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", e, created[e], held[e], result)
	}
	tw.Flush()
	if created["organization"] != d.key.Distinct.Organizations {
		d.problems = append(d.problems, fmt.Sprintf("%d organizations created, the answer key has %d",
			created["organization"], d.key.Distinct.Organizations))
	}
	if len(d.problems) > 0 {
		return errors.New(d.problems[len(d.problems)-1])
	}
	d.g.printf("the sandbox holds exactly what the run created: one organization per real company (%d)\n",
		d.key.Distinct.Organizations)
	return nil
}

// rerun runs again: everything is done, so nothing may be sent.
func (d *demo) rerun(ctx context.Context) error {
	before := d.pd.Stats()
	rep, err := migrateWorkspace(ctx, &globalOptions{stdout: discard{}, stderr: discard{}}, d.ws, d.st, d.env, RunOptions{})
	if err != nil {
		return err
	}
	after := d.pd.Stats()
	posts := countPosts(after) - countPosts(before)
	d.g.printf("second run: %d creates sent, %d tokens (exactly once: everything was already done)\n", posts, rep.Stats.Tokens)
	if posts != 0 {
		d.problems = append(d.problems, fmt.Sprintf("the second run sent %d creates", posts))
		return fmt.Errorf("the second run sent %d creates", posts)
	}
	return nil
}

// pdStats is the Pipedrive sandbox's traffic summary.
type pdStats = pdsandbox.Stats

// countPosts counts the create requests the sandbox answered.
func countPosts(st pdsandbox.Stats) int {
	n := 0
	for ep, e := range st.Endpoints {
		if strings.HasPrefix(ep, "POST ") {
			n += e.Requests
		}
	}
	return n
}

// discard is an io.Writer that drops everything.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
