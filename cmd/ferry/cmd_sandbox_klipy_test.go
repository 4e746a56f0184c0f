package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"ferry/internal/klipy"
)

// startKlipySandbox runs `ferry sandbox klipy args...` in-process and returns its first two
// lines' base URL and key, and a stop function returning the command's error.
func startKlipySandbox(t *testing.T, args ...string) (base, key string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	root := newRootCommand(pw, io.Discard)
	root.SetArgs(append([]string{"sandbox", "klipy", "--addr", "127.0.0.1:0"}, args...))
	done := make(chan error, 1)
	go func() {
		err := root.ExecuteContext(ctx)
		pw.Close()
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	var first []string
	for len(first) < 2 && sc.Scan() {
		first = append(first, sc.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base, ok1 := strings.CutPrefix(strings.Join(first[:min(1, len(first))], ""), "KLIPY_BASE_URL=http://127.0.0.1:")
	if len(first) < 2 || !ok1 || !strings.HasSuffix(base, "/api/v1") || !strings.HasPrefix(first[1], "KLIPY_API_KEY=") {
		cancel()
		t.Fatalf("first lines = %q (command: %v)", first, <-done)
	}
	var once bool
	stop = func() error {
		if once {
			return nil
		}
		once = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("sandbox did not stop")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
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
