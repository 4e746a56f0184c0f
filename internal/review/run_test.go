package review

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRunProgressApply folds ferry run --json lines (as migrate.ProgressPrinter writes them)
// into what the Run page shows.
func TestRunProgressApply(t *testing.T) {
	lines := []string{
		`plan confirmed at 2026-01-01 10:00:00Z: 12 records, lock valid`,
		`{"event":"estimate","records":12,"tokens":140,"schema_tokens":40,"daily_budget":30000,"days":1}`,
		`{"event":"progress","kind":"company","processed":2,"total":4,"per_second":1.5,"eta_seconds":2}`,
		`{"event":"phase","reconciliation":{"run_id":1,"kind":"company","entity":"organization","source":4,"created":3,"merged":1,"open":0}}`,
		`{"event":"progress","kind":"person","processed":1,"total":8,"per_second":1,"eta_seconds":7}`,
		`{"event":"paused","until":"2026-01-02T00:00:00Z","at":"2026-01-01T10:00:05Z"}`,
		`{"event":"done","run_id":1,"tokens":133}`,
		`{"event":"something new"}`,
		`{"complete":false,"event":"outcomes","objects":[{"kind":"person","source":8,"success":5,"accepted":2,"errors":1,"success_file":"x"}]}`,
		``,
	}
	var p runProgress
	for _, l := range lines {
		p.apply([]byte(l))
	}
	if diff := cmp.Diff([]kindProgress{{"company", 4, 4}, {"person", 1, 8}}, p.Kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	if p.Processed != 5 || p.Total != 12 {
		t.Errorf("processed %d of %d, want 5 of 12", p.Processed, p.Total)
	}
	if p.Tokens != 140 || p.Daily != 30000 || p.Spent != 133 {
		t.Errorf("tokens %d, daily %d, spent %d; want 140, 30000, 133", p.Tokens, p.Daily, p.Spent)
	}
	if len(p.Phases) != 1 || p.Phases[0].Created != 3 || p.Phases[0].Merged != 1 {
		t.Errorf("phases %+v, want the company reconciliation", p.Phases)
	}
	if !strings.Contains(p.Budget, "2026-01-02T00:00:00Z") || p.ETA != "7s for person" {
		t.Errorf("budget %q, ETA %q", p.Budget, p.ETA)
	}
	if diff := cmp.Diff([]objectOutcome{{"person", 8, 5, 2, 1}}, p.Outcomes); diff != "" || p.Complete {
		t.Errorf("outcomes (complete %v) (-want +got):\n%s", p.Complete, diff)
	}
	if diff := cmp.Diff([]string{lines[0], lines[7]}, p.Log); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

// TestRunPauseResume: start runs ferry run --json, whose events reach the page; pause stops
// it (its context ends, as Ctrl-C does) and offers resume, which runs ferry run again.
func TestRunPauseResume(t *testing.T) {
	s, be := testServer(t)
	be.block = true
	post := func(action string) string {
		t.Helper()
		w := do(t, s, "POST", "/run", true, url.Values{"csrf": {s.csrf}, "action": {action}}, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("POST /run %s: status %d", action, w.Code)
		}
		return w.Body.String()
	}
	waitFor := func(what string, ok func(p runProgress) bool) runProgress {
		t.Helper()
		for {
			p, changed := s.run.snapshot()
			if ok(p) {
				return p
			}
			select {
			case <-changed:
			case <-time.After(10 * time.Second):
				t.Fatalf("the run never got to: %s (%+v)", what, p)
			}
		}
	}
	if body := post("start"); !strings.Contains(body, `id="pause"`) {
		t.Fatalf("after start the page offers no pause:\n%s", body)
	}
	waitFor("the progress event", func(p runProgress) bool { return len(p.Kinds) == 1 && p.Kinds[0].Processed == 3 })
	if body := post("start"); !strings.Contains(body, "a run is already going") {
		t.Errorf("a second start while running was not refused:\n%s", body)
	}
	post("pause")
	p := waitFor("stopped", func(p runProgress) bool { return p.Done })
	if !p.Paused || p.Outcome == nil || p.Outcome.Code != 130 {
		t.Errorf("after pause: paused %v, outcome %+v; want paused with exit 130", p.Paused, p.Outcome)
	}
	if body := do(t, s, "GET", "/run", true, nil, nil).Body.String(); !strings.Contains(body, `id="resume"`) {
		t.Errorf("a paused run offers no resume:\n%s", body)
	}
	post("resume")
	waitFor("running again", func(p runProgress) bool { return p.Running && len(p.Kinds) == 1 })
	post("pause")
	waitFor("stopped again", func(p runProgress) bool { return p.Done })
	runs := 0
	for _, c := range be.commands() {
		if c[0] == "run" {
			runs++
			if diff := cmp.Diff([]string{"run", "--json"}, c); diff != "" {
				t.Errorf("run command (-want +got):\n%s", diff)
			}
		}
	}
	if runs != 2 {
		t.Errorf("ferry run ran %d time(s), want 2 (start, resume)", runs)
	}
	post("resume")
	waitFor("running a third time", func(p runProgress) bool { return p.Running && len(p.Kinds) == 1 })
	s.Close() // the server stops: the run with it
	if p, _ := s.run.snapshot(); p.Running || p.Outcome == nil || p.Outcome.Code != 130 {
		t.Errorf("after Close: running %v, outcome %+v; want stopped with exit 130", p.Running, p.Outcome)
	}
}

// TestRunEventsStream: the event stream sends the progress section as HTML and ends with an
// end event once no run is going.
func TestRunEventsStream(t *testing.T) {
	s, _ := testServer(t)
	w := do(t, s, "GET", "/run/events", true, nil, nil)
	body := w.Body.String()
	if ct := w.Header().Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(body, "event: progress\ndata: ") || !strings.HasSuffix(body, "event: end\ndata: end\n\n") {
		t.Errorf("stream:\n%s", body)
	}
	if strings.Count(strings.SplitN(body, "\n\n", 2)[0], "\n") != 1 {
		t.Error("the progress event's HTML spans several data lines")
	}
}

// FuzzRunProgressApply: no line of output, however broken, panics the Run page's reader, and
// every line is either an event or kept in the log.
func FuzzRunProgressApply(f *testing.F) {
	f.Add([]byte(`{"event":"phase","reconciliation":{"kind":"person","source":3}}`))
	f.Add([]byte(`{"event":"progress","kind":"deal","processed":-1,"total":0,"eta_seconds":1e300}`))
	f.Add([]byte(`{"event":"outcomes","objects":null}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var p runProgress
		p.apply(line)
		if len(line) > 0 && len(p.Log) == 0 && !json.Valid(line) {
			t.Errorf("a line that is no event was dropped, not logged: %q", line)
		}
		sum := 0
		for _, k := range p.Kinds {
			sum += k.Processed
		}
		if sum != p.Processed {
			t.Errorf("processed %d, the phases add up to %d", p.Processed, sum)
		}
	})
}
