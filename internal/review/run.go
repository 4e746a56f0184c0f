package review

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"ferry/internal/migrate"
	"ferry/internal/source"
)

// runner runs ferry run --json for the page, one at a time, and keeps what its events said.
// Pause stops the run between requests (as Ctrl-C does: nothing is lost, nothing is sent
// twice); resume starts ferry run again, which continues where it stopped.
type runner struct {
	s *Server

	base     context.Context // ended by Server.Close: a run going then stops as on Ctrl-C
	wg       sync.WaitGroup  // the run going, if any
	mu       sync.Mutex
	cancel   context.CancelFunc
	progress runProgress
	changed  chan struct{} // closed and replaced on every change
}

// runProgress is what the Run page shows.
type runProgress struct {
	Running   bool
	Paused    bool // stopped by the page's pause button
	Started   time.Time
	Kinds     []kindProgress
	Phases    []migrate.Reconciliation
	Tokens    int64 // estimated tokens of what remained at the start
	Daily     int64 // the day's token budget
	Spent     int64 // tokens the run spent (known at its end)
	Budget    string
	Log       []string // the command's lines that are not events
	Done      bool
	Outcome   *outcome
	ETA       string
	Processed int
	Total     int
	Outcomes  []objectOutcome // where every source record ended up, after the run
	Complete  bool            // every record arrived or was left out by a decision
}

// objectOutcome is one object's line of ferry run's "outcomes" event.
type objectOutcome struct {
	Kind     source.Kind `json:"kind"`
	Source   int         `json:"source"`
	Success  int         `json:"success"`
	Accepted int         `json:"accepted"`
	Errors   int         `json:"errors"`
}

// runView is the progress with the page's CSRF token, for the controls it renders.
type runView struct {
	CSRF string
	runProgress
}

// kindProgress is how far one phase has got.
type kindProgress struct {
	Kind      source.Kind
	Processed int
	Total     int
}

func newRunner(s *Server, base context.Context) *runner {
	return &runner{s: s, base: base, changed: make(chan struct{})}
}

// snapshot returns a copy of the progress and the channel closed on the next change.
func (rn *runner) snapshot() (runProgress, <-chan struct{}) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	p := rn.progress
	p.Kinds = append([]kindProgress(nil), p.Kinds...)
	p.Phases = append([]migrate.Reconciliation(nil), p.Phases...)
	p.Log = append([]string(nil), p.Log...)
	p.Outcomes = append([]objectOutcome(nil), p.Outcomes...)
	return p, rn.changed
}

// update changes the progress under the lock and wakes the event streams.
func (rn *runner) update(fn func(p *runProgress)) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	fn(&rn.progress)
	close(rn.changed)
	rn.changed = make(chan struct{})
}

// start runs ferry run --json in the background; it refuses while one runs.
func (rn *runner) start() error {
	rn.mu.Lock()
	if rn.progress.Running {
		rn.mu.Unlock()
		return fmt.Errorf("a run is already going")
	}
	ctx, cancel := context.WithCancel(rn.base)
	rn.cancel = cancel
	rn.wg.Add(1)
	rn.mu.Unlock()
	rn.update(func(p *runProgress) { *p = runProgress{Running: true, Started: time.Now()} })
	pr, pw := io.Pipe()
	go func() {
		defer rn.wg.Done()
		defer cancel()
		var out *outcome
		func() {
			defer pw.Close()
			out = rn.s.execTo(ctx, pw, "run", "--json")
		}()
		rn.update(func(p *runProgress) {
			p.Running, p.Done, p.Outcome = false, true, out
		})
	}()
	go rn.read(pr)
	return nil
}

// read consumes the command's output line by line: JSON events update the progress, other
// lines are kept as the log.
func (rn *runner) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		rn.update(func(p *runProgress) { p.apply(line) })
	}
	_, _ = io.Copy(io.Discard, r)
}

// apply folds one output line of ferry run --json into the progress.
func (p *runProgress) apply(line []byte) {
	var ev struct {
		Event          string                  `json:"event"`
		Kind           source.Kind             `json:"kind"`
		Processed      int                     `json:"processed"`
		Total          int                     `json:"total"`
		ETA            float64                 `json:"eta_seconds"`
		Tokens         int64                   `json:"tokens"`
		Daily          int64                   `json:"daily_budget"`
		Reconciliation *migrate.Reconciliation `json:"reconciliation"`
		Until          time.Time               `json:"until"`
		Complete       bool                    `json:"complete"`
		Objects        []objectOutcome         `json:"objects"`
	}
	if len(line) == 0 {
		return
	}
	if line[0] != '{' || json.Unmarshal(line, &ev) != nil || ev.Event == "" {
		p.Log = append(p.Log, string(line))
		return
	}
	switch ev.Event {
	case "estimate":
		p.Tokens, p.Daily = ev.Tokens, ev.Daily
	case "progress":
		p.setKind(ev.Kind, ev.Processed, ev.Total)
		if ev.ETA > 0 {
			p.ETA = (time.Duration(ev.ETA) * time.Second).String() + " for " + string(ev.Kind)
		}
	case "phase":
		if r := ev.Reconciliation; r != nil {
			p.Phases = append(p.Phases, *r)
			p.setKind(r.Kind, r.Source-r.Open, r.Source)
		}
	case "paused":
		p.Budget = "the day's token budget is spent: waiting until " + ev.Until.Format(time.RFC3339)
	case "resumed":
		p.Budget = "budget reset: resumed"
	case "done":
		p.Spent = ev.Tokens
	case "outcomes":
		p.Outcomes, p.Complete = ev.Objects, ev.Complete
	default:
		p.Log = append(p.Log, string(line))
	}
}

func (p *runProgress) setKind(k source.Kind, processed, total int) {
	found := false
	for i := range p.Kinds {
		if p.Kinds[i].Kind == k {
			p.Kinds[i].Processed, p.Kinds[i].Total, found = processed, total, true
		}
	}
	if !found {
		p.Kinds = append(p.Kinds, kindProgress{Kind: k, Processed: processed, Total: total})
	}
	p.Processed, p.Total = 0, 0
	for _, kp := range p.Kinds {
		p.Processed += kp.Processed
		p.Total += kp.Total
	}
}

// pause stops the running command; ferry run resumes it later.
func (rn *runner) pause() bool {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if !rn.progress.Running || rn.cancel == nil {
		return false
	}
	rn.cancel()
	rn.progress.Paused = true
	return true
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request) {
	p, _ := s.run.snapshot()
	s.render(w, "run", nil, runView{s.csrf, p}, nil)
}

// runAction starts, pauses or resumes the run.
func (s *Server) runAction(w http.ResponseWriter, r *http.Request) {
	var out *outcome
	switch a := r.PostFormValue("action"); a {
	case "start", "resume":
		if err := s.run.start(); err != nil {
			out = &outcome{Command: "ferry run", Code: 1, Output: err.Error()}
		}
	case "pause":
		if !s.run.pause() {
			out = &outcome{Command: "pause", Code: 1, Output: "no run is going"}
		}
	default:
		http.Error(w, "action must be start, pause or resume, not "+quote(a), http.StatusBadRequest)
		return
	}
	p, _ := s.run.snapshot()
	s.render(w, "run", out, runView{s.csrf, p}, nil)
}

// runEvents streams the Run page's progress as server-sent events: a "progress" event with
// the progress section's HTML on every change, and "end" once the run has finished.
func (s *Server) runEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported here", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	for {
		p, changed := s.run.snapshot()
		var buf strings.Builder
		if err := s.pages.t["run"].ExecuteTemplate(&buf, "progress", runView{s.csrf, p}); err != nil {
			s.log.Error("render run progress", "error", err)
			return
		}
		fmt.Fprintf(w, "event: progress\ndata: %s\n\n", strings.ReplaceAll(buf.String(), "\n", " "))
		if !p.Running {
			fmt.Fprint(w, "event: end\ndata: end\n\n")
			fl.Flush()
			return
		}
		fl.Flush()
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		}
	}
}
