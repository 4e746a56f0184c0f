package main

import (
	"encoding/json"

	"fmt"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// benchTarget is one of issue 16's targets and how the measured figure compares.
type benchTarget struct {
	What   string  `json:"what"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Limit  float64 `json:"limit"`
	Met    bool    `json:"met"`
	Target string  `json:"target"`
}

// targets derives the targets from the local figures, each ratio from this one run.
func (b *localBench) targets() []benchTarget {
	floor := b.Floor.Wall.Seconds()
	ratio := func(d time.Duration) float64 { return d.Seconds() / max(floor, 1e-9) }
	peak := int64(0)
	for _, f := range b.stageOrder {
		peak = max(peak, f.PeakRSS)
	}
	t := []benchTarget{
		{What: "extract + plan / floor", Value: ratio(b.Extract.Wall + b.Plan.Wall), Unit: "x", Limit: 10, Target: "<= 10x"},
		{What: "re-extract / floor", Value: ratio(b.Reextract.Wall), Unit: "x", Limit: 2, Target: "<= 2x"},
		{What: "lock check", Value: b.LockCheck.Wall.Seconds(), Unit: "s", Limit: 2, Target: "< 2 s (at 1M people)"},
		{What: "peak RSS", Value: float64(peak) / (1 << 30), Unit: "GiB", Limit: 1.5, Target: "<= 1.5 GB (at 1M people)"},
		{What: "bytes written by extract / snapshot", Value: float64(b.Extract.Written) / float64(max(b.Snapshot, 1)), Unit: "x", Limit: 3, Target: "<= 3x"},
	}
	for i := range t {
		t[i].Met = t[i].Value <= t[i].Limit
	}
	return t
}

// printLocalBench prints the stage table and the targets, or JSON with --json.
func printLocalBench(g *globalOptions, b *localBench) error {
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"bench": b, "targets": b.targets()})
	}
	what := fmt.Sprintf("%d people (generated in %s)", b.People, b.Generated.Round(time.Millisecond))
	if b.People == 0 {
		what = b.harvestDir
	}
	g.printf("ferry bench local: %s: %d CSV rows, %s of CSV; snapshot %d records, %s\n",
		what, b.Rows, humanBytes(b.CSVBytes), b.Records, humanBytes(b.Snapshot))
	g.printf("machine: %d cores, load average %s (before the last stage ended)\n", runtime.NumCPU(), b.Load)
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\twall\tcpu (user+sys)\twall / floor\tcpu / floor cpu\tpeak RSS\twritten\t")
	for _, f := range b.stageOrder {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1fx\t%.1fx\t%s\t%s\t\n", f.Stage, roundDur(f.Wall), roundDur(f.CPU),
			f.Wall.Seconds()/max(b.Floor.Wall.Seconds(), 1e-9), f.CPU.Seconds()/max(b.Floor.CPU.Seconds(), 1e-9),
			humanBytes(f.PeakRSS), humanBytes(f.Written))
	}
	tw.Flush()
	printTargets(g, b.targets())
	return nil
}

// printTargets prints each target with its figure and whether it was met.
func printTargets(g *globalOptions, ts []benchTarget) {
	g.printf("targets (issue 16):\n")
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
	for _, t := range ts {
		verdict := "met"
		if !t.Met {
			verdict = "MISSED"
		}
		fmt.Fprintf(tw, "  %s\t%.2f %s\t%s\t%s\n", t.What, t.Value, t.Unit, t.Target, verdict)
	}
	tw.Flush()
}

// roundDur rounds a duration for the table: milliseconds below 10 s, else tenths.
func roundDur(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// humanBytes formats a byte count in binary units, or "-" when unknown (negative).
func humanBytes(n int64) string {
	switch {
	case n < 0:
		return "-"
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

// limitedBuffer keeps the last 4 KiB written to it: a command's stderr, for an error message.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	l.b = append(l.b, p...)
	if len(l.b) > 4096 {
		l.b = l.b[len(l.b)-4096:]
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.b) }

// benchStepError names the command line that failed and what it printed, keeping err's
// exit code.
func benchStepError(args []string, err error, stderr string) error {
	stderr = strings.TrimSpace(stderr)
	if stderr == "" {
		return fmt.Errorf("ferry %s: %w", strings.Join(args, " "), err)
	}
	return fmt.Errorf("ferry %s: %w (stderr: %s)", strings.Join(args, " "), err, stderr)
}
