package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultConfigParses(t *testing.T) {
	cfg, err := ParseConfig("ferry.yaml", []byte(DefaultConfigYAML("harvest")))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Source:    SourceConfig{KlipyAPI: "auto", Harvest: "harvest", DefaultPhoneRegion: "US"},
		Pipedrive: PipedriveConfig{Plan: "growth", Seats: 1, Auth: "api_token"},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("default config (-want +got):\n%s", diff)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key names the line", "source:\n  harvest: x\n  harvset: y\n", []string{"line 3", "harvset"}},
		{"wrong type names the line", "pipedrive:\n  seats: many\n", []string{"line 2", "many"}},
		{"bad plan", "pipedrive:\n  plan: gold\n", []string{`pipedrive.plan "gold"`, "lite, growth, premium, ultimate"}},
		{"bad region", "source:\n  default_phone_region: usa\n", []string{"default_phone_region", "US or GB"}},
		{"several problems at once", "pipedrive:\n  plan: x\n  auth: magic\n", []string{"pipedrive.plan", "pipedrive.auth"}},
		{"store not postgres", "store: mysql://db/ferry\n", []string{"store:", "postgres://"}},
		{"store with a password", "store: postgres://ferry:hunter2@db/ferry\n", []string{"store:", "PGPASSWORD", "FERRY_STORE_URL"}},
		{"store with a password parameter", "store: postgres://ferry@db/ferry?password=hunter2\n", []string{"store:", "PGPASSWORD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("/w/ferry.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range append(tt.want, "/w/ferry.yaml") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestDailyBudget(t *testing.T) {
	p := PipedriveConfig{Plan: "growth", Seats: 5}
	if got := p.DailyBudget(); got != 300000 {
		t.Errorf("growth with 5 seats: %d tokens, want 300000 (the documented example)", got)
	}
	p = PipedriveConfig{Plan: "ultimate", Seats: 2, TopUpTokens: 1000}
	if got := p.DailyBudget(); got != 30000*7*2+1000 {
		t.Errorf("ultimate, 2 seats, top-up: %d", got)
	}
}

func TestOpenOutsideWorkspace(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNoWorkspace) || !strings.Contains(err.Error(), "ferry init") {
		t.Errorf("Open of an empty dir: %v; want ErrNoWorkspace saying how to make one", err)
	}
}

func TestInitAndPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "w")
	ws, err := Init(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ws.HarvestDir(); got != filepath.Join(ws.Dir, "harvest") {
		t.Errorf("HarvestDir %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, StateDir)); err != nil {
		t.Error(err)
	}
	if _, err := Init(dir, ""); err == nil {
		t.Error("second Init did not refuse to overwrite ferry.yaml")
	}
}

func TestEnv(t *testing.T) {
	e := Env{PipedriveToken: "tok-123456789", KlipyKey: "klipy_api_secret", PipedriveDomain: "acme"}
	if s := e.String(); strings.Contains(s, "tok-") || strings.Contains(s, "secret") {
		t.Errorf("Env.String leaks a secret: %s", s)
	}
	url, err := e.PipedriveURL(Config{})
	if err != nil || url != "https://acme.pipedrive.com" {
		t.Errorf("PipedriveURL = %q, %v", url, err)
	}
	e = Env{PipedriveBaseURL: "http://127.0.0.1:9/"}
	if url, _ := e.PipedriveURL(Config{}); url != "http://127.0.0.1:9" {
		t.Errorf("base URL override = %q", url)
	}
	if _, err := (Env{}).PipedriveURL(Config{}); err == nil {
		t.Error("no domain: want an error saying what to set")
	}
	if got := (Env{}).KlipyURL(Config{}); got != "https://api.klipy.ai/api/v1" {
		t.Errorf("default Klipy URL %q", got)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(DefaultConfigYAML("h")))
	f.Add([]byte("pipedrive: {seats: -1}"))
	f.Add([]byte("source: [1,2]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("f.yaml", data)
		if err != nil {
			return
		}
		if _, ok := Plans[cfg.Pipedrive.Plan]; !ok || cfg.Pipedrive.Seats < 1 {
			t.Errorf("accepted an invalid config: %+v", cfg)
		}
	})
}
