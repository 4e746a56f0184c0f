package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileOwnerEscapedInDeliverables: an owner whose Klipy name is HTML and a Markdown
// link (harvest owners.csv) appears as escaped text in plan-report.md and report/report.md:
// no raw <img>, no [..](javascript:..) link.
func TestHostileOwnerEscapedInDeliverables(t *testing.T) {
	const hostile = `<img src=x onerror=alert(1)> [x](javascript:alert(1))`
	dir, _, _ := sandboxWorkspace(t, 15, 41)
	path := filepath.Join(dir, "harvest", "owners.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	header := strings.Split(strings.TrimSpace(lines[0]), ",")
	name := -1
	for i, h := range header {
		if strings.EqualFold(strings.Trim(h, `"`), "name") {
			name = i
		}
	}
	if name < 0 || len(lines) < 3 {
		t.Fatalf("owners.csv has no name column or no owner: %q", lines[0])
	}
	cells := strings.Split(strings.TrimRight(lines[1], "\r\n"), ",")
	cells[name] = `"` + hostile + `"`
	lines[1] = strings.Join(cells, ",") + "\n"
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"extract"}, {"plan"}, {"report"}} {
		if out, stderr, code := runFerry(t, append(args, "-w", dir)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	for _, f := range []string{"plan-report.md", filepath.Join("report", "report.md")} {
		text := readFile(t, filepath.Join(dir, f))
		if !strings.Contains(text, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("%s does not show the hostile owner escaped", f)
		}
		for _, bad := range []string{"<img", "[x](javascript"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s carries %q unescaped", f, bad)
			}
		}
	}
}
