package main

import (
	"context"
	"strings"
	"testing"

	"ferry/internal/klipy"
)

// startKlipySandbox runs `ferry sandbox klipy args...` in-process and returns its first two
// lines' base URL and key, and a stop function returning the command's error.
func startKlipySandbox(t *testing.T, args ...string) (base, key string, stop func() error) {
	t.Helper()
	first, stop := startSandboxCommand(t, "klipy", args...)
	base, ok1 := strings.CutPrefix(first[0], "KLIPY_BASE_URL=http://127.0.0.1:")
	if !ok1 || !strings.HasSuffix(base, "/api/v1") || !strings.HasPrefix(first[1], "KLIPY_API_KEY=") {
		t.Fatalf("first lines = %q", first)
	}
	return strings.TrimPrefix(first[0], "KLIPY_BASE_URL="), strings.TrimPrefix(first[1], "KLIPY_API_KEY="), stop
}

func TestSandboxKlipyServesBothGenerations(t *testing.T) {
	for _, tc := range []struct {
		api    string
		prefix string
		want   klipy.Generation
	}{{"new", "klipy_api_", klipy.GenNew}, {"old", "klipy_pk_", klipy.GenOld}} {
		t.Run(tc.api, func(t *testing.T) {
			base, key, stop := startKlipySandbox(t, "--people", "30", "--api", tc.api, "--limits=off")
			if !strings.HasPrefix(key, tc.prefix) {
				t.Errorf("key %q, want prefix %s", key, tc.prefix)
			}
			c, err := klipy.NewClient(klipy.Config{BaseURL: base, APIKey: key})
			if err != nil {
				t.Fatal(err)
			}
			a, err := c.Authenticate(context.Background())
			if err != nil || a.Generation != tc.want {
				t.Fatalf("Authenticate = %+v, %v; want generation %s", a, err, tc.want)
			}
			p, err := c.QueryPeople(context.Background(), "")
			if err != nil || len(p.Records) != 30 {
				t.Errorf("QueryPeople: %d people, %v; want 30", len(p.Records), err)
			}
			if err := stop(); err != nil {
				t.Errorf("stop: %v", err)
			}
		})
	}
}

func TestSandboxKlipyKeyAndScopes(t *testing.T) {
	base, key, _ := startKlipySandbox(t, "--people", "5", "--key", "klipy_api_mine", "--scopes", "people:read")
	if key != "klipy_api_mine" {
		t.Errorf("key %q, want the --key given", key)
	}
	c, _ := klipy.NewClient(klipy.Config{BaseURL: base, APIKey: key})
	if _, err := c.GetCompany(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "companies:read") {
		t.Errorf("GetCompany with a people:read key: %v, want a 403 naming companies:read", err)
	}
}

func TestSandboxKlipyFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--api", "v3"}, {"--limits", "maybe"}, {"--people", "0"}, {"--api", "old", "--key", "klipy_api_x"},
		{"--scopes", "deals:read"}, {"--webhook-url", "http://127.0.0.1:1/hook"},
	} {
		_, stderr, code := runFerry(t, append([]string{"sandbox", "klipy"}, args...)...)
		if code != exitUsage || !strings.Contains(stderr, "--") {
			t.Errorf("ferry sandbox klipy %v: exit %d, stderr %q; want a usage error naming the flag", args, code, stderr)
		}
	}
}
