package plan

import (
	"os"
	"runtime/debug"
)

// Collector settings for a plan run. At a million people the snapshot walk allocates about
// 18 GB of short-lived records while dedupe keeps several hundred megabytes of keys alive:
// with the default GOGC of 100 the collector runs a hundred times and marks the live keys
// each time, a third of the CPU. A higher GOGC with a soft limit collects rarely while the
// heap is small and as often as needed near the limit.
const (
	MemoryLimit = 1 << 30 // soft heap limit (runtime/debug.SetMemoryLimit)
	GCPercent   = 400     // runtime/debug.SetGCPercent
)

// TuneCollector applies MemoryLimit and GCPercent, each unless the environment sets it
// (GOMEMLIMIT, GOGC), and returns a function that restores the previous settings.
func TuneCollector() (restore func()) {
	limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	return func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	}
}
