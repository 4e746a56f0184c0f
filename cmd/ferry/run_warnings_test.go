package main

import (
	"fmt"
	"strings"
	"testing"

	"ferry/internal/migrate"
	"ferry/internal/source"
)

// TestRunListsLinkWarnings: run names each record created without a link its data names,
// with the value, up to a bound, and counts the rest.
func TestRunListsLinkWarnings(t *testing.T) {
	var out strings.Builder
	g := &globalOptions{stdout: &out, stderr: &out}
	var ws []migrate.Warning
	for i := range linkWarningsShown + 3 {
		ws = append(ws, migrate.Warning{Kind: source.Deal, SourceID: fmt.Sprintf("D-%03d", i),
			Message: fmt.Sprintf(`deal.person_email: no person with email "x%d@nowhere.com" in the snapshot; moved without this link`, i)})
	}
	printLinkWarnings(g, ws)
	got := out.String()
	for _, want := range []string{fmt.Sprintf("%d warning(s)", len(ws)), `deal D-000: deal.person_email: no person with email "x0@nowhere.com"`,
		"… and 3 more"} {
		if !strings.Contains(got, want) {
			t.Errorf("output %q does not contain %q", got, want)
		}
	}
	if strings.Contains(got, "D-021") {
		t.Errorf("output lists more than %d warnings: %q", linkWarningsShown, got)
	}
	out.Reset()
	printLinkWarnings(g, nil)
	if out.Len() != 0 {
		t.Errorf("no warnings printed %q", out.String())
	}
}
