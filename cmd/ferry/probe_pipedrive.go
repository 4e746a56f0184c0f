package main

import (
	"context"
	"errors"
	"fmt"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/oauth"
	"ferry/internal/workspace"
)

// pipedriveProbe is what probe learned about the destination.
type pipedriveProbe struct {
	BaseURL     string `json:"base_url"`
	User        string `json:"user,omitempty"`
	Company     string `json:"company,omitempty"`
	Plan        string `json:"plan"`
	BurstLimit  int    `json:"burst_limit"`
	DailyBudget int    `json:"daily_budget_configured"`
	// Reported is the daily budget Pipedrive's headers state (0 when they did not): it
	// governs runs; the configured one (ferry.yaml's plan × seats) is the fallback.
	Reported  int64          `json:"daily_budget_reported"`
	Remaining int64          `json:"tokens_remaining"` // -1 when the server did not say
	Users     int            `json:"users"`
	Pipelines []string       `json:"pipelines"`
	Fields    map[string]int `json:"custom_fields"`
	Error     string         `json:"error,omitempty"`
	// Problem is "credential rejected" (PIPEDRIVE_API_TOKEN refused), "unreachable", or "".
	Problem string `json:"problem,omitempty"`
}

// Probe problems: each makes ferry probe exit with code 8.
const (
	problemRejected    = "credential rejected"
	problemUnreachable = "unreachable"
)

// newPipedriveClient builds the client from ferry.yaml and the environment; every call's
// tokens are recorded in ledger (the workspace's state store), so the daily budget holds
// across commands and runs.
//
// With pipedrive.auth: oauth the stored login of `ferry login pipedrive` supplies the
// (refreshed) access tokens and the account's base URL; PIPEDRIVE_API_TOKEN, when set and no
// login exists, is sent as a bearer token as it is (no refresh). Without either the error
// wraps oauth.ErrLoginRequired (exit 9).
func newPipedriveClient(ws *workspace.Workspace, env workspace.Env, ledger pipedrive.Ledger) (*pipedrive.Client, error) {
	cfg := pipedrive.Config{Token: env.PipedriveToken, OAuth: ws.Config.Pipedrive.Auth == "oauth",
		Plan: ws.Config.Pipedrive.Plan, Burst: env.PipedriveBurst,
		DailyBudget: int64(ws.Config.Pipedrive.DailyBudget()), Ledger: ledger, Clock: runClock,
		Logger: clientLog.Load()}
	loginDomain := ""
	if cfg.OAuth {
		src, err := oauthSource(ws)
		switch {
		case err == nil:
			cfg.Tokens, loginDomain = src, src.APIDomain()
		case errors.Is(err, oauth.ErrLoginRequired) && env.PipedriveToken != "":
			// a bearer token from the environment, as before logins existed
		default:
			return nil, err
		}
	}
	base, err := env.PipedriveURL(ws.Config)
	if err != nil && loginDomain == "" {
		return nil, err
	}
	if env.PipedriveBaseURL == "" && loginDomain != "" {
		base = loginDomain // the token answer's api_domain is the account's address
	}
	cfg.BaseURL = base
	return pipedrive.New(cfg)
}

// pipedriveConfigured reports whether a Pipedrive credential is meant to be there: an API
// token in the environment, or an OAuth login (pipedrive.auth: oauth).
func pipedriveConfigured(ws *workspace.Workspace, env workspace.Env) bool {
	return env.PipedriveToken != "" || ws.Config.Pipedrive.Auth == "oauth"
}

// oauthSource loads the workspace's OAuth login.
func oauthSource(ws *workspace.Workspace) (*oauth.Source, error) {
	app, err := oauth.AppFromEnv()
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", oauth.ErrLoginRequired, err)
	}
	store, key, err := loginStore(ws.Dir)
	if err != nil {
		return nil, err
	}
	return oauth.NewSource(app, store, key, nil)
}

// probePipedrive reads the token's user, users, pipelines and fields.
func probePipedrive(ctx context.Context, ws *workspace.Workspace, env workspace.Env, ledger pipedrive.Ledger) *pipedriveProbe {
	p := &pipedriveProbe{Plan: ws.Config.Pipedrive.Plan, DailyBudget: ws.Config.Pipedrive.DailyBudget(),
		Fields: map[string]int{}, Remaining: -1}
	c, err := newPipedriveClient(ws, env, ledger)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	p.BaseURL, _ = env.PipedriveURL(ws.Config)
	if err := p.read(ctx, c); err != nil {
		p.Error, p.Problem = err.Error(), problemUnreachable
		if errors.Is(err, pipedrive.ErrUnauthorized) {
			p.Problem = problemRejected
		}
	}
	p.BurstLimit = c.BurstLimit()
	p.Reported, _ = c.DailyBudget()
	if left, err := c.Remaining(ctx); err == nil {
		p.Remaining = left
	}
	return p
}

func (p *pipedriveProbe) read(ctx context.Context, c *pipedrive.Client) error {
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	p.User, p.Company = fmt.Sprintf("%s <%s>", me.Name, me.Email), me.CompanyName
	users, err := c.Users(ctx)
	if err != nil {
		return err
	}
	p.Users = len(users)
	pipes, err := c.Pipelines(ctx)
	if err != nil {
		return err
	}
	for _, pl := range pipes {
		p.Pipelines = append(p.Pipelines, pl.String("name"))
	}
	for _, e := range []pipedrive.FieldEntity{pipedrive.PersonFields, pipedrive.OrganizationFields, pipedrive.DealFields} {
		fields, err := c.Fields(ctx, e)
		if err != nil {
			return err
		}
		for _, f := range fields {
			if f.IsCustom {
				p.Fields[string(e)]++
			}
		}
	}
	return nil
}

func (p *pipedriveProbe) print(g *globalOptions) {
	if p.Error != "" {
		what := "error"
		switch p.Problem {
		case problemRejected:
			what = "credential rejected: PIPEDRIVE_API_TOKEN was refused"
		case problemUnreachable:
			what = "unreachable"
		}
		g.printf("Pipedrive: %s at %s: %s\n", what, p.BaseURL, p.Error)
	}
	if p.User == "" {
		return
	}
	g.printf("Pipedrive: %s as %s (company %q)\n", p.BaseURL, p.User, p.Company)
	g.printf("  plan %s: burst %d requests per 2 s; daily budget %d tokens configured (ferry.yaml's plan and seats)", p.Plan, p.BurstLimit, p.DailyBudget)
	if p.Reported > 0 {
		g.printf(", %d reported by Pipedrive (this one governs)", p.Reported)
	}
	if p.Remaining >= 0 {
		g.printf(", %d remaining today", p.Remaining)
	}
	g.printf("\n  %d users, pipelines %q, custom fields: %d person, %d organization, %d deal\n",
		p.Users, p.Pipelines, p.Fields["person"], p.Fields["organization"], p.Fields["deal"])
}
