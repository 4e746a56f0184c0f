package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ferry/internal/gen"
	"ferry/internal/plan/lock"
	"ferry/internal/workspace"
)

// localBench is what `ferry bench local` measured.
type localBench struct {
	People      int           `json:"people"`
	Rows        int           `json:"csv_rows"`
	CSVBytes    int64         `json:"csv_bytes"`
	Generated   time.Duration `json:"generated_ns"`
	Snapshot    int64         `json:"snapshot_bytes"`
	Records     int           `json:"snapshot_records"`
	Load        string        `json:"load_average"`
	Floor       benchFigure   `json:"floor"`
	Extract     benchFigure   `json:"extract"`
	Plan        benchFigure   `json:"plan"`
	Reextract   benchFigure   `json:"reextract"`
	LockCheck   benchFigure   `json:"lock_check"`
	stageOrder  []*benchFigure
	harvestDir  string
	workspaceWS string
}

// runBenchLocal generates the harvest, measures every stage and prints the table.
func runBenchLocal(ctx context.Context, g *globalOptions, opts BenchOptions) error {
	dir, cleanup, err := benchDir(opts)
	if err != nil {
		return err
	}
	defer cleanup()
	b, err := benchLocal(ctx, dir, opts)
	if err != nil {
		return err
	}
	return printLocalBench(g, b)
}

// benchLocal generates a harvest of opts.People persons in dir and measures each stage.
func benchLocal(ctx context.Context, dir string, opts BenchOptions) (*localBench, error) {
	b := &localBench{People: opts.People, harvestDir: filepath.Join(dir, "harvest"), workspaceWS: filepath.Join(dir, "workspace")}
	start := time.Now()
	if opts.Harvest != "" {
		b.harvestDir, b.People = opts.Harvest, 0
	} else if _, err := gen.New(gen.Config{People: opts.People, Seed: opts.Seed}).WriteHarvest(b.harvestDir); err != nil {
		return nil, fmt.Errorf("bench: generate harvest: %w", err)
	}
	b.Generated = time.Since(start)
	if _, err := workspace.Init(b.workspaceWS, b.harvestDir); err != nil {
		return nil, err
	}
	ws := b.workspaceWS
	stages := []struct {
		fig *benchFigure
		run func() error
	}{
		{&b.Floor, func() (err error) { b.Rows, b.CSVBytes, err = readCSVFloor(b.harvestDir); return err }},
		{&b.Extract, func() error { return benchExtract(ctx, ws) }},
		{&b.Plan, func() error { return runIn(ctx, "plan", "-w", ws, "--offline") }},
		{&b.Reextract, func() error { return benchExtract(ctx, ws) }},
		{&b.LockCheck, func() error { return benchLockCheck(ctx, ws) }},
	}
	names := []string{"encoding/csv floor", "extract --no-api", "plan --offline", "re-extract (unchanged)", "lock check"}
	for i, s := range stages {
		if i == len(stages)-1 {
			if err := saveBenchLock(ctx, ws); err != nil {
				return nil, err
			}
		}
		f, err := measure(names[i], s.run)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", names[i], err)
		}
		*s.fig = f
		b.stageOrder = append(b.stageOrder, s.fig)
	}
	var err error
	b.Snapshot, b.Records, err = snapshotSize(ctx, ws)
	b.Load = loadAverage()
	return b, err
}

// readCSVFloor reads every CSV file of dir with encoding/csv and counts rows and bytes: the
// least any extraction of the same bytes has to do.
func readCSVFloor(dir string) (int, int64, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(paths) == 0 {
		return 0, 0, fmt.Errorf("floor: no CSV files in %s (%v)", dir, err)
	}
	rows, size := 0, int64(0)
	for _, p := range paths {
		n, s, err := floorCSVFile(p)
		if err != nil {
			return 0, 0, err
		}
		rows, size = rows+n, size+s
	}
	return rows, size, nil
}

func floorCSVFile(path string) (int, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, fmt.Errorf("floor: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord, r.FieldsPerRecord, r.LazyQuotes = true, -1, true
	n := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return 0, 0, fmt.Errorf("floor: %s: %w", path, err)
		}
		n++
	}
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	return n, st.Size(), nil
}

// saveBenchLock records the plan lock of the workspace as confirm would, without resolving
// its decisions: the bench measures the check, not the confirmation.
func saveBenchLock(ctx context.Context, dir string) error {
	g := &globalOptions{Workspace: dir}
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	l, err := lock.Compute(ctx, st, lockFiles(ws))
	if err != nil {
		return fmt.Errorf("bench: compute the plan lock: %w", err)
	}
	return lock.Save(ctx, st, l)
}

// benchLockCheck opens the workspace and checks the plan lock, as confirm and run do.
func benchLockCheck(ctx context.Context, dir string) error {
	g := &globalOptions{Workspace: dir}
	ws, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = lock.Check(ctx, st, lockFiles(ws))
	return err
}

// snapshotSize is the size of the workspace's state files and the records they hold.
func snapshotSize(ctx context.Context, dir string) (int64, int, error) {
	var size int64
	paths, _ := filepath.Glob(filepath.Join(dir, workspace.StateDir, "state.db*"))
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			size += st.Size()
		}
	}
	g := &globalOptions{Workspace: dir}
	_, st, err := g.openWorkspace()
	if err != nil {
		return size, 0, err
	}
	defer st.Close()
	n, err := st.CountRecords(ctx, "")
	return size, n, err
}

// loadAverage is the machine's load average (1, 5, 15 minutes) and core count, or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// benchExtract runs ferry extract --no-api for the bench. Its incomplete outcome (exit 6:
// rows quarantined, as the generated harvest's planted broken rows are) is not a failure of
// the measurement: the snapshot was written.
func benchExtract(ctx context.Context, ws string) error {
	if err := runIn(ctx, "extract", "-w", ws, "--no-api"); err != nil && !errors.Is(err, errIncomplete) {
		return err
	}
	return nil
}
