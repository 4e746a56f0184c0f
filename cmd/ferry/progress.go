package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// progressLine reports a long command's progress on stderr: at most one line per interval,
// plain text for people, or one JSON object per line with --json. Safe for concurrent use.
type progressLine struct {
	g       *globalOptions
	command string
	every   time.Duration

	mu        sync.Mutex
	step      string
	stepStart time.Time
	last      time.Time
}

// progressEvery is how often a progress line is printed at most (tests set it to 0).
var progressEvery = 2 * time.Second

func newProgress(g *globalOptions, command string) *progressLine {
	return &progressLine{g: g, command: command, every: progressEvery, last: time.Now()}
}

// update records that step has handled n items; it prints when the interval has passed.
func (p *progressLine) update(step string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if step != p.step {
		p.step, p.stepStart = step, now
	}
	if now.Sub(p.last) < p.every || p.g.stderr == nil {
		return
	}
	p.last = now
	rate := float64(n) / max(now.Sub(p.stepStart).Seconds(), 1e-3)
	if p.g.JSON {
		json.NewEncoder(p.g.stderr).Encode(map[string]any{"progress": p.command, "step": step,
			"records": n, "per_second": int(rate)})
		return
	}
	fmt.Fprintf(p.g.stderr, "%s: %s: %d records (%.0f/s)\n", p.command, step, n, rate)
}
