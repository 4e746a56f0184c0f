package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/gen"
	klipysandbox "ferry/internal/klipy/sandbox"
	"ferry/internal/klipy/webhook"
	"ferry/internal/source"
	"ferry/internal/store"
	"ferry/internal/workspace"
)

// extractFixture is a generated dataset served by a Klipy sandbox of one API generation,
// with its live deal events captured into a fresh workspace.
type extractFixture struct {
	data *gen.Dataset
	key  gen.Key
	ws   *workspace.Workspace
	st   store.Store
	env  workspace.Env
}

func newExtractFixture(t *testing.T, api string, people int, seed int64, mod ...func(*klipysandbox.Options)) *extractFixture {
	t.Helper()
	ctx := context.Background()
	root := t.TempDir()
	f := &extractFixture{data: gen.New(gen.Config{People: people, Seed: seed})}
	var err error
	if f.key, err = f.data.WriteHarvest(filepath.Join(root, "harvest")); err != nil {
		t.Fatal(err)
	}
	key := klipysandbox.NewKey(api)
	so := klipysandbox.Options{API: api, Source: f.data, Keys: []klipysandbox.Key{{Value: key}}}
	for _, m := range mod {
		m(&so)
	}
	kl := httptest.NewServer(klipysandbox.New(so))
	t.Cleanup(kl.Close)
	if f.ws, err = workspace.Init(filepath.Join(root, "ws"), filepath.Join(root, "harvest")); err != nil {
		t.Fatal(err)
	}
	g := &globalOptions{Workspace: f.ws.Dir}
	if _, f.st, err = g.openWorkspace(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
	secret := demoWebhookSecret()
	f.env = workspace.Env{KlipyBaseURL: kl.URL + "/api/v1", KlipyKey: key, KlipyWebhookSecret: secret}
	h, err := webhook.NewHandler(secret, f.st, webhook.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	recv := httptest.NewServer(h)
	defer recv.Close()
	if _, err := klipysandbox.SendDealEvents(ctx, f.data, recv.URL, secret,
		klipysandbox.SendOptions{Redeliver: 1, Forge: 1}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestExtractAllChannelsAgainstAnswerKey: for both Klipy API generations, harvest + API +
// captured webhooks give every record of the key exactly once, and a second extraction
// changes nothing.
func TestExtractAllChannelsAgainstAnswerKey(t *testing.T) {
	for _, api := range []string{"new", "old"} {
		t.Run(api, func(t *testing.T) {
			f := newExtractFixture(t, api, 150, 11)
			ctx := context.Background()
			rep, chs, err := extractWorkspace(ctx, f.ws, f.st, f.env, ExtractOptions{klipyRate: -1})
			if err != nil {
				t.Fatal(err)
			}
			if len(chs) != 3 {
				t.Fatalf("%d channels used, want harvest, api and webhook", len(chs))
			}
			for _, k := range source.Kinds {
				want := f.key.Records[k]
				if k == source.Attachment {
					want -= 2 // one escapes the folder, one file is missing: quarantined
				}
				got, err := f.st.CountRecords(ctx, k)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s: %d records in the snapshot, want %d", k, got, want)
				}
				for ch, n := range f.key.Channels[k] {
					if ch == source.Harvest {
						continue // the key counts broken rows; the channel report counts loaded rows
					}
					if loaded := rep.Channels[ch][k].Loaded; ch == source.API && loaded != n {
						t.Errorf("%s via api: %d loaded, the key says the API serves %d", k, loaded, n)
					}
				}
			}
			if got := rep.Channels[source.Webhook][source.Deal].Loaded; got != f.key.Distinct.LiveDeals {
				t.Errorf("webhook deals %d, want %d live deals", got, f.key.Distinct.LiveDeals)
			}
			again, _, err := extractWorkspace(ctx, f.ws, f.st, f.env, ExtractOptions{klipyRate: -1})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range source.Kinds {
				if c := again.Changes[k]; c.Added+c.Changed+c.Removed != 0 {
					t.Errorf("second extraction changed %s: %+v", k, c)
				}
			}
		})
	}
}

// TestProbeJSON runs probe against the sandboxes and checks the capability table.
func TestProbeJSON(t *testing.T) {
	f := newExtractFixture(t, "new", 80, 4)
	var d demo
	d.data, d.g = f.data, &globalOptions{stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	if err := d.startSandboxes(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer d.close()
	env := f.env
	env.PipedriveBaseURL, env.PipedriveToken = d.env.PipedriveBaseURL, d.env.PipedriveToken
	res, err := probeWorkspace(context.Background(), f.ws, f.st, env, ProbeOptions{MaxPages: 0})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(res)
	if strings.Contains(string(data), env.KlipyKey) || strings.Contains(string(data), env.PipedriveToken) {
		t.Fatal("probe output contains a secret")
	}
	if !res.Klipy.Reachable || !res.Klipy.Complete || res.Klipy.People != f.key.Records[source.Person] {
		t.Errorf("klipy probe %+v, want reachable with %d people counted", res.Klipy, f.key.Records[source.Person])
	}
	if res.Events.Deals != f.key.Distinct.LiveDeals {
		t.Errorf("probe sees %d captured deals, want %d", res.Events.Deals, f.key.Distinct.LiveDeals)
	}
	caps := map[string]capability{}
	for _, c := range res.Capabilities {
		caps[c.Object] = c
	}
	for obj, want := range map[string]string{"people": "api + harvest", "deals": "webhook + harvest",
		"notes, AI drafts": "harvest", "email bodies": "not extractable"} {
		if caps[obj].Channels != want {
			t.Errorf("%s: channels %q, want %q", obj, caps[obj].Channels, want)
		}
	}
	if p := res.Pipedrive; p == nil || p.Error != "" || p.User == "" || p.BurstLimit != 40 || p.Users < 2 {
		t.Errorf("pipedrive probe %+v, want the sandbox admin, growth burst 40 and the seeded users", p)
	}
}
