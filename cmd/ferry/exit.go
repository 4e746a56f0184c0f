package main

import (
	"errors"
	"fmt"

	"ferry/internal/pipedrive"
	"ferry/internal/pipedrive/oauth"
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
	// exitIncomplete: the command ran, but not every source record is accounted for as
	// created, merged, unchanged or skipped by an explicit decision (issue "Truthful outcomes").
	exitIncomplete = 6
	// exitLocked: another ferry process holds the workspace lock.
	exitLocked = 7
	// exitUnreachable: a platform could not be reached or rejected the credential.
	exitUnreachable = 8
	// exitLogin: the stored OAuth login is gone or revoked; run ferry login pipedrive.
	exitLogin = 9
	// exitInterrupted: stopped by Ctrl-C or SIGTERM; the same command resumes.
	exitInterrupted = 130
)

// Sentinels that commands wrap to pick an exit code.
var (
	errUsage    = errors.New("usage")
	errMismatch = errors.New("verification mismatch")
	errBlocked  = errors.New("blocked")
	errBudget   = errors.New("budget exhausted")
	// errIncomplete: something was quarantined, held, refused or failed (named in the output).
	errIncomplete = errors.New("incomplete")
	// errLocked: the workspace is locked by another ferry process.
	errLocked = errors.New("workspace locked")
	// errUnreachable: a platform is unreachable or rejected the credential.
	errUnreachable = errors.New("unreachable")
	// errLogin: the OAuth login must be renewed.
	errLogin = errors.New("login required")
	// errInterrupted: the command was stopped by a signal.
	errInterrupted = errors.New("stopped")
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
	case errors.Is(err, errIncomplete):
		return exitIncomplete
	case errors.Is(err, errLocked):
		return exitLocked
	case errors.Is(err, errUnreachable), errors.Is(err, pipedrive.ErrUnreachable), errors.Is(err, pipedrive.ErrUnauthorized):
		return exitUnreachable
	case errors.Is(err, errLogin), errors.Is(err, oauth.ErrLoginRequired):
		return exitLogin
	case errors.Is(err, errInterrupted):
		return exitInterrupted
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
  5  the Pipedrive API budget is exhausted; resume after the reset with the same command
  6  incomplete: records were quarantined, held, refused or failed (each named, with the file
     listing every row); exit 0 means every source record is accounted for
  7  the workspace is locked by another ferry process (it names the holder)
  8  a platform is unreachable or rejected the credential (ferry probe, and any command)
  9  the Pipedrive OAuth login is missing, expired or revoked: run ferry login pipedrive
130  stopped by Ctrl-C; run the same command to resume`
