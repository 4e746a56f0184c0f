package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/plan/decide"
	"ferry/internal/workspace"
)

// unmatchedOwner returns an owner that plan could not match to a Pipedrive user (it got the
// fallback) and that has an email, and the sandbox's users' emails.
func unmatchedOwner(t *testing.T, dir string, sb *sandbox.Server) (decide.Owner, []string) {
	t.Helper()
	d, users := decisionsAndUsers(t, dir, sb)
	for _, o := range d.Owners {
		if o.Resolution == decide.OwnerFallback && o.Email != "" {
			return o, users
		}
	}
	t.Fatalf("no unmatched owner with an email in %+v", d.Owners)
	return decide.Owner{}, nil
}

func ownerName(o decide.Owner) string { name, _, _ := strings.Cut(o.Klipy, " <"); return name }

// TestDecideOwnerCheckedAgainstPipedrive: a typo in --map or --fallback is refused at decide
// (exit 2, decisions.yaml unchanged) with the closest user suggested; an existing user is
// accepted; a typo slipped in with --offline is refused at confirm (exit 4); --provision with
// an admin token asks, adds nothing when declined, and with --yes adds the user (read back
// from the sandbox), after which confirm and run pass.
func TestDecideOwnerCheckedAgainstPipedrive(t *testing.T) {
	dir, sb, _ := sandboxWorkspace(t, 25, 31)
	o, users := unmatchedOwner(t, dir, sb)
	path := dir + "/" + workspace.DecisionsFile
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	real := users[len(users)-1]
	typo := strings.Replace(real, "@", "x@", 1)
	for _, c := range []struct {
		flag, email, want string
	}{
		{"--map", "nobody@acme.com", "no active Pipedrive user"},
		{"--fallback", typo, "did you mean " + real},
	} {
		out, stderr, code := runFerry(t, "decide", "owner", ownerName(o), c.flag, c.email, "-w", dir)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("decide owner %s %s: exit %d, want %d with %q\n%s%s", c.flag, c.email, code, exitUsage, c.want, out, stderr)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused decision changed decisions.yaml")
	}
	if _, stderr, code := runFerry(t, "decide", "owner", ownerName(o), "--map", strings.ToUpper(real), "-w", dir); code != 0 {
		t.Errorf("decide owner --map an existing user: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := runFerry(t, "decide", "owner", ownerName(o), "--map", "ghost@acme.com", "--offline", "-w", dir); code != 0 {
		t.Fatalf("decide owner --offline: exit %d\n%s", code, stderr)
	}
	out, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir)
	if code != exitBlocked || !strings.Contains(stderr, "ghost@acme.com") {
		t.Errorf("confirm with an unknown map target: exit %d, want %d naming it\n%s%s", code, exitBlocked, out, stderr)
	}
	g := &globalOptions{Workspace: dir, stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	err = runDecideOwner(context.Background(), g, &DecideOptions{Provision: true, in: strings.NewReader("n\n")}, ownerName(o))
	if err == nil || !strings.Contains(err.Error(), "not confirmed") || len(sb.Snapshot().Users) != len(users) {
		t.Errorf("--provision declined: %v, %d users (want %d)", err, len(sb.Snapshot().Users), len(users))
	}
	if out, stderr, code := runFerry(t, "decide", "owner", ownerName(o), "--provision", "--yes", "-w", dir); code != 0 || !strings.Contains(out, "added Pipedrive user") {
		t.Fatalf("decide owner --provision --yes: exit %d\n%s%s", code, out, stderr)
	}
	if !sandboxHasUser(sb, o.Email) {
		t.Errorf("the sandbox has no user %s after --provision", o.Email)
	}
	confirmAndRun(t, dir)
}

// TestRunRefusesOwnerNotProvisioned: with a token that may not add users, --provision records
// the decision and says an admin must add the user; confirm warns; run refuses (exit 4)
// naming the user and writes nothing.
func TestRunRefusesOwnerNotProvisioned(t *testing.T) {
	dir, sb, _ := sandboxWorkspaceOpts(t, 25, 31, sandbox.Options{NotAdmin: true})
	o, _ := unmatchedOwner(t, dir, sb)
	out, stderr, code := runFerry(t, "decide", "owner", ownerName(o), "--provision", "--yes", "-w", dir)
	if code != 0 || !strings.Contains(out, "may not add users") {
		t.Fatalf("decide owner --provision with a regular user's token: exit %d\n%s%s", code, out, stderr)
	}
	if sandboxHasUser(sb, o.Email) {
		t.Fatal("a regular user's token added a user")
	}
	out, stderr, code = runFerry(t, "confirm", "--yes", "-w", dir)
	if code != 0 || !strings.Contains(out, o.Email) {
		t.Fatalf("confirm: exit %d, want 0 with a warning naming %s\n%s%s", code, o.Email, out, stderr)
	}
	w := sandboxWrites(sb)
	out, stderr, code = runFerry(t, "run", "-w", dir)
	if code != exitBlocked || !strings.Contains(stderr, o.Email) {
		t.Errorf("run with an owner not provisioned: exit %d, want %d naming %s\n%s%s", code, exitBlocked, o.Email, out, stderr)
	}
	if n := sandboxWrites(sb) - w; n != 0 {
		t.Errorf("the refused run sent %d writes", n)
	}
}

func sandboxHasUser(sb *sandbox.Server, email string) bool {
	for _, u := range sb.Snapshot().Users {
		if strings.EqualFold(fmt.Sprint(u["email"]), email) {
			return true
		}
	}
	return false
}

// decisionsAndUsers reads the workspace's decisions.yaml and the emails of the sandbox's
// Pipedrive users.
func decisionsAndUsers(t *testing.T, dir string, sb *sandbox.Server) (decide.Decisions, []string) {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := readDecisions(ws)
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, u := range sb.Snapshot().Users {
		users = append(users, fmt.Sprint(u["email"]))
	}
	return d, users
}
