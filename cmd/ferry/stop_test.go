package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"ferry/internal/pipedrive"
)

// TestStopErrorNamesTheCommand: a command stopped by Ctrl-C exits 130 saying "stopped; run
// the same command to resume" with its own name (an interrupted verify used to say "resume
// with ferry run"); a spent budget exits 5 naming the command; other errors pass through.
func TestStopErrorNamesTheCommand(t *testing.T) {
	other := errors.New("boom")
	for _, c := range []struct {
		err      error
		command  string
		code     int
		contains string
	}{
		{fmt.Errorf("verify: read persons: %w", context.Canceled), "ferry verify", exitInterrupted, "stopped; run the same command to resume (ferry verify)"},
		{context.Canceled, "ferry rollback", exitInterrupted, "(ferry rollback)"},
		{context.Canceled, "ferry delta", exitInterrupted, "(ferry delta)"},
		{&pipedrive.BudgetError{}, "ferry verify", exitBudget, "resume after the reset with ferry verify"},
		{other, "ferry verify", exitFailure, "boom"},
		{nil, "ferry verify", exitOK, ""},
	} {
		err := stopError(c.err, c.command)
		if got := exitCode(err); got != c.code {
			t.Errorf("stopError(%v, %s): exit %d, want %d", c.err, c.command, got, c.code)
		}
		if err != nil && !strings.Contains(err.Error(), c.contains) {
			t.Errorf("stopError(%v, %s) = %q, want it to contain %q", c.err, c.command, err, c.contains)
		}
		if err != nil && strings.Contains(err.Error(), "ferry run") && c.command != "ferry run" {
			t.Errorf("stopError(%v, %s) names ferry run: %q", c.err, c.command, err)
		}
	}
	if err := interrupted(interrupted(context.Canceled, "ferry run"), "ferry run"); strings.Count(err.Error(), "stopped") != 1 {
		t.Errorf("interrupted twice: %q", err)
	}
}
