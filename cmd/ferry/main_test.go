package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runFerry runs the command tree in-process and returns stdout, stderr and the exit code.
func runFerry(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRootCommand(&out, &errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err != nil {
		errb.WriteString("ferry: " + err.Error() + "\n")
	}
	return out.String(), errb.String(), exitCode(err)
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"version", []string{"version"}, exitOK, ""},
		{"unknown flag", []string{"version", "--nope"}, exitUsage, "unknown flag"},
		{"bad log level", []string{"version", "--log-level", "loud"}, exitUsage, "allowed values are debug"},
		{"init needs a dir", []string{"init"}, exitUsage, "takes DIR"},
		{"extract outside a workspace", []string{"extract", "-w", dir}, exitUsage, "ferry init"},
		{"invalid ferry.yaml names the line", []string{"probe", "-w", badConfigDir(t)}, exitUsage, "line 2: field plna not found"},
		{"gen needs people", []string{"gen", "harvest", dir + "/h", "--people", "0"}, exitUsage, "at least 1"},
		{"demo too small", []string{"demo", "--people", "3"}, exitUsage, "at least 10"},
		{"gen unknown dialect", []string{"gen", "harvest", dir + "/h", "--dialect", "csv"}, exitUsage, "allowed: ferry, sheets, excel-eu, xlsx, dump"},
		{"demo unknown dialect", []string{"demo", "--dialect", "excel"}, exitUsage, `unknown dialect "excel"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runFerry(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.wantErr)
			}
		})
	}
}

// badConfigDir returns a workspace whose ferry.yaml has an unknown key on line 2.
func badConfigDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ferry.yaml"), []byte("pipedrive:\n  plna: growth\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	out, _, code := runFerry(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit code %d", code)
	}
	for _, want := range []string{"Exit codes:", "4  blocked", "5  the Pipedrive API budget", "PIPEDRIVE_API_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not mention %q", want)
		}
	}
}
