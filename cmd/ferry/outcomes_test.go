package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ferry/internal/migrate"
	"ferry/internal/pipedrive/sandbox"
	"ferry/internal/report"
	"ferry/internal/store"
)

// handHarvest is a harvest folder written by hand (not by ferry's generator) in which a few
// records cannot arrive: person p3's email is invalid (quarantined at mapping), so
// interaction i2 has no participant to link to, and note n2 names no person, company or deal
// (Pipedrive refuses such a note).
const handHarvest = "testdata/outcomes/harvest"

// handWorkspace copies the hand-written harvest into a new workspace, extracts it and writes
// the plan files against an in-process Pipedrive sandbox whose one user is the harvest's
// owner; the plan is confirmed.
func handWorkspace(t *testing.T) (string, *sandbox.Server) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Seed: 1, Users: []sandbox.User{{Name: "Ann Lee", Email: "ann.lee@northwind-tools.co.uk"}}})
	srv := newSandboxServer(t, sb)
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	copyDir(t, handHarvest, filepath.Join(dir, "harvest"))
	if out, stderr, code := runFerry(t, "extract", "-w", dir); code != 0 {
		t.Fatalf("extract: exit %d\n%s%s", code, out, stderr)
	}
	writePlanFiles(t, dir, srv, sb.Token(), "GB")
	if _, stderr, code := runFerry(t, "confirm", "--yes", "-w", dir); code != 0 {
		out, _, _ := runFerry(t, "decide", "list", "-w", dir)
		d, _ := os.ReadFile(filepath.Join(dir, "decisions.yaml"))
		t.Fatalf("confirm: %s\n%s\n%s", stderr, out, d)
	}
	return dir, sb
}

// newSandboxServer serves sb over HTTP for the test and points the environment at it;
// it returns the base URL.
func newSandboxServer(t *testing.T, sb *sandbox.Server) string {
	t.Helper()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	t.Setenv("PIPEDRIVE_BASE_URL", srv.URL)
	t.Setenv("PIPEDRIVE_API_TOKEN", sb.Token())
	t.Setenv("FERRY_PIPEDRIVE_BURST", "1000")
	return srv.URL
}

// copyDir copies the regular files of src into dst (created).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunIncompleteHandHarvest: a run that cannot move every record of a hand-written
// harvest exits 6, names each reason with its count and the file listing every row, and
// the success and error files add up to each object's source count.
func TestRunIncompleteHandHarvest(t *testing.T) {
	dir, sb := handWorkspace(t)
	out, stderr, code := runFerry(t, "run", "-w", dir)
	if code != exitIncomplete {
		t.Fatalf("run: exit %d, want %d (incomplete)\n%s%s", code, exitIncomplete, out, stderr)
	}
	t.Logf("ferry run:\n%s%s", out, stderr)
	for _, want := range []string{
		"1 people: quarantined: record cannot be mapped",
		"not a valid email",
		"report/error-person.csv",
		"report/error-note.csv",
		"did not arrive in Pipedrive",
	} {
		if !strings.Contains(out+stderr, want) {
			t.Errorf("run output lacks %q", want)
		}
	}
	rows := checkRowFiles(t, dir)
	if got := rows["error-person"]; len(got) != 1 || got[0][0] != "p3" {
		t.Errorf("error-person.csv rows = %v, want p3 only", got)
	}
	if got := rows["error-note"]; len(got) != 1 || got[0][0] != "n2" {
		t.Errorf("error-note.csv rows = %v, want n2 only", got)
	}
	if got := sb.Stats().Endpoints["POST /api/v1/notes"]; got == nil || got.Status["201"]+got.Status["200"] != 1 || got.Requests != 1 {
		t.Errorf("POST /api/v1/notes: %+v, want exactly one request (n1): n2 has no parent and must not be sent", got)
	}
	posts := recordPosts(sb)
	if _, _, code := runFerry(t, "run", "-w", dir); code != exitIncomplete {
		t.Errorf("second run: exit %d, want %d: nothing changed", code, exitIncomplete)
	}
	if n := recordPosts(sb) - posts; n != 0 {
		t.Errorf("second run sent %d record POSTs, want 0", n)
	}
}

// checkRowFiles reads every report/success-<kind>.csv and error-<kind>.csv, checks they are
// readable by the owner only and that their rows add up to the source count of the kind's
// stored reconciliation (the engine's own count, kept apart from the row files), and returns
// the data rows by file name (without .csv).
func checkRowFiles(t *testing.T, dir string) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	withStore(t, dir, func(st store.Store) error {
		for _, kind := range migrate.Phases() {
			rec, err := migrate.LastReconciliation(context.Background(), st, kind)
			if err != nil {
				t.Fatalf("reconciliation of %s: %v", kind, err)
			}
			n := 0
			for _, prefix := range []string{report.SuccessPrefix, report.ErrorPrefix} {
				name := prefix + string(kind)
				rows := readCSVFile(t, filepath.Join(dir, "report", name+".csv"))
				out[name] = rows
				n += len(rows)
			}
			if n != rec.Source {
				t.Errorf("%s: success + error rows = %d, source count %d", kind, n, rec.Source)
			}
		}
		return nil
	})
	return out
}

// readCSVFile reads a row file (checking its mode is 0600) and returns its data rows.
func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", path, fi.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v (%d rows)", path, err, len(rows))
	}
	return rows[1:]
}
