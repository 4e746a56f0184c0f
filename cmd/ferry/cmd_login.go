package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"ferry/internal/pipedrive/oauth"
)

// LoginOptions are the flags of `ferry login pipedrive`.
type LoginOptions struct {
	Addr    string
	Open    bool
	Timeout time.Duration
}

// newLoginCommand builds `ferry login pipedrive`.
func newLoginCommand(g *globalOptions) *cobra.Command {
	opts := LoginOptions{Addr: "127.0.0.1:8765", Timeout: 10 * time.Minute}
	cmd := &cobra.Command{
		Use:   "login pipedrive",
		Short: "Log in to Pipedrive with OAuth (higher burst limits; no personal API token)",
		Long: `Log in to Pipedrive through your OAuth app (authorization code with PKCE): ferry prints a
URL, you approve the app in the browser, Pipedrive redirects to ferry's listener on
127.0.0.1 and ferry keeps the login outside the workspace — in the OS keychain where there
is one, else in a file only you can read under your config directory ($FERRY_CONFIG_DIR or
~/.config/ferry/logins). Tokens are never printed, logged or written into the workspace.

The workspace uses the login when ferry.yaml says pipedrive.auth: oauth. Access tokens are
refreshed before they expire (and after a 401), so a run that waits days for the daily budget
resumes; a revoked or expired refresh token stops the command with exit code 9 and the
advice to log in again. OAuth requests get the OAuth burst limit of the plan (4x the API
token's).

The OAuth app comes from the environment:
  PIPEDRIVE_CLIENT_ID, PIPEDRIVE_CLIENT_SECRET  from the app's page in Pipedrive's Developer Hub
  PIPEDRIVE_OAUTH_URL                          another OAuth server (a sandbox); default
                                               https://oauth.pipedrive.com
Register http://127.0.0.1:8765/callback (or your --addr) as the app's callback URL.`,
		Example: `  ferry login pipedrive -w acme
  ferry login pipedrive --addr 127.0.0.1:9000 --open
  ferry sandbox pipedrive --oauth > pd.env & sleep 1; export $(head -5 pd.env)
  ferry login pipedrive --addr 127.0.0.1:0`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "pipedrive" {
				return usageErrorf("login %q: only pipedrive has an OAuth login", args[0])
			}
			return runLogin(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", opts.Addr, "loopback address of the redirect listener (port 0: any free port)")
	f.BoolVar(&opts.Open, "open", false, "open the authorization URL in the default browser")
	f.DurationVar(&opts.Timeout, "timeout", opts.Timeout, "how long to wait for the browser")
	return cmd
}

// newLogoutCommand builds `ferry logout pipedrive`.
func newLogoutCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "logout pipedrive",
		Short: "Revoke the workspace's Pipedrive OAuth login and forget it",
		Long: `Revoke the refresh token at Pipedrive (RFC 7009) and delete the login from the keychain or
config directory. The login is forgotten even when Pipedrive cannot be reached (then the
command says so and exits 8: revoke the app in Pipedrive's settings).`,
		Example: "  ferry logout pipedrive -w acme",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "pipedrive" {
				return usageErrorf("logout %q: only pipedrive has an OAuth login", args[0])
			}
			return runLogout(cmd.Context(), g)
		},
	}
}

// runLogin runs the flow and stores the login under the workspace's key.
func runLogin(ctx context.Context, g *globalOptions, o LoginOptions) error {
	ws, err := openWorkspaceOnly(g)
	if err != nil {
		return err
	}
	app, err := oauth.AppFromEnv()
	if err != nil {
		return usageErrorf("%v", err)
	}
	store, key, err := loginStore(ws.Dir)
	if err != nil {
		return err
	}
	login, err := oauth.Authorize(ctx, app, oauth.LoginOptions{Addr: o.Addr, Timeout: o.Timeout,
		Show: func(u string) error {
			g.errorf("Open this URL in a browser and approve ferry's access to your Pipedrive account:\n  %s\nWaiting for the browser (Ctrl-C stops)...\n", u)
			if o.Open {
				openBrowser(u)
			}
			return nil
		}})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("%w: login not finished", errInterrupted)
		}
		return err
	}
	login.Workspace = ws.Dir
	if err := store.Save(key, login); err != nil {
		return err
	}
	if ws.Config.Pipedrive.Auth != "oauth" {
		g.errorf("note: ferry.yaml says pipedrive.auth: %s; set it to oauth to use this login\n", ws.Config.Pipedrive.Auth)
	}
	g.printf("Logged in to %s (scope %q); the login is kept in %s.\n", login.APIDomain, login.Scope, store.Where())
	return nil
}

// runLogout revokes and forgets the workspace's login.
func runLogout(ctx context.Context, g *globalOptions) error {
	ws, err := openWorkspaceOnly(g)
	if err != nil {
		return err
	}
	store, key, err := loginStore(ws.Dir)
	if err != nil {
		return err
	}
	login, err := store.Load(key)
	if errors.Is(err, oauth.ErrNoLogin) {
		g.printf("Not logged in: nothing to forget.\n")
		return nil
	}
	if err != nil {
		return err
	}
	var revokeErr error
	if app, aerr := oauth.AppFromEnv(); aerr != nil {
		revokeErr = fmt.Errorf("%w: cannot revoke at Pipedrive: %v", errUnreachable, aerr)
	} else if rerr := oauth.Revoke(ctx, app, login, nil); rerr != nil {
		revokeErr = fmt.Errorf("%w: %v", errUnreachable, rerr)
	}
	if err := store.Delete(key); err != nil {
		return err
	}
	if revokeErr != nil {
		return fmt.Errorf("forgot the login, but it was not revoked (remove the app under Pipedrive's Settings > Installed apps): %w", revokeErr)
	}
	g.printf("Logged out: the refresh token is revoked and the login is forgotten.\n")
	return nil
}

// loginStore returns the store of logins and the workspace's key in it.
func loginStore(dir string) (oauth.Store, string, error) {
	store, err := oauth.DefaultStore()
	if err != nil {
		return nil, "", err
	}
	key, err := oauth.Key(dir)
	if err != nil {
		return nil, "", err
	}
	return store, key, nil
}

// openBrowser tries to open u; failure is fine (the URL is printed).
func openBrowser(u string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	_ = cmd.Start()
}
