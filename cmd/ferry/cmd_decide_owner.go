package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"ferry/internal/pipedrive"
	"ferry/internal/plan/decide"
	"ferry/internal/workspace"
)

// newDecideOwnerCommand builds `ferry decide owner`: the decision is checked against
// Pipedrive's active users before it is written, and --provision can add the user.
func newDecideOwnerCommand(g *globalOptions, opts *DecideOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "owner KLIPY-OWNER",
		Short: "Resolve an owner: --map EMAIL, --provision or --fallback EMAIL",
		Long: `Owner decides who receives a Klipy owner's records in Pipedrive:

  --map EMAIL        an existing, active Pipedrive user
  --fallback EMAIL   the fallback user (also an existing, active user)
  --provision        the owner's own email, as a new Pipedrive user

With PIPEDRIVE_API_TOKEN set (and no --offline) the email is checked against Pipedrive's
active users first: an unknown one is refused (exit 2) with the closest user ("did you
mean"). --provision adds the user through Pipedrive's API after a confirmation (--yes from a
script) when the token's user is an admin; otherwise it records the decision and ferry run
refuses (exit 4) until an admin has added that user. ferry confirm checks every owner
decision again.`,
		Example: `  ferry decide owner "Emily O'Brien" --map emily@acme.com
  ferry decide owner "Robert Walker" --provision --yes
  ferry decide owner "Old Rep" --fallback admin@acme.com`,
		Args: exactArgs(1, "KLIPY-OWNER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDecideOwner(cmd.Context(), g, opts, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Map, "map", "", "give the owner's records to this existing Pipedrive user (email)")
	f.BoolVar(&opts.Provision, "provision", false, "add the owner as a Pipedrive user (or have an admin add them before the run)")
	f.StringVar(&opts.Fallback, "fallback", "", "give the records to this fallback user (email)")
	f.BoolVar(&opts.Offline, "offline", false, "do not check the email against Pipedrive (ferry confirm checks it)")
	f.BoolVar(&opts.Yes, "yes", false, "with --provision: add the user without asking")
	return cmd
}

// runDecideOwner resolves one owner, checked against Pipedrive when it can be read.
func runDecideOwner(ctx context.Context, g *globalOptions, opts *DecideOptions, ref string) error {
	ws, err := openWorkspaceOnly(g)
	if err != nil {
		return err
	}
	d, err := readDecisions(ws)
	if err != nil {
		return err
	}
	if err := decideOwner(&d, opts, []string{ref}); err != nil {
		return usageErrorf("%v", err)
	}
	env := workspace.LoadEnv()
	if opts.Offline || env.PipedriveToken == "" {
		g.printf("note: not checked against Pipedrive (no PIPEDRIVE_API_TOKEN or --offline); ferry confirm checks it\n")
	} else if err := checkOwnerDecision(ctx, g, ws, env, &d.Owners[findOwner(&d, ref)], opts); err != nil {
		return err
	}
	if err := writeDecisions(ws, d); err != nil {
		return err
	}
	open := d.Open()
	g.printf("%d decision(s) open\n", len(open))
	for _, o := range open {
		g.printf("  %s\n", o)
	}
	return nil
}

// checkOwnerDecision checks o's user against Pipedrive's active users; for a provision it
// adds the user when the token may and the person confirms.
func checkOwnerDecision(ctx context.Context, g *globalOptions, ws *workspace.Workspace, env workspace.Env,
	o *decide.Owner, opts *DecideOptions) error {
	c, err := newPipedriveClient(ws, env, nil)
	if err != nil {
		return err
	}
	active, err := activeUsers(ctx, c)
	if err != nil {
		return fmt.Errorf("%w: %v (use --offline to decide without checking)", errUnreachable, err)
	}
	if o.Resolution != decide.OwnerProvision {
		found, suggest := decide.FindUser(active, o.Target)
		if found {
			return nil
		}
		msg := fmt.Sprintf("owner %q: %s is no active Pipedrive user", o.Klipy, o.Target)
		if suggest != "" {
			msg += fmt.Sprintf("; did you mean %s?", suggest)
		}
		return usageErrorf("%s (decisions.yaml is unchanged; --provision adds a new user)", msg)
	}
	if o.Email == "" {
		return usageErrorf("owner %q has no email in Klipy to provision; use --map or --fallback", o.Klipy)
	}
	if found, _ := decide.FindUser(active, o.Email); found {
		o.Resolution, o.Target = decide.OwnerMap, o.Email
		g.printf("%s is already an active Pipedrive user: recorded as map\n", o.Email)
		return nil
	}
	return provisionUser(ctx, g, c, o, opts)
}

// provisionUser adds o's user through the API after a confirmation when the token's user is
// an admin; otherwise it says who must add them before the run.
func provisionUser(ctx context.Context, g *globalOptions, c *pipedrive.Client, o *decide.Owner, opts *DecideOptions) error {
	me, err := c.Me(ctx)
	if err != nil {
		return fmt.Errorf("%w: read the token's user: %v", errUnreachable, err)
	}
	if !me.CanAddUsers() {
		g.printf("your Pipedrive user (%s) may not add users: an admin must add %s in Pipedrive before ferry run, which refuses until then\n",
			me.Email, o.Email)
		return nil
	}
	if !opts.Yes {
		ok, err := askYes(g, opts.in, fmt.Sprintf("Add %s as a user of your Pipedrive company (it takes a seat)? [y/N] ", o.Email))
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("provisioning not confirmed: decisions.yaml and Pipedrive are unchanged")
		}
	}
	u, err := c.AddUser(ctx, o.Email)
	if err != nil {
		return fmt.Errorf("add Pipedrive user %s: %w", o.Email, err)
	}
	o.Target = u.Email
	g.printf("added Pipedrive user %s (id %d)\n", u.Email, u.ID)
	return nil
}
