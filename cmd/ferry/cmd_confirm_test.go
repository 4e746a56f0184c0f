package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/workspace"
)

// lockedPlanWorkspace makes a workspace with a snapshot of one person whose owner has no
// Pipedrive user, planned offline: one open owner decision.
func lockedPlanWorkspace(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	if _, _, code := runFerry(t, "init", dir); code != 0 {
		t.Fatal("init failed")
	}
	h := filepath.Join(dir, "harvest")
	if err := os.MkdirAll(h, 0o755); err != nil {
		t.Fatal(err)
	}
	people := "id,First Name,Last Name,Email,owner\np1,Ann,Lee,ann@x.com,ghost@klipy.test\n"
	if err := os.WriteFile(filepath.Join(h, "people.csv"), []byte(people), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"extract"}, {"plan", "--offline"}, {"lint"}} {
		if out, stderr, code := runFerry(t, append(args, "-w", dir)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	return dir
}

func TestConfirmLockAndRunRefusal(t *testing.T) {
	dir := lockedPlanWorkspace(t)
	steps := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"run without a lock", []string{"run"}, exitBlocked, "not confirmed"},
		{"confirm with an open owner", []string{"confirm", "--yes"}, exitBlocked, "1 open decision"},
		{"decide with two answers", []string{"decide", "owner", "ghost@klipy.test", "--provision", "--map", "a@b.c"}, exitUsage, "exactly one of"},
		{"decide an unknown owner", []string{"decide", "owner", "nobody", "--provision"}, exitUsage, "not in decisions.yaml"},
		{"decide the owner", []string{"decide", "owner", "ghost@klipy.test", "--fallback", "admin@x.com"}, exitOK, "0 decision(s) open"},
		{"confirm", []string{"confirm", "--yes"}, exitOK, "Plan locked"},
		{"run with a valid lock", []string{"run"}, exitFailure, "lock valid"},
	}
	for _, s := range steps {
		out, stderr, code := runFerry(t, append(s.args, "-w", dir)...)
		if code != s.wantCode || !strings.Contains(out+stderr, s.want) {
			t.Fatalf("%s: exit %d (want %d), output lacks %q:\n%s%s", s.name, code, s.wantCode, s.want, out, stderr)
		}
	}

	mapping := filepath.Join(dir, workspace.MappingFile)
	data, _ := os.ReadFile(mapping)
	os.WriteFile(mapping, append(data, []byte("# an edit\n")...), 0o644)
	_, stderr, code := runFerry(t, "run", "-w", dir)
	if code != exitBlocked || !strings.Contains(stderr, "mapping.yaml was edited") {
		t.Errorf("run after editing mapping.yaml: exit %d, stderr %q; want exit 4 naming the file", code, stderr)
	}
}

func TestConfirmPrompt(t *testing.T) {
	dir := lockedPlanWorkspace(t)
	runFerry(t, "decide", "owner", "ghost@klipy.test", "--provision", "-w", dir)
	for _, tt := range []struct {
		answer   string
		wantCode int
	}{{"n\n", exitBlocked}, {"yes\n", exitOK}} {
		var out bytes.Buffer
		g := &globalOptions{Workspace: dir, stdout: &out, stderr: &out}
		err := runConfirm(context.Background(), g, ConfirmOptions{stdin: strings.NewReader(tt.answer)})
		if code := exitCode(err); code != tt.wantCode {
			t.Errorf("answer %q: exit %d, want %d (%v)", tt.answer, code, tt.wantCode, err)
		}
	}
}
