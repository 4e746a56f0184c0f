package plan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"ferry/internal/plan/decide"
	"ferry/internal/plan/dedupe"
)

// TestReportListsAreBounded checks that a workspace with thousands of open owners gives a report
// that shows reportListMax of them, counts the rest, and lists open decisions in index order.
func TestReportListsAreBounded(t *testing.T) {
	for _, owners := range []int{3, 1200} {
		p := &Plan{Dedupe: &dedupe.Result{}}
		for i := range owners {
			p.Decisions.Owners = append(p.Decisions.Owners, decide.Owner{Klipy: fmt.Sprintf("Owner %d <o%d@x.com>", i, i),
				Records: 1, Resolution: decide.OwnerOpen})
		}
		var b bytes.Buffer
		if err := p.WriteReport(&b); err != nil {
			t.Fatal(err)
		}
		report := b.String()
		shown := strings.Count(report, ": no Pipedrive user;")
		rows := strings.Count(report, "@x.com> | 1 | open |")
		want := min(owners, reportListMax)
		if shown != want || rows != want {
			t.Errorf("%d owners: %d open decisions and %d owner rows shown; want %d of each", owners, shown, rows, want)
		}
		if more := fmt.Sprintf("… and %d more", owners-reportListMax); owners > reportListMax && !strings.Contains(report, more) {
			t.Errorf("%d owners: the report does not say %q", owners, more)
		}
		if i, j := strings.Index(report, "owners[2] "), strings.Index(report, "owners[10] "); owners > 10 && (i < 0 || j < i) {
			t.Errorf("%d owners: open decisions not in index order (owners[2] at %d, owners[10] at %d)", owners, i, j)
		}
	}
}
