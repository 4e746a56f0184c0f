package main

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"ferry/internal/pipedrive/sandbox"
)

// closedAddr returns host:port of a port nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestProbeSaysWhichAndExits8: probe exits 8 when Pipedrive rejects the token ("credential
// rejected", not "unreachable") and when its host refuses connections ("unreachable", within
// seconds), and exits 0 against the working sandbox; a confirmed run against a host that
// does not resolve exits 8 within seconds naming it.
func TestProbeSaysWhichAndExits8(t *testing.T) {
	dir, _, _ := sandboxWorkspace(t, 5, 3)
	if out, stderr, code := runFerry(t, "probe", "-w", dir); code != 0 {
		t.Fatalf("probe against the sandbox: exit %d\n%s%s", code, out, stderr)
	}
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		t.Fatalf("confirm: %s", stderr)
	}
	t.Setenv("PIPEDRIVE_API_TOKEN", "wrong-token")
	out, stderr, code := runFerry(t, "probe", "-w", dir)
	if code != exitUnreachable || !strings.Contains(out+stderr, "credential rejected") || strings.Contains(out+stderr, "Pipedrive unreachable") {
		t.Errorf("probe with a rejected token: exit %d, want %d saying the credential was rejected\n%s%s", code, exitUnreachable, out, stderr)
	}
	t.Setenv("PIPEDRIVE_BASE_URL", "http://"+closedAddr(t))
	start := time.Now()
	out, stderr, code = runFerry(t, "probe", "-w", dir)
	if code != exitUnreachable || !strings.Contains(out+stderr, "Pipedrive unreachable") {
		t.Errorf("probe with a refused host: exit %d, want %d saying unreachable\n%s%s", code, exitUnreachable, out, stderr)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("probe of a refused host took %s, want under 10 s", took)
	}
	t.Setenv("PIPEDRIVE_BASE_URL", "https://no-such-company.invalid")
	start = time.Now()
	if _, stderr, code := runFerry(t, "run", "-w", dir); code != exitUnreachable || !strings.Contains(stderr, "no-such-company.invalid") {
		t.Errorf("run against a host that does not resolve: exit %d, want %d naming the host\n%s", code, exitUnreachable, stderr)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("run against a host that does not resolve took %s, want under 10 s", took)
	}
}

// TestSandboxSearchLagFlag: --search-lag is on (5 s) by default in fault mode, off otherwise,
// and an explicit value wins.
func TestSandboxSearchLagFlag(t *testing.T) {
	for _, c := range []struct {
		faults string
		lag    time.Duration
		want   time.Duration
	}{
		{"", -1, 0},
		{"lost=0.01", -1, 5 * time.Second},
		{"lost=0.01", 0, 0},
		{"", 2 * time.Second, 2 * time.Second},
	} {
		o := SandboxPipedriveOptions{Plan: "growth", Seats: 1, Limits: "on", Faults: c.faults, SearchLag: c.lag}
		so, err := o.sandboxOptions()
		if err != nil || so.SearchLag != c.want {
			t.Errorf("--faults %q --search-lag %s: lag %s (%v), want %s", c.faults, c.lag, so.SearchLag, err, c.want)
		}
	}
}

// TestProbeShowsBothBudgets: Pipedrive (the sandbox with limits on) reports 3,000,000 tokens a
// day while ferry.yaml's plan and seats say 60,000; probe shows both and says which governs.
func TestProbeShowsBothBudgets(t *testing.T) {
	dir, _, _ := sandboxWorkspaceOpts(t, 5, 3, sandbox.Options{Limits: true, DailyBudget: 3000000, Burst: -1, SearchBurst: -1})
	out, stderr, code := runFerry(t, "probe", "-w", dir, "--json")
	if code != 0 {
		t.Fatalf("probe: exit %d\n%s%s", code, out, stderr)
	}
	var res struct {
		Pipedrive struct {
			Configured int   `json:"daily_budget_configured"`
			Reported   int64 `json:"daily_budget_reported"`
		} `json:"pipedrive"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("probe --json: %v\n%s", err, out)
	}
	if res.Pipedrive.Reported != 3000000 || res.Pipedrive.Configured != 60000 {
		t.Errorf("probe budgets: reported %d, configured %d; want 3000000 and 60000", res.Pipedrive.Reported, res.Pipedrive.Configured)
	}
	out, _, _ = runFerry(t, "probe", "-w", dir)
	if !strings.Contains(out, "3000000 reported by Pipedrive (this one governs)") {
		t.Errorf("probe does not show the reported budget:\n%s", out)
	}
}
