package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestReviewRefusesNonLoopback(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.7:8700", ":8700", "example.com:80", "nonsense"} {
		_, stderr, code := runFerry(t, "review", "--addr", addr, "-w", dir)
		if code != exitUsage || !strings.Contains(stderr, "--addr") {
			t.Errorf("review --addr %s: exit %d, want %d naming --addr\n%s", addr, code, exitUsage, stderr)
		}
	}
}

// TestReviewServes starts ferry review as the CLI does, reads the URL it prints and opens it:
// the token gets in, no token or another Host name is refused, and Ctrl-C stops it with exit 0.
func TestReviewServes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, stderr, code := runFerry(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		root := newRootCommand(pw, io.Discard)
		root.SetArgs([]string{"review", "-w", dir})
		done <- exitCode(root.ExecuteContext(ctx))
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`(http://127\.0\.0\.1:\d+)/\?token=([0-9a-f]{32})`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("ferry review printed %q, want a loopback URL with a token", line)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	status := func(req *http.Request) int {
		t.Helper()
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	get := func(u string) *http.Request { r, _ := http.NewRequest("GET", u, nil); return r }
	if got := status(get(m[1] + "/")); got != http.StatusUnauthorized {
		t.Errorf("without the token: status %d, want 401", got)
	}
	if got := status(get(m[0])); got != http.StatusOK {
		t.Errorf("with the printed URL: status %d, want 200", got)
	}
	rebound := get(m[1] + "/")
	rebound.Host = "attacker.example" + strings.TrimPrefix(m[1], "http://127.0.0.1")
	if got := status(rebound); got != http.StatusMisdirectedRequest {
		t.Errorf("another Host name: status %d, want 421", got)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("ferry review stopped with exit %d, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ferry review did not stop")
	}
}
