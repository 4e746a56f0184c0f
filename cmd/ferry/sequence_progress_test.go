package main

import (
	"strings"
	"testing"
)

// TestLongCommandsShowProgress: verify and rollback print progress lines on stderr as they
// go (the interval is set to zero here; it is 2 s for people).
func TestLongCommandsShowProgress(t *testing.T) {
	old := progressEvery
	progressEvery = 0
	t.Cleanup(func() { progressEvery = old })
	dir, _, _ := sandboxWorkspace(t, 10, 5)
	confirmAndRun(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"verify"}, "verify: read person"},
		{[]string{"rollback", "--yes"}, "rollback: undo"},
	} {
		out, stderr, code := runFerry(t, append(c.args, "-w", dir)...)
		if code != 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want progress %q on stderr\n%s%s", c.args, code, c.want, out, stderr)
		}
	}
}
