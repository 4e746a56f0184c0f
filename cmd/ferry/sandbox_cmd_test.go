package main

import (
	"bufio"
	"context"
	"io"
	"testing"
	"time"
)

// startSandboxCommand runs `ferry sandbox KIND --addr 127.0.0.1:0 args...` in-process and
// returns its first two output lines (the environment lines) and a stop function returning
// the command's error. It fails the test when the command stops before printing them.
func startSandboxCommand(t *testing.T, kind string, args ...string) (first []string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	root := newRootCommand(pw, io.Discard)
	root.SetArgs(append([]string{"sandbox", kind, "--addr", "127.0.0.1:0"}, args...))
	done := make(chan error, 1)
	go func() {
		err := root.ExecuteContext(ctx)
		pw.Close()
		done <- err
	}()
	lines := bufio.NewScanner(pr)
	for len(first) < 2 && lines.Scan() {
		first = append(first, lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if len(first) < 2 {
		cancel()
		t.Fatalf("sandbox %s printed %q then stopped: %v", kind, first, <-done)
	}
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("sandbox did not stop")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return first, stop
}
