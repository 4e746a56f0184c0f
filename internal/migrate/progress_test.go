package migrate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/source"
)

// feed sends 10 record events of persons one second apart (on a fake clock), a pause and
// resume, and the phase's reconciliation.
func feed(p *ProgressPrinter, now *time.Time) {
	for i := 1; i <= 10; i++ {
		*now = now.Add(time.Second)
		p.Event(Event{Kind: source.Person, Processed: i})
	}
	reset := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	p.Event(Event{Pause: &Pause{Until: reset, At: *now}})
	p.Event(Event{Pause: &Pause{Until: reset, At: reset, Resumed: true}})
	p.Event(Event{Kind: source.Person, Processed: 10, Phase: &Reconciliation{Kind: source.Person, Entity: "person", Source: 10, Created: 10}})
}

func TestProgressPlain(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	p := &ProgressPrinter{W: &buf, Mode: ProgressPlain, Every: 3 * time.Second, Now: func() time.Time { return now },
		Totals: map[source.Kind]int{source.Person: 20}}
	p.Event(Event{Kind: source.Person, Processed: 0}) // starts the phase's clock
	feed(p, &now)
	want := []string{
		"person: 3/20 records (1/s, ETA 17s)",
		"person: 6/20 records (1/s, ETA 14s)",
		"person: 9/20 records (1/s, ETA 11s)",
		"daily token budget exhausted at 2026-06-01T12:00:10Z: pausing until 2026-06-02T00:00:00Z (Ctrl-C stops; the same command resumes)",
		"budget reset: resumed at 2026-06-02T00:00:00Z",
		"person: source 10 = created 10 + merged 0 + skipped 0 + quarantined 0 + failed 0 + held 0",
	}
	if d := cmp.Diff(want, strings.Split(strings.TrimSpace(buf.String()), "\n")); d != "" {
		t.Errorf("plain progress (-want +got):\n%s", d)
	}
}

func TestProgressJSON(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	p := &ProgressPrinter{W: &buf, Mode: ProgressJSON, Every: 5 * time.Second, Now: func() time.Time { return now },
		Totals: map[source.Kind]int{source.Person: 10}}
	p.Event(Event{Kind: source.Person, Processed: 0})
	feed(p, &now)
	var events []string
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %q is not JSON: %v", line, err)
		}
		events = append(events, ev["event"].(string))
		if ev["event"] == "progress" && ev["total"] != float64(10) {
			t.Errorf("progress event without the total: %s", line)
		}
	}
	want := []string{"progress", "progress", "paused", "resumed", "phase"}
	if d := cmp.Diff(want, events); d != "" {
		t.Errorf("JSON events (-want +got):\n%s", d)
	}
}

func TestBar(t *testing.T) {
	for _, tt := range []struct {
		n, total int
		want     string
	}{{0, 10, "[....]"}, {5, 10, "[##..]"}, {10, 10, "[####]"}, {12, 10, "[####]"}, {3, 0, "[####]"}} {
		if got := bar(tt.n, tt.total, 4); got != tt.want {
			t.Errorf("bar(%d, %d) = %q, want %q", tt.n, tt.total, got, tt.want)
		}
	}
}

func TestProgressBars(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	p := &ProgressPrinter{W: &buf, Mode: ProgressBars, Now: func() time.Time { return now },
		Totals: map[source.Kind]int{source.Person: 20}}
	p.Event(Event{Kind: source.Person, Processed: 0})
	feed(p, &now)
	out := buf.String()
	for _, want := range []string{"\rperson                   [#########...........] 9/20 1/s ETA 11s ",
		"resumed at 2026-06-02T00:00:00Z\n", "resumes)\nbudget reset", "\rperson: source 10 = created 10"} {
		if !strings.Contains(out, want) {
			t.Errorf("bars output lacks %q:\n%q", want, out)
		}
	}
	if n := strings.Count(out, "\r"); n < 10 {
		t.Errorf("%d carriage returns: want the bar redrawn in place each second", n)
	}
}
