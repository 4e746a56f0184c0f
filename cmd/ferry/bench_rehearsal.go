package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"ferry/internal/gen"
	pdsandbox "ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/lock"
	"ferry/internal/workspace"
)

// rehearsalBench is what `ferry bench rehearsal` measured.
type rehearsalBench struct {
	People          int         `json:"people"`
	Load            string      `json:"load_average"`
	Run             benchFigure `json:"run"`
	RunRequests     int         `json:"run_requests"`
	SandboxRequests int         `json:"sandbox_requests"`
	Sandbox         benchFigure `json:"sandbox"`
	SandboxConns    int         `json:"sandbox_connections"`
}

// benchBurst is the client's pacing for the bench: far above what one process can send, so
// the figure is not a rate limit's.
const benchBurst = 1 << 24

// runBenchRehearsal prepares a confirmed plan against an in-process sandbox and measures the run.
func runBenchRehearsal(ctx context.Context, g *globalOptions, opts BenchOptions) error {
	dir, cleanup, err := benchDir(opts)
	if err != nil {
		return err
	}
	defer cleanup()
	quiet := &globalOptions{stdout: discard{}, stderr: discard{}, log: g.log, JSON: true}
	d := &demo{g: quiet, opts: DemoOptions{People: opts.People, Seed: opts.Seed}, dialect: gen.DialectFerry,
		harvestDir: filepath.Join(dir, "harvest"), wsDir: filepath.Join(dir, "workspace")}
	defer d.close()
	srvURL, token, err := d.benchPrepare(ctx, opts)
	if err != nil {
		return err
	}
	b := &rehearsalBench{People: opts.People}
	before := d.pd.Stats().Requests
	b.Run, err = measure("ferry run", func() error {
		if _, err := lock.Check(ctx, d.st, lockFiles(d.ws)); err != nil {
			return err
		}
		_, err := migrateWorkspace(ctx, quiet, d.ws, d.st, d.env, RunOptions{Workers: opts.Workers})
		return err
	})
	if err != nil {
		return fmt.Errorf("bench: ferry run: %w", err)
	}
	b.RunRequests = d.pd.Stats().Requests - before
	b.SandboxConns = 4 * runtime.GOMAXPROCS(0)
	b.Sandbox, err = measure("sandbox alone", func() error {
		b.SandboxRequests, err = loadSandbox(ctx, srvURL, token, b.SandboxConns, time.Duration(opts.SandboxSeconds*float64(time.Second)))
		return err
	})
	if err != nil {
		return fmt.Errorf("bench: sandbox alone: %w", err)
	}
	b.Load = loadAverage()
	return printRehearsalBench(g, b)
}

// benchPrepare generates the harvest, starts the Pipedrive sandbox with its limits off and
// walks the journey to a confirmed plan, as the demo does. It returns the sandbox's URL and token.
func (d *demo) benchPrepare(ctx context.Context, opts BenchOptions) (string, string, error) {
	if err := d.generate(ctx); err != nil {
		return "", "", err
	}
	var users []pdsandbox.User
	for _, u := range d.data.PipedriveUsers() {
		users = append(users, pdsandbox.User{Name: u.Name, Email: u.Email})
	}
	token := "bench-token"
	d.pd = pdsandbox.New(pdsandbox.Options{Token: token, Plan: "growth", Users: users, Seed: opts.Seed, CompanyDomain: "bench"})
	d.adminEmail = "admin@bench.example"
	if us := d.pd.Snapshot().Users; len(us) > 0 {
		if email, ok := us[0]["email"].(string); ok {
			d.adminEmail = email
		}
	}
	srv := httptest.NewServer(d.pd)
	d.closers = append(d.closers, srv.Close)
	d.env = workspace.Env{PipedriveBaseURL: srv.URL, PipedriveToken: token, PipedriveBurst: benchBurst}
	steps := []func(context.Context) error{d.init, d.benchSeats, d.extract, d.plan, d.decide, d.lintAndConfirm}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return "", "", fmt.Errorf("bench: prepare the rehearsal: %w", err)
		}
	}
	return srv.URL, token, nil
}

// benchSeats gives the company enough seats that the daily budget never pauses the run
// (about 60 tokens per generated person, 60,000 tokens per growth seat).
func (d *demo) benchSeats(context.Context) error {
	return setSeats(d.ws, max(demoSeats, d.opts.People/500+1))
}

// loadSandbox sends simple authenticated GETs (the token's user) from conns connections for
// d and returns how many were answered with 200.
func loadSandbox(ctx context.Context, base, token string, conns int, d time.Duration) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	defer client.CloseIdleConnections()
	var ok atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/users/me", nil)
				req.Header.Set("x-api-token", token)
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						once.Do(func() { firstErr = err })
					}
					return
				}
				drain(resp)
				if resp.StatusCode == http.StatusOK {
					ok.Add(1)
				} else {
					once.Do(func() { firstErr = fmt.Errorf("GET /api/v1/users/me: status %d", resp.StatusCode) })
					return
				}
			}
		})
	}
	wg.Wait()
	return int(ok.Load()), firstErr
}

// drain reads and closes a response body so that its connection is reused.
func drain(resp *http.Response) {
	buf := make([]byte, 4096)
	for {
		if _, err := resp.Body.Read(buf); err != nil {
			break
		}
	}
	resp.Body.Close()
}

// printRehearsalBench prints the rehearsal figures and targets, or JSON with --json.
func printRehearsalBench(g *globalOptions, b *rehearsalBench) error {
	runRate := float64(b.RunRequests) / max(b.Run.Wall.Seconds(), 1e-9)
	sbRate := float64(b.SandboxRequests) / max(b.Sandbox.Wall.Seconds(), 1e-9)
	ts := []benchTarget{
		{What: "ferry run end to end", Value: runRate, Unit: "requests/s", Limit: 5000, Target: ">= 5,000 requests/s (at 100k people)"},
		{What: "sandbox alone, simple requests", Value: sbRate, Unit: "requests/s", Limit: 20000, Target: ">= 20,000 requests/s"},
	}
	for i := range ts {
		ts[i].Met = ts[i].Value >= ts[i].Limit
	}
	if g.JSON {
		return json.NewEncoder(g.stdout).Encode(map[string]any{"bench": b, "targets": ts})
	}
	g.printf("ferry bench rehearsal: %d people against the in-process Pipedrive sandbox, limits off\n", b.People)
	g.printf("machine: %d cores, load average %s\n", runtime.NumCPU(), b.Load)
	g.printf("ferry run: %d requests in %s (cpu %s, %s a request; peak RSS %s, written %s): %.0f requests/s\n",
		b.RunRequests, roundDur(b.Run.Wall), roundDur(b.Run.CPU), perRequest(b.Run.CPU, b.RunRequests),
		humanBytes(b.Run.PeakRSS), humanBytes(b.Run.Written), runRate)
	g.printf("sandbox alone: %d GET /api/v1/users/me on %d connections in %s (cpu %s, %s a request, client included): %.0f requests/s\n",
		b.SandboxRequests, b.SandboxConns, roundDur(b.Sandbox.Wall), roundDur(b.Sandbox.CPU),
		perRequest(b.Sandbox.CPU, b.SandboxRequests), sbRate)
	g.printf("(on a busy machine the CPU time a request takes is the figure to compare: %d cores at that cost would serve %.0f requests/s)\n",
		runtime.NumCPU(), float64(runtime.NumCPU())/max(b.Sandbox.CPU.Seconds()/float64(max(b.SandboxRequests, 1)), 1e-9))
	printTargets(g, ts)
	return nil
}

// perRequest is the CPU time one request took on average.
func perRequest(cpu time.Duration, requests int) string {
	if requests == 0 {
		return "-"
	}
	return (cpu / time.Duration(requests)).Round(time.Microsecond).String()
}
