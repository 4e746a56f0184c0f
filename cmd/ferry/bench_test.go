package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	pdsandbox "ferry/internal/pipedrive/sandbox"
)

func TestBenchLocalMeasuresEveryStage(t *testing.T) {
	out, stderr, code := runFerry(t, "bench", "local", "--people", "30", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Bench struct {
			Rows      int         `json:"csv_rows"`
			Records   int         `json:"snapshot_records"`
			Snapshot  int64       `json:"snapshot_bytes"`
			Floor     benchFigure `json:"floor"`
			Extract   benchFigure `json:"extract"`
			Plan      benchFigure `json:"plan"`
			Reextract benchFigure `json:"reextract"`
			LockCheck benchFigure `json:"lock_check"`
		} `json:"bench"`
		Targets []benchTarget `json:"targets"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, out)
	}
	b := got.Bench
	if b.Rows == 0 || b.Records == 0 || b.Snapshot == 0 {
		t.Errorf("rows %d, records %d, snapshot %d bytes: want all measured", b.Rows, b.Records, b.Snapshot)
	}
	for _, f := range []benchFigure{b.Floor, b.Extract, b.Plan, b.Reextract, b.LockCheck} {
		if f.Wall <= 0 {
			t.Errorf("stage %q has no wall time", f.Stage)
		}
	}
	var names []string
	for _, tg := range got.Targets {
		names = append(names, tg.What)
	}
	want := []string{"extract + plan / floor", "re-extract / floor", "lock check", "peak RSS", "bytes written by extract / snapshot"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
}

func TestBenchRefusesTooFewPeople(t *testing.T) {
	for _, sub := range []string{"local", "rehearsal"} {
		_, stderr, code := runFerry(t, "bench", sub, "--people", "3")
		if code != exitUsage || !strings.Contains(stderr, "at least 10") {
			t.Errorf("bench %s --people 3: exit %d, stderr %q; want usage error", sub, code, stderr)
		}
	}
}

func TestProcField(t *testing.T) {
	status := []byte("Name:\tferry\nVmPeak:\t  2000 kB\nVmHWM:\t  1234 kB\nwchar: 77\nbad: x\n")
	tests := []struct {
		name string
		unit int64
		want int64
	}{
		{"VmHWM:", 1024, 1234 * 1024},
		{"wchar:", 1, 77},
		{"bad:", 1, -1},
		{"missing:", 1, -1},
	}
	for _, tt := range tests {
		if got := procField(status, tt.name, tt.unit); got != tt.want {
			t.Errorf("procField(%q) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestLoadSandboxCountsOnlyAnsweredRequests(t *testing.T) {
	srv := httptest.NewServer(pdsandbox.New(pdsandbox.Options{Token: "right"}))
	defer srv.Close()
	n, err := loadSandbox(context.Background(), srv.URL, "right", 2, 100*time.Millisecond)
	if err != nil || n == 0 {
		t.Errorf("right token: %d requests answered, err %v; want some, nil", n, err)
	}
	n, err = loadSandbox(context.Background(), srv.URL, "wrong", 2, 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "status 401") || n != 0 {
		t.Errorf("wrong token: %d requests answered, err %v; want 0 and status 401", n, err)
	}
}

// BenchmarkLocal runs `ferry bench local` at a small size and reports each ratio to the
// encoding/csv floor measured in the same iteration (FERRY_BENCH_PEOPLE overrides the size).
func BenchmarkLocal(b *testing.B) {
	people := benchPeople(b, 300)
	for b.Loop() {
		lb, err := benchLocal(context.Background(), b.TempDir(), BenchOptions{People: people, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range lb.targets() {
			b.ReportMetric(t.Value, metricName(t))
		}
	}
}

// BenchmarkRehearsalRun runs `ferry bench rehearsal` at a small size (FERRY_BENCH_PEOPLE
// overrides it) and reports ferry run's requests/s and the sandbox's alone.
func BenchmarkRehearsalRun(b *testing.B) {
	people := benchPeople(b, 100)
	for b.Loop() {
		var out strings.Builder
		g := &globalOptions{stdout: &out, stderr: discard{}, JSON: true}
		if err := runBenchRehearsal(context.Background(), g, BenchOptions{People: people, Seed: 1, SandboxSeconds: 0.5}); err != nil {
			b.Fatal(err)
		}
		var got struct{ Targets []benchTarget }
		if err := json.Unmarshal([]byte(out.String()), &got); err != nil {
			b.Fatal(err)
		}
		for _, t := range got.Targets {
			b.ReportMetric(t.Value, metricName(t))
		}
	}
}

// benchPeople is FERRY_BENCH_PEOPLE, or def.
func benchPeople(b *testing.B, def int) int {
	if v, err := strconv.Atoi(os.Getenv("FERRY_BENCH_PEOPLE")); err == nil && v >= 10 {
		return v
	}
	return def
}

// metricName makes a benchmark unit of a target: "extract+plan/floor_x".
func metricName(t benchTarget) string {
	return strings.NewReplacer(" / ", "/", " + ", "+", " ", "_", ",", "").Replace(t.What) + "_" + t.Unit
}
