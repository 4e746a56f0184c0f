package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"

	klipysandbox "ferry/internal/klipy/sandbox"
	"ferry/internal/klipy/webhook"
	pdsandbox "ferry/internal/pipedrive/sandbox"
	"ferry/internal/workspace"
)

// startSandboxes starts in-process Klipy and Pipedrive sandboxes serving the generated data
// and points the demo's environment at them.
func (d *demo) startSandboxes(context.Context) error {
	key := klipysandbox.NewKey("new")
	kl := klipysandbox.New(klipysandbox.Options{API: "new", Source: d.data,
		Keys: []klipysandbox.Key{{Value: key}}})
	if err := kl.Err(); err != nil {
		return fmt.Errorf("klipy sandbox: %w", err)
	}
	d.kl = kl
	klSrv := httptest.NewServer(kl)
	d.closers = append(d.closers, klSrv.Close)

	var users []pdsandbox.User
	for _, u := range d.data.PipedriveUsers() {
		users = append(users, pdsandbox.User{Name: u.Name, Email: u.Email})
	}
	token := "demo-" + klipysandbox.NewKey("new")[10:26]
	pd := pdsandbox.New(pdsandbox.Options{Token: token, Plan: "growth", Seats: demoSeats, Users: users,
		Seed: d.opts.Seed, CompanyDomain: "demo"})
	d.adminEmail = "admin@demo.example"
	if users := pd.Snapshot().Users; len(users) > 0 {
		if email, ok := users[0]["email"].(string); ok {
			d.adminEmail = email
		}
	}
	d.pd = pd
	pdSrv := httptest.NewServer(pd)
	d.closers = append(d.closers, pdSrv.Close)

	d.env = workspace.Env{KlipyBaseURL: klSrv.URL + "/api/v1", KlipyKey: key,
		PipedriveBaseURL: pdSrv.URL, PipedriveToken: token, KlipyWebhookSecret: demoWebhookSecret(),
		PipedriveBurst: demoBurst}
	if d.exportOnly() {
		d.env = workspace.Env{PipedriveBaseURL: pdSrv.URL, PipedriveToken: token, PipedriveBurst: demoBurst}
		d.g.printf("Pipedrive sandbox (growth plan, %d seats): %s with %d users; no Klipy API: the %s export goes alone\n",
			demoSeats, pdSrv.URL, len(users)+1, d.dialect)
		return nil
	}
	d.g.printf("Klipy sandbox (new API generation): %s/api/v1 with %d people, %d companies, %d interactions\n",
		klSrv.URL, kl.Count("person"), kl.Count("company"), kl.Count("interaction"))
	d.g.printf("Pipedrive sandbox (growth plan, %d seats): %s with %d users\n", demoSeats, pdSrv.URL, len(users)+1)
	return nil
}

// demoSeats sizes the demo company: growth with 50 seats has a daily budget of 3,000,000
// tokens, enough to migrate about 50,000 generated people in one day without pausing.
const demoSeats = 50

// setDemoSeats writes the demo company's seats into the workspace's ferry.yaml, as a user
// would edit it, and reloads it.
func setDemoSeats(ws *workspace.Workspace) error { return setSeats(ws, demoSeats) }

// seatsLine is the seats line of ferry.yaml's pipedrive section.
var seatsLine = regexp.MustCompile(`\n  seats: [0-9]+\n`)

// setSeats writes seats into the workspace's ferry.yaml in place of its seats line and
// reloads it.
func setSeats(ws *workspace.Workspace, seats int) error {
	path := filepath.Join(ws.Dir, workspace.ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !seatsLine.Match(data) {
		return fmt.Errorf("demo: %s has no \"seats:\" line to edit", path)
	}
	edited := seatsLine.ReplaceAllLiteralString(string(data), fmt.Sprintf("\n  seats: %d\n", seats))
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		return err
	}
	cfg, err := workspace.ParseConfig(path, []byte(edited))
	ws.Config = cfg
	return err
}

// demoBurst paces the client for the demo's sandbox, which runs with its limits off: fast,
// while still going through the client's shared pacing window.
const demoBurst = 2000

// demoWebhookSecret is a fresh whsec_ secret for this demo run.
func demoWebhookSecret() string {
	return "whsec_" + klipysandbox.NewKey("new")[10:]
}

// capture starts the webhook receiver of `ferry listen` on the workspace store and has the
// Klipy sandbox deliver its live deal events, one of them twice and one forged.
func (d *demo) capture(ctx context.Context) error {
	h, err := webhook.NewHandler(d.env.KlipyWebhookSecret, d.st, webhook.HandlerOptions{})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	stats, err := klipysandbox.SendDealEvents(ctx, d.data, srv.URL, d.env.KlipyWebhookSecret,
		klipysandbox.SendOptions{Redeliver: 1, Forge: 1})
	if err != nil {
		return err
	}
	stored := 0
	if err := d.st.EachEvent(ctx, func(e storeEvent) error { stored++; return nil }); err != nil {
		return err
	}
	d.g.printf("delivered %d signed deal events; %d redelivered (stored once); %d forged (refused)\n",
		stats.Delivered, stats.Redelivered, stats.ForgedRefused)
	d.g.printf("events stored in the workspace: %d\n", stored)
	if stored != stats.Events || stats.ForgedRefused != 1 {
		d.problems = append(d.problems, fmt.Sprintf("webhook capture stored %d of %d events, refused %d of 1 forged",
			stored, stats.Events, stats.ForgedRefused))
	}
	return nil
}

// probe prints the capability table against the sandboxes.
func (d *demo) probe(ctx context.Context) error {
	res, err := probeWorkspace(ctx, d.ws, d.st, d.env, ProbeOptions{MaxPages: 0})
	if err != nil {
		return err
	}
	printProbe(d.g, res)
	return nil
}
