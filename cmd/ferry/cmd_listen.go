package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/klipy/webhook"
	"ferry/internal/workspace"
)

// ListenOptions are the flags of `ferry listen`.
type ListenOptions struct {
	Addr    string
	Path    string
	MaxBody int64
}

// newListenCommand builds `ferry listen`.
func newListenCommand(g *globalOptions) *cobra.Command {
	opts := ListenOptions{Addr: "127.0.0.1:8088", Path: "/klipy/webhooks"}
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Capture Klipy's deal webhooks (Svix-signed) into the workspace's state store",
		Long: `Receive Klipy's outbound webhooks and store each event once in the workspace's state store.
Klipy exposes deals only as webhook events (deal.created, deal.moved, deal.closed,
deal.contact_added), so run this before the cutover and keep it running: ferry extract folds
the captured events into current deal state.

Every delivery is verified the way Svix (Klipy's webhook sender) signs it: the svix-id,
svix-timestamp and svix-signature headers, an HMAC-SHA256 with the endpoint's secret, and a
timestamp at most 5 minutes from this machine's clock (keep it synced). Answers: 200 for a
stored event and for a repeat of a stored svix-id (so Svix stops retrying); 400 for a bad
signature, a stale timestamp or a body that is not an event (as Svix's guides advise); 500 if
the state store fails, so Svix retries later. Other event types are stored but not folded.

Set it up in Klipy (admin, paid plan):
  1. Settings → Webhooks → add an endpoint whose URL reaches this listener, e.g.
     https://<your tunnel>/klipy/webhooks, subscribed to the deal.* events.
  2. Copy the endpoint's signing secret (whsec_…) and export it:
       export KLIPY_WEBHOOK_SECRET=whsec_…
     ferry reads it from the environment only and never prints or stores it.
  3. Klipy must reach the URL from the internet: --addr binds locally, so put a tunnel or
     reverse proxy with HTTPS in front (cloudflared tunnel, ngrok http 8088, or your own
     proxy) and give Klipy the public URL plus --path.

One line per delivery: "stored deal.moved msg_…", "duplicate deal.moved msg_…",
"rejected: stale timestamp …" (--json: one JSON object per line). Stop with Ctrl-C.`,
		Example: `  export KLIPY_WEBHOOK_SECRET=whsec_…
  ferry listen --workspace acme-migration --addr 127.0.0.1:8088
  ngrok http 8088    # in another terminal; paste https://….ngrok.app/klipy/webhooks into Klipy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runListen(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", opts.Addr, "host:port to listen on (port 0 picks a free one)")
	f.StringVar(&opts.Path, "path", opts.Path, "URL path Klipy posts to")
	f.Int64Var(&opts.MaxBody, "max-body", webhook.MaxBody, "largest accepted delivery, in bytes")
	return cmd
}

// runListen serves the webhook handler until ctx is done.
func runListen(ctx context.Context, g *globalOptions, opts ListenOptions) error {
	if !strings.HasPrefix(opts.Path, "/") {
		return usageErrorf("--path %q must start with /", opts.Path)
	}
	secret := workspace.LoadEnv().KlipyWebhookSecret
	if secret == "" {
		return usageErrorf("KLIPY_WEBHOOK_SECRET is not set: copy the endpoint's signing secret (whsec_…) from Klipy's Settings → Webhooks and export it")
	}
	if _, err := webhook.NewVerifier(secret); err != nil {
		return usageErrorf("KLIPY_WEBHOOK_SECRET: %v", err)
	}
	_, st, err := g.openWorkspace()
	if err != nil {
		return err
	}
	defer st.Close()
	p := &listenPrinter{g: g, counts: map[webhook.Outcome]int{}}
	h, err := webhook.NewHandler(secret, st, webhook.HandlerOptions{MaxBody: opts.MaxBody, Log: g.log, OnResult: p.result})
	if err != nil {
		return usageErrorf("KLIPY_WEBHOOK_SECRET: %v", err)
	}
	return serveListen(ctx, opts, h, p)
}

// serveListen binds, announces the URL and serves until ctx is done, then shuts down
// gracefully and prints the totals.
func serveListen(ctx context.Context, opts ListenOptions, h http.Handler, p *listenPrinter) error {
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.Addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle(opts.Path, h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	p.listening("http://" + ln.Addr().String() + opts.Path)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve webhooks: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stop listener: %w", err)
	}
	p.totals()
	return nil
}

// listenPrinter prints one line per delivery; the handler calls it from many goroutines.
type listenPrinter struct {
	g      *globalOptions
	mu     sync.Mutex
	counts map[webhook.Outcome]int
}

func (p *listenPrinter) listening(url string) {
	if p.g.JSON {
		p.json(map[string]string{"listening": url})
		return
	}
	p.g.printf("listening on %s (point Klipy's webhook endpoint here, through a tunnel for a public URL); Ctrl-C stops\n", url)
}

func (p *listenPrinter) result(r webhook.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[r.Outcome]++
	if p.g.JSON {
		p.json(r)
		return
	}
	switch {
	case r.Outcome == webhook.Stored || r.Outcome == webhook.Duplicate:
		p.g.printf("%s %s %s\n", r.Outcome, r.Type, r.ID)
	case r.ID == "":
		p.g.printf("%s: %s (status %d)\n", r.Outcome, r.Reason, r.Status)
	default: // r.ID is escaped already: it comes from an unverified header
		p.g.printf("%s: %s (status %d, id %s)\n", r.Outcome, r.Reason, r.Status, r.ID)
	}
}

func (p *listenPrinter) totals() {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts
	if p.g.JSON {
		p.json(map[string]map[webhook.Outcome]int{"totals": c})
		return
	}
	p.g.printf("stopped: %d stored, %d duplicate, %d rejected, %d failed\n",
		c[webhook.Stored], c[webhook.Duplicate], c[webhook.Rejected], c[webhook.Failed])
}

func (p *listenPrinter) json(v any) {
	if err := json.NewEncoder(p.g.stdout).Encode(v); err != nil {
		p.g.log.Warn("write output", "error", err)
	}
}
