package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInitCreatesWorkspaceAndRefusesOverwrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	t.Setenv("PIPEDRIVE_API_TOKEN", "secret-token-that-must-not-leak-1234567890")
	out, stderr, code := runFerry(t, "init", dir, "--harvest", "/data/klipy")
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, stderr)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "ferry.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), `harvest: "/data/klipy"`) {
		t.Errorf("ferry.yaml does not record the harvest path:\n%s", cfg)
	}
	if strings.Contains(string(cfg)+out+stderr, "secret-token") {
		t.Error("the API token leaked into ferry.yaml or the output")
	}
	if _, err := os.Stat(filepath.Join(dir, ".ferry", "state.db")); err != nil {
		t.Errorf("state store not created: %v", err)
	}
	_, stderr, code = runFerry(t, "init", dir)
	if code == 0 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second init: exit %d, stderr %q; want a refusal", code, stderr)
	}
}
