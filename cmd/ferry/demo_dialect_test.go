package main

import (
	"strings"
	"testing"

	"ferry/internal/gen"
)

// dialectKnownGaps lists the generator dialects whose demo journey does not pass on main
// yet, with the step it stops at today (none: every dialect passes). TestDemoDialects logs their failure loudly instead of
// failing; shrink it as the harvest reader, value parsers and reference resolution land.
var dialectKnownGaps = map[gen.Dialect]string{}

// TestDemoDialects runs the whole journey — `ferry demo --dialect NAME` — on every
// generator dialect: the same generated workspace written through another export's surface,
// then extract, plan, owner decisions, lint, confirm, run, the sandbox check, run again,
// verify, report and rollback, every count checked against the generator's answer key (the
// demo exits 3 on a mismatch). Dialects in dialectKnownGaps are logged, not failed.
func TestDemoDialects(t *testing.T) {
	var gaps []string
	for _, d := range gen.Dialects() {
		if why, ok := dialectKnownGaps[d]; ok {
			gaps = append(gaps, string(d)+": "+why)
		}
	}
	t.Logf("KNOWN GAPS: %d dialects do not pass the demo journey yet (dialectKnownGaps):\n  %s",
		len(gaps), strings.Join(gaps, "\n  "))
	for _, d := range gen.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			out, stderr, code := runFerry(t, "demo", "--dialect", string(d), "--people", "20", "--seed", "3")
			why, known := dialectKnownGaps[d]
			switch {
			case code == 0 && strings.Contains(out, "Demo finished") && !strings.Contains(out, "MISMATCH"):
				if known {
					t.Logf("KNOWN GAP NOW PASSES: dialect %s — remove it from dialectKnownGaps", d)
				}
			case known:
				t.Logf("KNOWN GAP: dialect %s (%s): demo exit %d:\n%s", d, why, code, lastLines(out+stderr, 25))
			default:
				t.Errorf("demo --dialect %s: exit %d:\n%s", d, code, lastLines(out+stderr, 60))
			}
		})
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
