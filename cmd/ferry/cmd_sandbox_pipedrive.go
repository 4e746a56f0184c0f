package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/workspace"
)

// SandboxPipedriveOptions are the flags of `ferry sandbox pipedrive`.
type SandboxPipedriveOptions struct {
	Addr       string
	Token      string
	Plan       string
	Seats      int
	Faults     string
	Data       string
	Users      string
	Limits     string
	Budget     int
	Burst      int
	BlockAfter int
	Seed       int64
	SaveEvery  time.Duration
	SearchLag  time.Duration // -1: the default (5 s with --faults, else 0)
	OAuth      bool
	OAuthTTL   time.Duration
	OAuthDeny  bool
}

// defaultFaultSearchLag is the search lag of a sandbox with faults when --search-lag is not
// given: real Pipedrive indexes search with an undocumented delay.
const defaultFaultSearchLag = 5 * time.Second

// newSandboxPipedriveCommand builds `ferry sandbox pipedrive`.
func newSandboxPipedriveCommand(g *globalOptions) *cobra.Command {
	opts := SandboxPipedriveOptions{Addr: "127.0.0.1:0", Plan: "growth", Seats: 1, Limits: "on", SaveEvery: 30 * time.Second, SearchLag: -1}
	cmd := &cobra.Command{
		Use:   "pipedrive",
		Short: "Run a local, faithful Pipedrive API (v1 + v2) in memory",
		Long: `Run an in-memory stand-in for Pipedrive's REST API as ferry uses it: persons, organizations,
deals, activities, pipelines, stages, fields and search under /api/v2; users, notes, files,
activity types and lead labels under /api/v1 (and /v1, the official clients' default base). It validates like v2 does (types, RFC 3339
times, nested custom_fields), charges each call the token cost from Pipedrive's OpenAPI
documents, and enforces the daily budget (30,000 x plan multiplier x seats) and the 2-second
burst window (search: 10 per 2 s) when --limits=on.

The first two lines of output are always
  PIPEDRIVE_BASE_URL=http://HOST:PORT
  PIPEDRIVE_API_TOKEN=TOKEN
so scripts can eval them. Traffic counters: GET /_sandbox/stats. Stop with Ctrl-C; with
--data the state is saved on exit (and every --save-every) and loaded again at start.

Faults (--faults) are comma-separated key=value pairs, drawn per request from a seeded
generator: 5xx=RATE (500, write not applied), 429=RATE, reset=RATE (connection closed, not
applied), lost=RATE (write applied, then the connection is closed without a response),
latency=DURATION (added to every request), seed=N.

--search-lag DURATION makes search (itemSearch, itemSearch/field, /persons/search, …) find a
created record only that long after its creation, as Pipedrive's search index lags behind
writes; lists and gets see it at once. It is 5s by default with --faults, else 0.

--users FILE is a YAML or JSON list of {name, email}; without it --seats-1 placeholder users
are created. User 1, an admin, owns the token.

--oauth also serves Pipedrive's OAuth 2.0 endpoints (/oauth/authorize in a test mode that
approves at once, /oauth/token, /oauth/revoke) and prints three more lines after the first two:
  PIPEDRIVE_OAUTH_URL=http://HOST:PORT
  PIPEDRIVE_CLIENT_ID=...
  PIPEDRIVE_CLIENT_SECRET=...
so that "ferry login pipedrive" works against it. Access tokens expire after --oauth-ttl; OAuth
requests get the plan's OAuth burst limit (4x the API token's).`,
		Example: `  ferry sandbox pipedrive --addr 127.0.0.1:8090 --token dev
  ferry sandbox pipedrive --plan growth --seats 5 > pipedrive.env &
  sleep 1; export $(head -2 pipedrive.env)
  ferry sandbox pipedrive --faults "5xx=0.05,429=0.02,lost=0.01,latency=20ms" --data pd.json
  ferry sandbox pipedrive --limits=off --users users.yaml
  ferry sandbox pipedrive --oauth --oauth-ttl 30s > pipedrive.env &
  sleep 1; export $(head -5 pipedrive.env); ferry login pipedrive`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandboxPipedrive(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", opts.Addr, "listen address (port 0 picks a free port)")
	f.StringVar(&opts.Token, "token", "", "API token to accept (default: a random token, printed)")
	f.StringVar(&opts.Plan, "plan", opts.Plan, "Pipedrive plan: lite, growth, premium or ultimate (budget multiplier, burst limit)")
	f.IntVar(&opts.Seats, "seats", opts.Seats, "number of seats (daily budget and placeholder users)")
	f.StringVar(&opts.Faults, "faults", "", `fault injection, e.g. "5xx=0.05,429=0.02,lost=0.01,reset=0.01,latency=20ms,seed=7"`)
	f.StringVar(&opts.Data, "data", "", "JSON state file: loaded at start if present, saved on exit and periodically")
	f.StringVar(&opts.Users, "users", "", "YAML/JSON file listing company users as {name, email}")
	f.StringVar(&opts.Limits, "limits", opts.Limits, "token budget and rate limits: on or off")
	f.IntVar(&opts.Budget, "budget", 0, "daily token budget (default: 30,000 x plan multiplier x seats)")
	f.IntVar(&opts.Burst, "burst", 0, "requests per 2 s per token (default: the plan's limit; -1 turns it off)")
	f.IntVar(&opts.BlockAfter, "block-after", 0, "answer a Cloudflare-style HTML 403 after this many ignored 429s (0: never)")
	f.Int64Var(&opts.Seed, "seed", 0, "seed for field codes and ids of lead labels (0: random)")
	f.DurationVar(&opts.SaveEvery, "save-every", opts.SaveEvery, "how often to save --data while running")
	f.DurationVar(&opts.SearchLag, "search-lag", opts.SearchLag, "delay before search finds a created record (default: 5s with --faults, else 0)")
	f.BoolVar(&opts.OAuth, "oauth", false, "serve the OAuth 2.0 endpoints and print an app's client id and secret")
	f.DurationVar(&opts.OAuthTTL, "oauth-ttl", 3599*time.Second, "lifetime of OAuth access tokens")
	f.BoolVar(&opts.OAuthDeny, "oauth-deny", false, "answer every authorization as if the user clicked Cancel")
	return cmd
}

// sandboxOptions turns the flags into sandbox.Options.
func (o SandboxPipedriveOptions) sandboxOptions() (sandbox.Options, error) {
	if _, ok := workspace.Plans[strings.ToLower(o.Plan)]; !ok {
		return sandbox.Options{}, usageErrorf("--plan %q: allowed values are lite, growth, premium, ultimate", o.Plan)
	}
	if o.Limits != "on" && o.Limits != "off" {
		return sandbox.Options{}, usageErrorf("--limits %q: allowed values are on, off", o.Limits)
	}
	if o.Seats < 1 {
		return sandbox.Options{}, usageErrorf("--seats must be at least 1")
	}
	faults, err := sandbox.ParseFaults(o.Faults)
	if err != nil {
		return sandbox.Options{}, usageErrorf("--faults: %v", err)
	}
	users, err := readSandboxUsers(o.Users)
	if err != nil {
		return sandbox.Options{}, err
	}
	lag := o.SearchLag
	switch {
	case lag < -1:
		return sandbox.Options{}, usageErrorf("--search-lag %s: want a duration of 0 or more", lag)
	case lag == -1 && o.Faults != "":
		lag = defaultFaultSearchLag
	case lag == -1:
		lag = 0
	}
	token := o.Token
	if token == "" {
		token = randomHex(20)
	}
	so := sandbox.Options{Token: token, Plan: strings.ToLower(o.Plan), Seats: o.Seats, Users: users,
		Limits: o.Limits == "on", DailyBudget: o.Budget, Burst: o.Burst, BlockAfter429s: o.BlockAfter,
		Seed: o.Seed, Faults: faults, SearchLag: lag}
	if o.OAuth {
		if o.OAuthTTL <= 0 {
			return sandbox.Options{}, usageErrorf("--oauth-ttl must be positive")
		}
		so.OAuth = &sandbox.OAuthOptions{ClientID: "sandbox-app-" + randomHex(6), ClientSecret: randomHex(20),
			AccessTTL: o.OAuthTTL, Deny: o.OAuthDeny}
	}
	return so, nil
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// readSandboxUsers reads the --users file (YAML or JSON list of {name, email}).
func readSandboxUsers(path string) ([]sandbox.User, error) {
	if path == "" {
		return nil, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("--users: %v", err)
	}
	var users []sandbox.User
	if err := yaml.Unmarshal(raw, &users); err != nil {
		return nil, usageErrorf("--users %s: %v", path, err)
	}
	for i, u := range users {
		if u.Name == "" || !strings.Contains(u.Email, "@") {
			return nil, usageErrorf("--users %s: entry %d needs a name and an email", path, i+1)
		}
	}
	return users, nil
}

// runSandboxPipedrive serves the sandbox until ctx is cancelled, then saves --data.
func runSandboxPipedrive(ctx context.Context, g *globalOptions, o SandboxPipedriveOptions) error {
	sopts, err := o.sandboxOptions()
	if err != nil {
		return err
	}
	srv := sandbox.New(sopts)
	if o.Data != "" {
		if err := srv.LoadFile(o.Data); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	g.printf("PIPEDRIVE_BASE_URL=http://%s\n", ln.Addr())
	g.printf("PIPEDRIVE_API_TOKEN=%s\n", sopts.Token)
	if sopts.OAuth != nil {
		g.printf("PIPEDRIVE_OAUTH_URL=http://%s\n", ln.Addr())
		g.printf("PIPEDRIVE_CLIENT_ID=%s\n", sopts.OAuth.ClientID)
		g.printf("PIPEDRIVE_CLIENT_SECRET=%s\n", sopts.OAuth.ClientSecret)
	}
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"plan": sopts.Plan, "seats": sopts.Seats,
			"limits": o.Limits, "stats_url": fmt.Sprintf("http://%s/_sandbox/stats", ln.Addr())})
	} else {
		g.printf("Pipedrive sandbox: plan %s, %d seat(s), limits %s; stats at http://%s/_sandbox/stats. Ctrl-C stops it.\n",
			sopts.Plan, sopts.Seats, o.Limits, ln.Addr())
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	err = waitSandbox(ctx, g, srv, o, errc)
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(shutCtx)
	if o.Data != "" {
		if serr := srv.SaveFile(o.Data); serr != nil {
			return errors.Join(err, serr)
		}
		g.log.Info("sandbox state saved", "file", o.Data)
	}
	return err
}

// waitSandbox blocks until ctx ends or the server fails, saving --data periodically.
func waitSandbox(ctx context.Context, g *globalOptions, srv *sandbox.Server, o SandboxPipedriveOptions, errc <-chan error) error {
	var tick <-chan time.Time
	if o.Data != "" && o.SaveEvery > 0 {
		t := time.NewTicker(o.SaveEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			return fmt.Errorf("sandbox server: %w", err)
		case <-tick:
			if err := srv.SaveFile(o.Data); err != nil {
				g.log.Warn("periodic save failed", "err", err)
			}
		}
	}
}
