package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCPUProfile checks that FERRY_CPUPROFILE gives a profile file, and that a path that
// cannot be written does not stop the command.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	t.Setenv(cpuProfileEnv, path)
	stop := startCPUProfile()
	runFerry(t, "version")
	stop()
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Errorf("profile file: %v, %v; want a non-empty file", st, err)
	}
	t.Setenv(cpuProfileEnv, filepath.Join(t.TempDir(), "missing", "cpu.pprof"))
	startCPUProfile()() // reports on stderr and carries on
	t.Setenv(cpuProfileEnv, "")
	startCPUProfile()()
}
