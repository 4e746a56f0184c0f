package costs_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/pipedrive/costs"
	"ferry/internal/pipedrive/costs/internal/specgen"
	"ferry/internal/pipedrive/spectest"
)

// specDir returns the directory of Pipedrive's OpenAPI documents, skipping the test when it is
// absent (and failing it under CI=true, where the documents must be present).
func specDir(t *testing.T) string {
	t.Helper()
	return spectest.RequireDir(t)
}

func TestGeneratedTableIsCurrent(t *testing.T) {
	dir := specDir(t)
	want, err := specgen.Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("costs_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("costs_gen.go is stale; run go generate (-want +got):\n%s", diff)
	}
}

func TestLookupKnownCosts(t *testing.T) {
	tests := []struct {
		method, tmpl string
		want         int
	}{
		{"POST", "/api/v2/persons", 5},
		{"GET", "/api/v2/persons/search", 20},
		{"GET", "/api/v2/persons/{id}", 1},
		{"DELETE", "/api/v2/deals/{id}", 3},
		{"GET", "/api/v2/pipelines", 5},
		{"GET", "/api/v1/users", 20},
		{"GET", "/api/v1/users/me", 2},
		{"GET", "/api/v1/users/find", 40},
		{"POST", "/api/v1/files", 10},
		{"GET", "/api/v1/files", 20},
		{"PUT", "/api/v1/dealFields/{id}", 10},
		{"POST", "/api/v2/personFields/{field_code}/options", 5},
		{"GET", "/api/v2/itemSearch/field", 20},
		{"get", "/api/v1/notes", 20}, // method is case-insensitive
	}
	for _, tt := range tests {
		got, ok := costs.Lookup(tt.method, tt.tmpl)
		if !ok || got != tt.want {
			t.Errorf("Lookup(%s %s) = %d, %v; want %d, true", tt.method, tt.tmpl, got, ok, tt.want)
		}
	}
	if _, ok := costs.Lookup("POST", "/api/v1/persons"); ok {
		t.Error("Lookup(POST /api/v1/persons): legacy v1 CRUD is not in the current documents, want ok=false")
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		method, path string
		tmpl         string
		cost         int
		ok           bool
	}{
		{"GET", "/api/v2/persons/12", "/api/v2/persons/{id}", 1, true},
		{"GET", "/api/v2/persons/search", "/api/v2/persons/search", 20, true},
		{"GET", "/api/v2/persons/search?term=ab&exact_match=true", "/api/v2/persons/search", 20, true},
		{"GET", "/api/v2/deals/archived", "/api/v2/deals/archived", 20, true},
		{"PATCH", "/api/v2/personFields/abc123/options", "/api/v2/personFields/{field_code}/options", 5, true},
		{"GET", "/api/v1/users/me", "/api/v1/users/me", 2, true},
		{"GET", "/api/v1/users/find", "/api/v1/users/find", 40, true},
		{"GET", "/api/v1/users/7", "/api/v1/users/{id}", 2, true},
		{"GET", "/api/v1/files/9/download", "/api/v1/files/{id}/download", 20, true},
		{"GET", "/api/v2/itemSearch/field", "/api/v2/itemSearch/field", 20, true},
		{"POST", "/api/v2/persons/", "/api/v2/persons", 5, true},
		{"PUT", "/api/v2/persons/1", "", 0, false},
		{"GET", "/api/v3/persons", "", 0, false},
		{"GET", "/api/v2/persons//x", "", 0, false},
		{"GET", "", "", 0, false},
	}
	for _, tt := range tests {
		tmpl, cost, ok := costs.Match(tt.method, tt.path)
		if tmpl != tt.tmpl || cost != tt.cost || ok != tt.ok {
			t.Errorf("Match(%s %q) = %q, %d, %v; want %q, %d, %v", tt.method, tt.path, tmpl, cost, ok, tt.tmpl, tt.cost, tt.ok)
		}
	}
}

// TestAgreesWithEndpointsTSV checks every current row of the team's ENDPOINTS.tsv against the
// table generated from the OpenAPI documents.
func TestAgreesWithEndpointsTSV(t *testing.T) {
	dir := specDir(t)
	f, err := os.Open(filepath.Join(dir, "ENDPOINTS.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	checked := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[4] != "current" || !strings.HasPrefix(cols[1], "/api/") {
			continue
		}
		want, err := strconv.Atoi(cols[3])
		if err != nil {
			continue // header
		}
		got, ok := costs.Lookup(cols[0], cols[1])
		if !ok || got != want {
			t.Errorf("Lookup(%s %s) = %d, %v; ENDPOINTS.tsv says %d", cols[0], cols[1], got, ok, want)
		}
		checked++
	}
	if checked < 100 {
		t.Errorf("checked only %d rows of ENDPOINTS.tsv, want at least 100", checked)
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"/api/v2/persons/1", "/api/v2/persons/search", "", "/", "//", "/api/v1/files/1/download?x=1"} {
		f.Add("GET", s)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		tmpl, cost, ok := costs.Match(method, path)
		if !ok {
			return
		}
		c, ok2 := costs.Lookup(method, tmpl)
		if !ok2 || c != cost {
			t.Fatalf("Match(%q,%q) = %q,%d but Lookup gives %d,%v", method, path, tmpl, cost, c, ok2)
		}
	})
}
