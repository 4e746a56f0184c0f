// Package sharedtest finds the shared reference folder that tests read at test time: the
// hand-made harvest fixtures and the platforms' reference documents. The folder sits beside
// the repository (../shared relative to the folder of go.mod) and is never copied into it.
//
// EnvDir overrides its location. Pointing EnvDir at an empty folder makes every test that
// reads it behave as in a fresh clone without it: skipped with a message, or failed under
// CI=true (see Require).
package sharedtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvDir names the environment variable that overrides the shared folder's location.
const EnvDir = "FERRY_SHARED_DIR"

// relDir is the default location, relative to the repository root (the folder of go.mod).
const relDir = "../shared"

// ErrAbsent reports that the shared folder, or the part of it a test needs, is not there.
var ErrAbsent = errors.New("shared reference folder not found")

// Dir returns the shared folder: EnvDir when set, else ../shared beside the repository
// root. It does not check that the folder exists.
func Dir() (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		return dir, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, relDir), nil
}

// Find returns the path of rel inside the shared folder. The error wraps ErrAbsent when it
// does not exist.
func Find(rel string) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrAbsent, err)
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrAbsent, path, err)
	}
	return path, nil
}

// Require returns the path of rel inside the shared folder. When it is absent the test is
// skipped with a message naming the path and EnvDir, except under CI=true, where a missing
// shared folder fails the test: CI must never pass by skipping what it is meant to check.
func Require(tb testing.TB, rel string) string {
	tb.Helper()
	path, err := Find(rel)
	switch {
	case err == nil:
		return path
	case os.Getenv("CI") == "true":
		tb.Fatalf("%v (CI=true: the shared folder is required; set %s)", err, EnvDir)
	default:
		tb.Skipf("SKIPPED, NOT PASSED: %v (provide ../shared beside the repository or set %s; fails under CI=true)", err, EnvDir)
	}
	return ""
}

// RepoRoot returns the folder of go.mod above the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("getwd: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
