package main

import (
	"strings"
	"testing"
)

// TestDemo runs the demo end to end, as a newcomer would, and checks it reports success.
func TestDemo(t *testing.T) {
	out, stderr, code := runFerry(t, "demo", "--people", "60", "--seed", "3")
	if code != 0 {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	for _, want := range []string{"generate a messy Klipy workspace", "check the snapshot against the answer key",
		"every record of the answer key is in the snapshot once", "dedupe agrees with the answer key",
		"test case(s) passed", "Plan locked at", "the sandbox holds exactly what the run created",
		"second run: 0 creates sent", "verification passed: 0 mismatch(es)", "a second delta wrote 0", "HOLDS: every item is as it was",
		"Demo finished"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "MISMATCH") {
		t.Errorf("demo reported a mismatch:\n%s", out)
	}
}
