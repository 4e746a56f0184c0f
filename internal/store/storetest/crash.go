package storetest

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferry/internal/source"
	"ferry/internal/store"
)

// CrashOptions configures Crash.
type CrashOptions struct {
	// Helper is the name of a test in the caller's package that, when CrashEnv is set, opens
	// the store CrashEnv names and runs CrashWriter on os.Stdout.
	Helper string
	// Target is the value given to the helper in CrashEnv: which database to open.
	Target string
	// Rounds is how many writer processes are started and killed (8 when zero).
	Rounds int
	// ContiguousSeq requires journal sequence numbers without holes (true for SQLite, whose
	// AUTOINCREMENT does not consume numbers in rolled-back transactions; false for a
	// PostgreSQL sequence, which does).
	ContiguousSeq bool
}

// Crash re-executes the test binary as a writer process (opts.Helper), lets it commit a few
// batches, kills it with SIGKILL at a random moment and does it again, opts.Rounds times. Then
// it opens the store with open and checks it with CheckCrash, and that every batch a writer
// reported committed survived.
func Crash(t *testing.T, opts CrashOptions, open Opener) {
	if opts.Rounds == 0 {
		opts.Rounds = 8
	}
	reported := -1
	for round := range opts.Rounds {
		start := time.Now()
		last := crashRound(t, opts, round)
		t.Logf("round %d: killed after batch %d, %v", round, last, time.Since(start).Round(time.Millisecond))
		reported = max(reported, last)
	}
	st := fresh(t, open)
	batches := CheckCrash(t, st, opts.ContiguousSeq)
	if batches <= reported {
		t.Errorf("a writer reported batch %d committed, but the store holds only batches 0 to %d", reported, batches-1)
	}
	runs, err := st.Runs(t.Context())
	must(t, err)
	diff(t, "runs started by the writers", len(runs), opts.Rounds)
}

// crashRound runs one writer process until it has reported 2 to 4 batches, then kills it at a
// moment drawn uniformly over the time one batch took, so that kills land anywhere in a write;
// it returns the last batch the writer reported.
func crashRound(t *testing.T, opts CrashOptions, round int) int {
	t.Helper()
	w := startWriter(t, opts)
	want, last := 2+rand.IntN(3), -1
	var prev, interval time.Duration
	start := time.Now()
	for seen := 0; seen < want; seen++ {
		select {
		case b, ok := <-w.batches:
			if !ok {
				w.cmd.Wait()
				t.Fatalf("round %d: writer stopped after %d batches:\n%s", round, seen, w.stderr.String())
			}
			now := time.Since(start)
			last, interval, prev = b, now-prev, now
		case <-time.After(time.Minute):
			w.cmd.Process.Kill()
			w.cmd.Wait()
			t.Fatalf("round %d: writer reported nothing for a minute:\n%s", round, w.stderr.String())
		}
	}
	time.Sleep(time.Duration(rand.Int64N(int64(interval) + 1)))
	must(t, w.cmd.Process.Kill()) // SIGKILL on Unix: no deferred code, no clean close
	for b := range w.batches {    // batches reported between the last read and the kill
		last = b
	}
	w.cmd.Wait()
	return last
}

// writer is a running crash-writer process.
type writer struct {
	cmd     *exec.Cmd
	stderr  *bytes.Buffer // read only after cmd.Wait
	batches chan int      // the batch numbers it reported, closed at its end of output
}

// startWriter re-executes the test binary, running only opts.Helper, as the crash writer.
func startWriter(t *testing.T, opts CrashOptions) *writer {
	t.Helper()
	w := &writer{cmd: exec.Command(os.Args[0], "-test.run=^"+opts.Helper+"$", "-test.count=1"),
		stderr: &bytes.Buffer{}, batches: make(chan int, 1000)}
	w.cmd.Env = append(os.Environ(), CrashEnv+"="+opts.Target)
	w.cmd.Stderr = w.stderr
	stdout, err := w.cmd.StdoutPipe()
	must(t, err)
	must(t, w.cmd.Start())
	go func() {
		defer close(w.batches)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if n, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
				b, _ := strconv.Atoi(n)
				w.batches <- b
			}
		}
	}()
	return w
}

// CheckCrash checks a store written by CrashWriter and returns how many batches it holds:
// every batch is whole (CrashBatch records, each carrying its batch, size and index), batches
// run 0, 1, 2... without a gap; the journal, in seq order, is exactly the entries of batch
// 0, 1, 2... in order, complete for every batch but the last, and holds nothing for a batch
// whose records are absent; with contiguousSeq its sequence numbers have no holes.
func CheckCrash(t *testing.T, st store.Store, contiguousSeq bool) int {
	t.Helper()
	counts := map[int]int{}
	must(t, st.EachRecord(t.Context(), crashKind, func(r source.Record) error {
		b, err := checkCrashRecord(r)
		counts[b]++
		return err
	}))
	batches := len(counts)
	for b := range batches {
		if counts[b] != CrashBatch {
			t.Fatalf("batch %d holds %d records, want %d (batches present: %v)", b, counts[b], CrashBatch, counts)
		}
	}
	checkCrashJournal(t, st, batches, contiguousSeq)
	return batches
}
