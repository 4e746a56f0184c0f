package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/plan/lock"
	"ferry/internal/review"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// ReviewOptions are the flags of `ferry review`.
type ReviewOptions struct {
	Addr string
	Open bool
}

// newReviewCommand builds `ferry review`.
func newReviewCommand(g *globalOptions) *cobra.Command {
	var opts ReviewOptions
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Review and confirm the plan, follow the run and read the report in a local web page",
		Long: `Review serves a web page for the workspace on this machine and prints its URL: Overview (per
object what is created, merged, skipped, quarantined or held; the predicted loss; budget and
time; the next step), Owners (each Klipy owner to a Pipedrive user, the fallback, or a new
user), Duplicates (each cluster with the rule that joined it and its confidence; split it),
Pipelines (the stage map as a picture), Confirm (the same checks as ferry confirm), Run
(live progress; pause and resume) and Report (reconciliation chart, links to the records in
Pipedrive, what was not migrated; printable).

The page is a second view of the same state as the command line: each change it makes runs
the same ferry command (ferry decide owner, ferry decide split, ferry confirm --yes, ferry
run, ferry report) under the same workspace lock, so an edit in either is seen by the other.

It listens on the loopback interface only. The URL carries a random token that every request
needs; forms carry a CSRF token; the page allows only its own scripts and styles. Stop it
with Ctrl-C, which also stops a run the page started as Ctrl-C stops ferry run (run it again,
from the page or the terminal, to resume: nothing is lost or sent twice).

Exit codes: 0 stopped with Ctrl-C; 2 --addr is not a loopback address; 1 it could not listen.`,
		Example: `  ferry review
  ferry review --addr 127.0.0.1:8700 --open`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReview(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	cmd.Flags().BoolVar(&opts.Open, "open", false, "open the page in the default browser")
	return cmd
}

// runReview serves the page until the context ends (Ctrl-C).
func runReview(ctx context.Context, g *globalOptions, opts ReviewOptions) error {
	ws, err := openWorkspaceOnly(g)
	if err != nil {
		return err
	}
	ln, err := listenLoopback(opts.Addr)
	if err != nil {
		return err
	}
	srv, err := review.New(review.Config{Workspace: ws, Backend: &reviewBackend{g: g, ws: ws},
		Host: ln.Addr().String(), Log: g.log})
	if err != nil {
		ln.Close()
		return err
	}
	url := fmt.Sprintf("http://%s/?token=%s", ln.Addr(), srv.Token())
	g.printf("ferry review: %s\n(serving %s; Ctrl-C stops)\n", url, ws.Dir)
	if opts.Open {
		openBrowser(url)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		srv.Close()
		return fmt.Errorf("serve the review page on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	srv.Close() // a run the page started stops as ferry run does on Ctrl-C; it resumes later
	return nil
}

// listenLoopback listens on addr, which must be a loopback address.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, usageErrorf("--addr %q: want host:port, e.g. 127.0.0.1:0", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, usageErrorf("--addr %q: the review page listens on a loopback address only (127.0.0.1, ::1 or localhost)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// reviewBackend gives the review page the CLI's own functions.
type reviewBackend struct {
	g  *globalOptions
	ws *workspace.Workspace
}

// Exec runs a ferry command through the same command tree as the CLI (writers take the
// workspace lock there), on the page's workspace.
func (b *reviewBackend) Exec(ctx context.Context, out io.Writer, args ...string) (int, error) {
	root := newRootCommand(out, out)
	root.SetArgs(append(append([]string(nil), args...), "-w", b.ws.Dir, "--log-level", b.g.LogLevel))
	err := root.ExecuteContext(ctx)
	if err != nil && ctx.Err() != nil {
		err = interrupted(err, "ferry "+args[0])
	}
	return exitCode(err), err
}

func (b *reviewBackend) OpenStore(ctx context.Context) (store.Store, error) {
	return openStore(ctx, b.ws)
}

// Losses are what ferry confirm prints as the predicted loss.
func (b *reviewBackend) Losses(ctx context.Context, st store.Store) ([]review.Loss, error) {
	d, err := readDecisions(b.ws)
	if err != nil {
		return nil, err
	}
	ls, err := workspaceLosses(ctx, b.ws, st, d)
	if err != nil {
		return nil, err
	}
	out := make([]review.Loss, len(ls))
	for i, l := range ls {
		out[i] = review.Loss{Kind: string(l.Kind), Reason: l.Reason, Records: l.Records, AcceptedBy: l.AcceptedBy}
	}
	return out, nil
}

// Lock checks the confirmation lock as ferry run does.
func (b *reviewBackend) Lock(ctx context.Context, st store.Store) (lock.Lock, error) {
	return lock.Check(ctx, st, lockFiles(b.ws))
}

// Users lists Pipedrive's active users, as ferry decide owner checks against them.
func (b *reviewBackend) Users(ctx context.Context) ([]string, error) {
	env := workspace.LoadEnv()
	if env.PipedriveToken == "" && b.ws.Config.Pipedrive.Auth != "oauth" {
		return nil, errors.New("PIPEDRIVE_API_TOKEN is not set where ferry review runs: type the user's email in ferry decide owner instead, or restart ferry review with it")
	}
	c, err := newPipedriveClient(b.ws, env, nil)
	if err != nil {
		return nil, err
	}
	us, err := activeUsers(ctx, c)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Email
	}
	return out, nil
}
