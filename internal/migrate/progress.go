package migrate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"ferry/internal/source"
)

// ProgressMode is how a ProgressPrinter renders events.
type ProgressMode int

// The progress modes.
const (
	ProgressPlain ProgressMode = iota // lines, at most one per phase every Every, for logs and pipes
	ProgressBars                      // one bar per phase, redrawn in place, for a terminal
	ProgressJSON                      // one JSON object per line
)

// ProgressPrinter renders the engine's events (pass its Event method as Config.Progress):
// per phase, records done of the total with rate and ETA, throttled to one output every
// Every (bars redraw at most every 100 ms); each phase's reconciliation line; budget pauses
// and resumes. Safe for concurrent use.
type ProgressPrinter struct {
	W      io.Writer
	Mode   ProgressMode
	Every  time.Duration       // plain and JSON throttle; default 3 s
	Now    func() time.Time    // default time.Now
	Totals map[source.Kind]int // records the phase will process (from Estimate), for ETA
	mu     sync.Mutex
	phases map[source.Kind]*phaseClock
}

// phaseClock is when a phase started and last printed.
type phaseClock struct {
	start, last time.Time
}

// Event renders one engine event.
func (p *ProgressPrinter) Event(ev Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case ev.Pause != nil:
		p.pause(ev.Pause)
	case ev.Phase != nil:
		p.phaseDone(ev)
	default:
		p.record(ev)
	}
}

func (p *ProgressPrinter) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *ProgressPrinter) clock(k source.Kind) *phaseClock {
	if p.phases == nil {
		p.phases = map[source.Kind]*phaseClock{}
	}
	c := p.phases[k]
	if c == nil {
		now := p.now()
		c = &phaseClock{start: now, last: now}
		p.phases[k] = c
	}
	return c
}

// record prints a progress line or bar when the throttle allows.
func (p *ProgressPrinter) record(ev Event) {
	c, now := p.clock(ev.Kind), p.now()
	every := p.Every
	if every <= 0 {
		every = 3 * time.Second
	}
	if p.Mode == ProgressBars {
		every = 100 * time.Millisecond
	}
	if now.Sub(c.last) < every {
		return
	}
	c.last = now
	total := p.Totals[ev.Kind]
	rate := float64(ev.Processed) / max(now.Sub(c.start).Seconds(), 1e-3)
	var eta time.Duration
	if total > ev.Processed && rate > 0 {
		eta = time.Duration(float64(total-ev.Processed) / rate * float64(time.Second)).Round(time.Second)
	}
	switch p.Mode {
	case ProgressJSON:
		p.json(map[string]any{"event": "progress", "kind": ev.Kind, "processed": ev.Processed, "total": total,
			"per_second": round1(rate), "eta_seconds": eta.Seconds()})
	case ProgressBars:
		fmt.Fprintf(p.W, "\r%-24s %s %d/%d %.0f/s ETA %s ", ev.Kind, bar(ev.Processed, total, 20), ev.Processed, total, rate, eta)
	default:
		fmt.Fprintf(p.W, "%s: %d/%d records (%.0f/s, ETA %s)\n", ev.Kind, ev.Processed, total, rate, eta)
	}
}

// phaseDone prints the phase's reconciliation (ending its bar).
func (p *ProgressPrinter) phaseDone(ev Event) {
	delete(p.phases, ev.Kind)
	switch p.Mode {
	case ProgressJSON:
		p.json(map[string]any{"event": "phase", "reconciliation": ev.Phase})
	case ProgressBars:
		fmt.Fprintf(p.W, "\r%s\r%s\n", strings.Repeat(" ", 72), ev.Phase)
	default:
		fmt.Fprintf(p.W, "%s\n", ev.Phase)
	}
}

// pause says the run waits for the budget, or resumed.
func (p *ProgressPrinter) pause(ps *Pause) {
	if p.Mode == ProgressJSON {
		ev := "paused"
		if ps.Resumed {
			ev = "resumed"
		}
		p.json(map[string]any{"event": ev, "until": ps.Until.UTC(), "at": ps.At.UTC()})
		return
	}
	if p.Mode == ProgressBars && !ps.Resumed {
		fmt.Fprintln(p.W) // keep the bar above the pause line
	}
	if ps.Resumed {
		fmt.Fprintf(p.W, "budget reset: resumed at %s\n", ps.At.UTC().Format(time.RFC3339))
		return
	}
	fmt.Fprintf(p.W, "daily token budget exhausted at %s: pausing until %s (Ctrl-C stops; the same command resumes)\n",
		ps.At.UTC().Format(time.RFC3339), ps.Until.UTC().Format(time.RFC3339))
}

func (p *ProgressPrinter) json(v map[string]any) { _ = json.NewEncoder(p.W).Encode(v) }

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

// bar draws [####......] for n of total.
func bar(n, total, width int) string {
	filled := width
	if total > 0 {
		filled = min(n*width/total, width)
	}
	return "[" + strings.Repeat("#", filled) + strings.Repeat(".", width-filled) + "]"
}
