package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names a file that receives a CPU profile of the whole command (for reports of
// a slow run: `FERRY_CPUPROFILE=extract.pprof ferry extract`, then `go tool pprof`).
const cpuProfileEnv = "FERRY_CPUPROFILE"

// startCPUProfile starts profiling when cpuProfileEnv is set and returns the function that
// stops it; a profile that cannot be written is reported on stderr and the command goes on.
func startCPUProfile() (stop func()) {
	path := os.Getenv(cpuProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferry: %s=%s: no CPU profile: %v\n", cpuProfileEnv, path, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
