package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/sharedtest"
)

// handMadeFolders are the hand-made export folders under ../shared/fixtures/harvests.
var handMadeFolders = []string{"sheets-export", "excel-eu", "crm-dump"}

// TestJourneyHandMadeExports runs the whole journey on each hand-made export folder as a
// user would — init, extract, plan, the owner decisions a user makes (`ferry decide owner
// … --fallback`), lint, confirm, run, verify — with no edit to the data or to mapping.yaml,
// then reads the Pipedrive sandbox back through its HTTP API and compares it with the
// folder's expected.json. Every difference of a folder is reported in one failure; the
// differences listed in journeyKnownGaps are logged (loudly) instead, until the work that
// closes them lands. The folders are read from ../shared at test time (FERRY_SHARED_DIR
// overrides): skipped without them, failed under CI=true.
func TestJourneyHandMadeExports(t *testing.T) {
	logKnownGaps(t)
	t.Run("testdata", func(t *testing.T) {
		cases, err := filepath.Glob(filepath.Join("testdata", "exports", "*", "expected.json"))
		if err != nil || len(cases) == 0 {
			t.Fatalf("no hand-made cases in testdata/exports: %v", err)
		}
		for _, c := range cases {
			dir, err := filepath.Abs(filepath.Dir(c))
			if err != nil {
				t.Fatal(err)
			}
			t.Run(filepath.Base(dir), func(t *testing.T) { journeyFolder(t, dir, filepath.Base(dir)) })
		}
	})
	t.Run("shared", func(t *testing.T) {
		root := sharedtest.Require(t, "fixtures/harvests")
		for _, name := range handMadeFolders {
			t.Run(name, func(t *testing.T) { journeyFolder(t, filepath.Join(root, name), name) })
		}
	})
}

// journeyFolder runs the journey on one folder and reports its differences.
func journeyFolder(t *testing.T, dir, name string) {
	exp := readExpected(t, dir)
	diffs := runHandMadeJourney(t, dir, exp)
	reportJourney(t, name, diffs, journeyKnownGaps[name], journeyMasked[name])
}

// logKnownGaps prints the known-gaps list at the top of the test's output.
func logKnownGaps(t *testing.T) {
	t.Helper()
	n := 0
	var b strings.Builder
	for _, name := range journeyKeys(journeyKnownGaps) {
		gaps := journeyKnownGaps[name]
		n += len(gaps)
		fmt.Fprintf(&b, "\n  %s (%d): %s", name, len(gaps), strings.Join(gaps, ", "))
		if m := journeyMasked[name]; len(m) > 0 {
			fmt.Fprintf(&b, "; masked: %s", strings.Join(m, ", "))
		}
	}
	t.Logf("KNOWN GAPS: %d checks of the hand-made exports journey still fail and are not counted "+
		"as failures (journeyKnownGaps in cmd/ferry/journey_gaps_test.go):%s", n, b.String())
}

// reportJourney fails the test with every difference not in gaps or masked, in one message,
// and logs the differences they excuse, the gaps that no longer fail and the masked checks.
func reportJourney(t *testing.T, name string, diffs []journeyDiff, gaps, masked []string) {
	t.Helper()
	var fail, known []string
	seen := map[string]bool{}
	for _, d := range diffs {
		seen[d.Check] = true
		line := fmt.Sprintf("[%s] %s", d.Check, d.Msg)
		if slices.Contains(gaps, d.Check) || slices.Contains(masked, d.Check) {
			known = append(known, line)
		} else {
			fail = append(fail, line)
		}
	}
	if len(known) > 0 {
		t.Logf("KNOWN GAPS in %s: %d differences with expected.json, not counted as failures:\n  %s",
			name, len(known), strings.Join(known, "\n  "))
	}
	for _, g := range gaps {
		if !seen[g] {
			t.Logf("KNOWN GAP SHOWS NO DIFFERENCE in %s: %q — remove it from journeyKnownGaps unless an earlier gap masks it", name, g)
		}
	}
	for _, m := range masked {
		if !seen[m] {
			t.Logf("MASKED in %s: %q is not compared while the records it needs are missing", name, m)
		}
	}
	if len(fail) > 0 {
		t.Errorf("%s: %d differences with expected.json:\n  %s", name, len(fail), strings.Join(fail, "\n  "))
	}
}

// journeyRun is one journey's state: the workspace, its sandbox, what it saw.
type journeyRun struct {
	t     *testing.T
	exp   expectedExport
	ws    string
	diffs []journeyDiff
	facts journeyFacts
	codes map[string]int // step → exit code
}

// step runs one ferry command, records its exit code and, when the code is not one of ok
// (or of expected.json's exit_codes for the step), a difference naming the step with the end
// of its output; so does a string of expected.json's mentions the output lacks.
func (j *journeyRun) step(name string, ok []int, args ...string) string {
	j.t.Helper()
	out, stderr, code := runFerry(j.t, args...)
	j.facts.output += out + stderr
	j.codes[name] = code
	if code == exitIncomplete {
		j.facts.exit6 = true
	}
	if want, set := j.exp.ExitCodes[name]; set {
		ok = want
	}
	if !slices.Contains(ok, code) {
		j.diffs = append(j.diffs, journeyDiff{"step:" + name,
			fmt.Sprintf("ferry %s exited %d, want %v:\n%s", strings.Join(args, " "), code, ok, indentTail(out+stderr, 12))})
	}
	for _, m := range j.exp.Mentions[name] {
		if !strings.Contains(out+stderr, m) {
			j.diffs = append(j.diffs, journeyDiff{"mentions:" + name,
				fmt.Sprintf("ferry %s does not mention %q:\n%s", strings.Join(args, " "), m, indentTail(out+stderr, 12))})
		}
	}
	return out + stderr
}

// indentTail returns the last n lines of s, indented for a failure message.
func indentTail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return "      " + strings.Join(lines, "\n      ")
}

// runHandMadeJourney walks the journey on one folder against a fresh Pipedrive sandbox
// whose users are the owners expected.json marks "mapped", and returns every difference.
func runHandMadeJourney(t *testing.T, dir string, exp expectedExport) []journeyDiff {
	var users []sandbox.User
	for _, email := range journeyKeys(exp.Owners) {
		if exp.Owners[email] == "mapped" {
			name, _, _ := strings.Cut(email, "@")
			users = append(users, sandbox.User{Name: name, Email: email})
		}
	}
	sb := sandbox.New(sandbox.Options{Seed: 11, Seats: len(users) + 1, Users: users})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	t.Setenv("PIPEDRIVE_BASE_URL", srv.URL)
	t.Setenv("PIPEDRIVE_API_TOKEN", sb.Token())
	t.Setenv("FERRY_PIPEDRIVE_BURST", "1000")
	before := treeDigest(t, dir)

	j := &journeyRun{t: t, exp: exp, ws: filepath.Join(t.TempDir(), "ws"), codes: map[string]int{},
		facts: journeyFacts{dir: dir, fallbackOwners: map[string]bool{}}}
	ok := []int{exitOK}
	if len(exp.Refused) > 0 {
		ok = []int{exitOK, exitIncomplete} // something must be refused, and named (exit 6)
	}
	j.step("init", []int{exitOK}, "init", j.ws, "--harvest", dir)
	j.step("extract", ok, "extract", "-w", j.ws)
	j.step("plan", ok, "plan", "-w", j.ws)
	rb0, err := readPipedrive(srv.URL, sb.Token())
	if err != nil {
		t.Fatalf("read the sandbox: %v", err)
	}
	j.facts.fallbackEmail = pdStr(rb0.Me["email"])
	j.decideOwners()
	// What confirm would refuse as lost is accepted, as a user does after reading it; the
	// checks below read Pipedrive back, so an accepted loss still shows as a difference.
	j.step("decide", []int{exitOK}, "decide", "accept-loss", "--all", "-w", j.ws)
	j.step("lint", []int{exitOK}, "lint", "-w", j.ws)
	j.step("confirm", []int{exitOK}, "confirm", "--yes", "-w", j.ws)
	j.step("run", ok, "run", "-w", j.ws)
	j.step("verify", ok, "verify", "-w", j.ws)
	if after := treeDigest(t, dir); after != before {
		j.diffs = append(j.diffs, journeyDiff{"data:edited", "the journey changed the harvest folder " + dir})
	}
	rb, err := readPipedrive(srv.URL, sb.Token())
	if err != nil {
		t.Fatalf("read the sandbox back: %v", err)
	}
	t.Logf("exit codes: %v; Pipedrive holds %d persons, %d organizations, %d deals, %d activities, %d notes, %d files",
		j.codes, len(rb.Persons), len(rb.Orgs), len(rb.Deals), len(rb.Activities), len(rb.Notes), len(rb.Files))
	return append(j.diffs, compareExport(rb, exp, j.facts, t.Logf)...)
}

var openOwnerLine = regexp.MustCompile(`owners\[\d+\] (.+): no Pipedrive user`)

// decideOwners does what a user does with the owner queue: ferry decide list, then each
// open owner to the fallback user (the sandbox admin), then checks nothing is left open.
func (j *journeyRun) decideOwners() {
	out := j.step("decide", []int{exitOK}, "decide", "list", "-w", j.ws)
	for _, m := range openOwnerLine.FindAllStringSubmatch(out, -1) {
		owner := strings.TrimSpace(m[1])
		j.facts.fallbackOwners[strings.ToLower(owner)] = true
		j.step("decide", []int{exitOK}, "decide", "owner", owner, "--fallback", j.facts.fallbackEmail, "-w", j.ws)
	}
	out = j.step("decide", []int{exitOK}, "decide", "list", "-w", j.ws)
	if !strings.Contains(out, "0 decision(s) open") {
		j.diffs = append(j.diffs, journeyDiff{"step:decide",
			"decisions other than owners are open after the owner decisions (the journey makes no other edit):\n" + indentTail(out, 12)})
	}
}

// treeDigest hashes every file under dir (names and contents), to prove the journey left
// the harvest folder as it found it.
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(raw))
		h.Write(raw)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
