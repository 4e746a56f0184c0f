package main

import (
	"errors"
	"fmt"

	"ferry/internal/workspace"
)

// Exit codes, documented in the root command's help.
const (
	exitOK       = 0 // success
	exitFailure  = 1 // any other failure
	exitUsage    = 2 // bad flags, arguments or configuration
	exitMismatch = 3 // verification found mismatches
	exitBlocked  = 4 // blocked by an open decision or a missing/stale plan lock
	exitBudget   = 5 // the Pipedrive API budget is exhausted (resumable)
)

// Sentinels that commands wrap to pick an exit code.
var (
	errUsage    = errors.New("usage")
	errMismatch = errors.New("verification mismatch")
	errBlocked  = errors.New("blocked")
	errBudget   = errors.New("budget exhausted")
)

// usageErrorf returns an error that exits with exitUsage.
func usageErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// exitCode maps an error to its documented exit code.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errMismatch):
		return exitMismatch
	case errors.Is(err, errBlocked):
		return exitBlocked
	case errors.Is(err, errBudget):
		return exitBudget
	case errors.Is(err, errUsage), errors.Is(err, workspace.ErrNoWorkspace), errors.Is(err, workspace.ErrInvalidConfig):
		return exitUsage
	}
	return exitFailure
}

const exitCodesHelp = `Exit codes:
  0  success
  1  failure (see the message)
  2  usage: bad flags or arguments, no workspace, invalid ferry.yaml
  3  verification found mismatches (ferry verify, ferry run --sample)
  4  blocked: an open decision, or no valid plan lock (ferry confirm, ferry run)
  5  the Pipedrive API budget is exhausted; resume after the reset with the same command`
