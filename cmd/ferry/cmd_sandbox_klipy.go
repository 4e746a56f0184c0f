package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/gen"
	"ferry/internal/klipy"
	"ferry/internal/klipy/sandbox"
	"ferry/internal/source"
)

// SandboxKlipyOptions are the flags of `ferry sandbox klipy`.
type SandboxKlipyOptions struct {
	Addr          string
	People        int
	Seed          int64
	API           string
	Key           string
	Scopes        []string
	Limits        string
	WebhookURL    string
	WebhookSecret string
	PagingStyle   string
	FieldCase     string
	TimeFormat    string
	Faults        string
	CursorTTL     time.Duration
	MaxLimit      int
	ResetUnit     string
	AuthNeedsAll  bool
	// Webhook delivery: retry-schedule compression, the rotated-out secret, held-back events.
	WebhookCompress  float64
	WebhookOldSecret string
	WebhookLate      int
}

// sandboxOptions are the sandbox.Options the flags ask for (without source and keys).
func (o SandboxKlipyOptions) sandboxOptions() sandbox.Options {
	return sandbox.Options{API: o.API, PagingStyle: o.PagingStyle, FieldCase: o.FieldCase, TimeFormat: o.TimeFormat,
		CursorTTL: o.CursorTTL, MaxLimit: o.MaxLimit, ResetUnit: o.ResetUnit, AuthNeedsAll: o.AuthNeedsAll}
}

// newSandboxKlipyCommand builds `ferry sandbox klipy`.
func newSandboxKlipyCommand(g *globalOptions) *cobra.Command {
	opts := SandboxKlipyOptions{Addr: "127.0.0.1:0", People: 1000, Seed: 1, API: "new", Limits: "on",
		Scopes: []string{sandbox.ScopeAll}}
	cmd := &cobra.Command{
		Use:   "klipy",
		Short: "Run a local Klipy CRM API (beta, either generation) over a generated workspace",
		Long: `Run a stand-in for Klipy CRM's beta REST API serving a generated workspace (the same data
ferry demo and the tests use): its people, companies and interactions. Deals, notes, to-dos,
tags and owners are not served, because Klipy's API does not expose them.

Routes under /api/v1: GET /authenticate, POST /people/query, GET /people/{id},
GET /companies/{id} (Klipy cannot list companies), POST /interactions/query,
GET /interactions/{id}. Queries take {cursor, limit, filter}; limit defaults to 20, at most 100.

--api picks the generation: "new" answers {object, data, meta} with page_info cursors and
takes the key in X-Klipy-Api-Key or Authorization: Bearer (keys klipy_api_…); "old" answers
{success, data} and takes X-KLIPY-API-KEY only (keys klipy_pk_…). Without --key a random key
of the right shape is made. --scopes limits what the key may read (ALL, people:read,
companies:read, interactions:read); other routes answer 403.

With --limits=on (default) Klipy's limits hold: 200 requests a minute per key and 1,000 per
organisation, X-RateLimit-Limit/-Remaining/-Reset headers, and 429 with Retry-After.

Where Klipy's docs leave the wire shape open, flags pick it, so ferry can be tried against
each reading: --paging-style (page_info, meta, camel, cursor-only, in-data, none; default
page_info for new, in-data for old; "none" serves one page only, which ferry must refuse
to take as the whole list), --field-case (camel or snake) and --time-format (ms or iso;
default ms for new, iso for old as the old reference shows).

Klipy's failure modes: --faults takes comma-separated key=value pairs drawn per request from
a seeded generator: 5xx=RATE (500, 502 or 503), timeout=RATE (the answer is held for hang,
default 2s), latency=DURATION, expire=N (the key answers 401 "expired" from request N on),
seed=N. --cursor-ttl makes cursors expire (400 cursor_expired), --max-limit refuses larger
pages with a 400 naming the limit, --reset-unit ms gives X-RateLimit-Reset in milliseconds,
--auth-needs-all makes /authenticate need the ALL scope.

With --webhook-url the sandbox also delivers the workspace's live deal events there, then one
documented event of every other type (lead.captured, interaction.captured, bookings, …),
signed (Svix style) with --webhook-secret (whsec_…), as Klipy's webhooks would: svix-id a
KSUID made when the event happened, failed attempts retried on Svix's schedule divided by
--webhook-compress while later events go on (so retries arrive late and out of order),
--webhook-late N holding every N-th event back to the end, and with --webhook-old-secret two
signatures per delivery ("v1,<old> v1,<new>"), as during a secret rotation.

The first two lines of output are always
  KLIPY_BASE_URL=http://HOST:PORT/api/v1
  KLIPY_API_KEY=KEY
so scripts can eval them. Traffic counters: GET /_sandbox/stats. Stop with Ctrl-C.`,
		Example: `  ferry sandbox klipy --people 5000 --seed 42
  ferry sandbox klipy --api old --limits=off > klipy.env &
  sleep 1; export $(head -2 klipy.env)
  ferry sandbox klipy --scopes people:read,interactions:read   # a key without companies:read
  ferry sandbox klipy --field-case snake --paging-style meta --time-format iso
  ferry sandbox klipy --faults "5xx=0.1,timeout=0.02,expire=5000,seed=3" --cursor-ttl 30s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandboxKlipy(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", opts.Addr, "listen address (port 0 picks a free port)")
	f.IntVar(&opts.People, "people", opts.People, "person records to generate (about 10 interactions each)")
	f.Int64Var(&opts.Seed, "seed", opts.Seed, "generator seed; the same seed gives the same workspace")
	f.StringVar(&opts.API, "api", opts.API, "API generation: new or old")
	f.StringVar(&opts.Key, "key", "", "API key to accept (default: random, klipy_api_… or klipy_pk_…)")
	f.StringSliceVar(&opts.Scopes, "scopes", opts.Scopes, "scopes of the key: ALL, people:read, companies:read, interactions:read")
	f.StringVar(&opts.Limits, "limits", opts.Limits, "rate limits: on or off")
	f.StringVar(&opts.WebhookURL, "webhook-url", "", "deliver the live deal webhook events to this URL")
	f.StringVar(&opts.WebhookSecret, "webhook-secret", "", "signing secret of the webhook deliveries (whsec_…)")
	f.StringVar(&opts.PagingStyle, "paging-style", "", "list paging shape: "+strings.Join(sandbox.PagingStyles, ", ")+" (default page_info for new, in-data for old)")
	f.StringVar(&opts.FieldCase, "field-case", "camel", "object field names: camel or snake")
	f.StringVar(&opts.TimeFormat, "time-format", "", "times: ms or iso (default ms for new, iso for old)")
	f.StringVar(&opts.Faults, "faults", "", `failure injection, e.g. "5xx=0.1,timeout=0.02,hang=2s,latency=5ms,expire=5000,seed=7"`)
	f.DurationVar(&opts.CursorTTL, "cursor-ttl", 0, "how long a query cursor stays valid (0: for ever)")
	f.IntVar(&opts.MaxLimit, "max-limit", sandbox.MaxLimit, "largest query limit accepted; larger ones answer 400 naming it")
	f.StringVar(&opts.ResetUnit, "reset-unit", "s", "unit of X-RateLimit-Reset: s (Unix seconds) or ms (Unix milliseconds)")
	f.BoolVar(&opts.AuthNeedsAll, "auth-needs-all", false, "GET /authenticate needs the ALL scope")
	f.Float64Var(&opts.WebhookCompress, "webhook-compress", 1000, "divide Svix's retry schedule (5s, 5m, 30m, 2h, 5h, 10h, 10h) by this")
	f.StringVar(&opts.WebhookOldSecret, "webhook-old-secret", "", "also sign deliveries with this rotated-out secret (whsec_…)")
	f.IntVar(&opts.WebhookLate, "webhook-late", 0, "hold back every n-th webhook event and deliver it last (0: none)")
	return cmd
}

// check validates the flags and fills in the key.
func (o *SandboxKlipyOptions) check() (limits bool, err error) {
	if o.API != "new" && o.API != "old" {
		return false, usageErrorf("--api %q: allowed values are new, old", o.API)
	}
	switch strings.ToLower(o.Limits) {
	case "on", "true":
		limits = true
	case "off", "false":
	default:
		return false, usageErrorf("--limits %q: allowed values are on, off", o.Limits)
	}
	if o.People < 1 {
		return false, usageErrorf("--people %d: must be at least 1", o.People)
	}
	prefix := map[string]string{"new": klipy.NewKeyPrefix, "old": klipy.OldKeyPrefix}[o.API]
	if o.Key == "" {
		o.Key = sandbox.NewKey(o.API)
	} else if !strings.HasPrefix(o.Key, prefix) {
		return false, usageErrorf("--key: the %s API generation takes keys starting %s", o.API, prefix)
	}
	for _, s := range o.Scopes {
		switch s {
		case sandbox.ScopeAll, sandbox.ScopePeopleRead, sandbox.ScopeCompaniesRead, sandbox.ScopeInteractionsRead:
		default:
			return false, usageErrorf("--scopes %q: allowed values are ALL, people:read, companies:read, interactions:read", s)
		}
	}
	if err := o.sandboxOptions().Check(); err != nil {
		return false, usageErrorf("%v", err)
	}
	if _, err := sandbox.ParseFaults(o.Faults); err != nil {
		return false, usageErrorf("--faults: %v", err)
	}
	if o.MaxLimit < 1 {
		return false, usageErrorf("--max-limit %d: must be at least 1", o.MaxLimit)
	}
	if o.WebhookCompress <= 0 || o.WebhookLate < 0 {
		return false, usageErrorf("--webhook-compress must be above 0 and --webhook-late at least 0")
	}
	if (o.WebhookURL == "") != (o.WebhookSecret == "") {
		return false, usageErrorf("--webhook-url and --webhook-secret go together")
	}
	return limits, nil
}

// runSandboxKlipy serves the sandbox until ctx ends.
func runSandboxKlipy(ctx context.Context, g *globalOptions, opts SandboxKlipyOptions) error {
	limits, err := opts.check()
	if err != nil {
		return err
	}
	start := time.Now()
	if opts.People >= 20_000 {
		fmt.Fprintf(g.stderr, "ferry: generating and encoding %d people with their interactions (about %d s)…\n",
			opts.People, max(1, opts.People/4000))
	}
	so := opts.sandboxOptions()
	so.Faults, _ = sandbox.ParseFaults(opts.Faults) // checked above
	so.Source = gen.New(gen.Config{People: opts.People, Seed: opts.Seed})
	so.Keys, so.Limits = []sandbox.Key{{Value: opts.Key, Scopes: opts.Scopes}}, limits
	so.WebhookURL, so.WebhookSecret = opts.WebhookURL, opts.WebhookSecret
	so.WebhookOldSecret, so.WebhookCompress, so.WebhookLate = opts.WebhookOldSecret, opts.WebhookCompress, opts.WebhookLate
	srv := sandbox.New(so)
	if err := srv.Err(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return usageErrorf("--addr %q: %v", opts.Addr, err)
	}
	base := "http://" + klipySandboxHost(ln.Addr()) + "/api/v1"
	g.printf("KLIPY_BASE_URL=%s\nKLIPY_API_KEY=%s\n", base, opts.Key)
	describeKlipySandbox(g, srv, base, opts, limits, time.Since(start))
	return serveKlipySandbox(ctx, g, srv, ln)
}

// klipySandboxHost is the address to print: an unspecified host becomes 127.0.0.1.
func klipySandboxHost(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func describeKlipySandbox(g *globalOptions, srv *sandbox.Server, base string, opts SandboxKlipyOptions, limits bool, took time.Duration) {
	people, companies, inter := srv.Count(source.Person), srv.Count(source.Company), srv.Count(source.Interaction)
	stats := strings.TrimSuffix(base, "/api/v1") + "/_sandbox/stats"
	if g.JSON {
		_ = json.NewEncoder(g.stdout).Encode(map[string]any{"api": opts.API, "base_url": base, "people": people,
			"companies": companies, "interactions": inter, "limits": limits, "scopes": opts.Scopes,
			"stats_url": stats, "webhook_url": opts.WebhookURL})
		return
	}
	g.printf("Klipy sandbox, %s API generation: %d people, %d companies, %d interactions (seed %d, loaded in %s, %.1f MB)\n",
		opts.API, people, companies, inter, opts.Seed, took.Round(time.Millisecond), float64(srv.MemoryBytes())/(1<<20))
	if limits {
		g.printf("Rate limits on: 200 requests/min per key, 1,000 per organisation (429 + Retry-After)\n")
	} else {
		g.printf("Rate limits off\n")
	}
	so := srv.Options()
	g.printf("Wire shape: paging %s, %s-case fields, times as %s\n", so.PagingStyle, so.FieldCase, so.TimeFormat)
	g.printf("Key scopes: %s\nStats: %s\n", strings.Join(opts.Scopes, ", "), stats)
	if opts.WebhookURL != "" {
		g.printf("Webhooks: live deal events go to %s\n", opts.WebhookURL)
	}
	g.printf("Press Ctrl-C to stop.\n")
}

// serveKlipySandbox serves srv on ln and runs its background tasks until ctx ends.
func serveKlipySandbox(ctx context.Context, g *globalOptions, srv *sandbox.Server, ln net.Listener) error {
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go func() {
		if err := srv.Run(ctx); err != nil {
			fmt.Fprintf(g.stderr, "ferry: klipy sandbox: %v\n", err)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("klipy sandbox: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("klipy sandbox: shutdown: %w", err)
	}
	return nil
}
