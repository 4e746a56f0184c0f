package main

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// benchFigure is what one measured stage cost. CPU is user+sys time of the whole process, the
// figure to trust on a machine shared with other work; PeakRSS and Written are -1 where the
// operating system does not tell them (they come from /proc on Linux).
type benchFigure struct {
	Stage   string        `json:"stage"`
	Wall    time.Duration `json:"wall_ns"`
	CPU     time.Duration `json:"cpu_ns"`
	PeakRSS int64         `json:"peak_rss_bytes"`
	Written int64         `json:"written_bytes"`
	Note    string        `json:"note,omitempty"`
}

// measure runs fn and reports its wall time, CPU time, the peak resident set while it ran and
// the bytes it wrote to files. The Go heap left by earlier stages is returned to the system
// first and the kernel's high-water mark is reset, so the peak is this stage's own.
func measure(stage string, fn func() error) (benchFigure, error) {
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	cpu0, io0 := cpuTime(), writtenBytes()
	start := time.Now()
	err := fn()
	f := benchFigure{Stage: stage, Wall: time.Since(start), CPU: cpuTime() - cpu0, PeakRSS: peakRSS(), Written: -1}
	if io1 := writtenBytes(); io0 >= 0 && io1 >= 0 {
		f.Written = io1 - io0
	}
	return f, err
}

// resetPeakRSS resets the kernel's high-water mark of this process's resident set to the
// current size (Linux 4.0 and later); elsewhere it does nothing.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS is the high-water mark of the resident set since the last reset (VmHWM), or -1.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	return procField(data, "VmHWM:", 1024)
}

// writtenBytes is how many bytes this process has passed to write calls (wchar: files, the
// WAL and pipes alike, before the page cache), or -1.
func writtenBytes() int64 {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1
	}
	return procField(data, "wchar:", 1)
}

// procField reads the number after name in a /proc file of "name value [kB]" lines, times unit.
func procField(data []byte, name string, unit int64) int64 {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) {
			continue
		}
		fields := strings.Fields(strings.TrimPrefix(line, name))
		if len(fields) == 0 {
			return -1
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return -1
		}
		return n * unit
	}
	return -1
}
