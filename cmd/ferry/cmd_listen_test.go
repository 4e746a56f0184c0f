package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"ferry/internal/klipy/webhook"
	"ferry/internal/store"
	"ferry/internal/store/sqlite"
)

var listenKey = []byte("listen-command-test-key-000000")

var listenSecret = webhook.SecretPrefix + base64.StdEncoding.EncodeToString(listenKey)

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startListen runs `ferry listen` in-process on a free port and returns its URL, its stdout
// and stderr, and a stop function that returns the command's exit code.
func startListen(t *testing.T, args ...string) (string, *syncBuffer, *syncBuffer, func() int) {
	t.Helper()
	pr, pw := io.Pipe()
	var out, errb syncBuffer
	root := newRootCommand(io.MultiWriter(pw, &out), &errb)
	root.SetArgs(append([]string{"listen", "--addr", "127.0.0.1:0"}, args...))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		err := root.ExecuteContext(ctx)
		if err != nil {
			errb.Write([]byte("ferry: " + err.Error() + "\n"))
		}
		pw.Close()
		done <- exitCode(err)
	}()
	lines := bufio.NewScanner(pr)
	url := ""
	if lines.Scan() {
		var v struct{ Listening string }
		if err := json.Unmarshal(lines.Bytes(), &v); err == nil {
			url = v.Listening // --json
		} else if f := strings.Fields(lines.Text()); len(f) > 2 && f[0] == "listening" {
			url = f[2] // "listening on URL (…"
		}
	}
	go io.Copy(io.Discard, pr)
	stop := func() int { cancel(); return <-done }
	if url == "" {
		t.Fatalf("listen did not announce its URL; exit %d, stderr %q", stop(), errb.String())
	}
	return url, &out, &errb, stop
}

// deliver posts a signed event and returns the status.
func deliver(t *testing.T, url, secret, id string, ts time.Time, body string) int {
	t.Helper()
	sig, err := webhook.Sign(secret, id, ts, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set(webhook.HeaderID, id)
	req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(webhook.HeaderSignature, sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestListenStoresOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if _, _, code := runFerry(t, "init", dir); code != 0 {
		t.Fatal("init failed")
	}
	t.Setenv("KLIPY_WEBHOOK_SECRET", listenSecret)
	url, out, errb, stop := startListen(t, "-w", dir, "--json", "--log-level", "debug")
	now := time.Now()
	body := `{"type":"deal.created","object":"event","data":{"deal_id":"dl_9","deal_name":"Pilot"}}`
	wrong := webhook.SecretPrefix + base64.StdEncoding.EncodeToString([]byte("not-the-endpoint-key"))
	statuses := []int{
		deliver(t, url, listenSecret, "msg_1", now, body),
		deliver(t, url, listenSecret, "msg_1", now.Add(time.Second), body), // Svix retry
		deliver(t, url, listenSecret, "msg_2", now.Add(-6*time.Minute), body),
		deliver(t, url, wrong, "msg_3", now, body),
		deliver(t, url, listenSecret, "msg_4", now, `{"object":"event"}`),
	}
	if code := stop(); code != exitOK {
		t.Fatalf("listen exit %d, stderr %s", code, errb.String())
	}
	if diff := cmp.Diff([]int{200, 200, 400, 400, 400}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	var outcomes []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n")[1:] {
		var r webhook.Result
		if json.Unmarshal([]byte(line), &r) == nil && r.Outcome != "" {
			outcomes = append(outcomes, string(r.Outcome)+" "+r.ID)
		}
	}
	want := []string{"stored msg_1", "duplicate msg_1", "rejected msg_2", "rejected msg_3", "rejected msg_4"}
	if diff := cmp.Diff(want, outcomes); diff != "" {
		t.Errorf("printed outcomes (-want +got):\n%s\nstdout:\n%s", diff, out.String())
	}
	if !strings.Contains(out.String(), `"totals"`) {
		t.Errorf("no totals line:\n%s", out.String())
	}
	for _, s := range []string{listenSecret, strings.TrimPrefix(listenSecret, webhook.SecretPrefix), string(listenKey)} {
		if strings.Contains(out.String()+errb.String(), s) {
			t.Fatalf("the secret leaked into the output")
		}
	}
	st, err := sqlite.Open(filepath.Join(dir, ".ferry", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []string
	st.EachEvent(context.Background(), func(e store.Event) error { ids = append(ids, e.ID+" "+e.Type); return nil })
	if diff := cmp.Diff([]string{"msg_1 deal.created"}, ids); diff != "" {
		t.Errorf("stored events (-want +got):\n%s", diff)
	}
}

func TestListenHumanLines(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	runFerry(t, "init", dir)
	t.Setenv("KLIPY_WEBHOOK_SECRET", listenSecret)
	url, out, _, stop := startListen(t, "-w", dir)
	deliver(t, url, listenSecret, "msg_h", time.Now(), `{"type":"deal.moved","data":{"deal_id":"d","to":"B"}}`)
	deliver(t, url, listenSecret, "msg_s", time.Now().Add(time.Hour), `{"type":"deal.moved","data":{"deal_id":"d"}}`)
	stop()
	for _, want := range []string{"stored deal.moved msg_h\n", "rejected: stale timestamp", "stopped: 1 stored, 0 duplicate, 1 rejected, 0 failed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestListenErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	runFerry(t, "init", dir)
	tests := []struct {
		name, secret string
		args         []string
		want         string
	}{
		{"no secret", "", []string{"-w", dir}, "KLIPY_WEBHOOK_SECRET is not set"},
		{"bad secret", "whsec_s3cr3t!value", []string{"-w", dir}, "not a whsec_ base64 key"},
		{"no workspace", listenSecret, []string{"-w", t.TempDir()}, "ferry init"},
		{"bad path", listenSecret, []string{"-w", dir, "--path", "hooks"}, "must start with /"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KLIPY_WEBHOOK_SECRET", tt.secret)
			out, stderr, code := runFerry(t, append([]string{"listen", "--addr", "127.0.0.1:0"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tt.want)
			}
			if tt.secret != "" && strings.Contains(out+stderr, strings.TrimPrefix(tt.secret, webhook.SecretPrefix)) {
				t.Errorf("the secret leaked: %q", stderr)
			}
		})
	}
}

func TestListenHelpTeachesSetup(t *testing.T) {
	out, _, code := runFerry(t, "listen", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Settings → Webhooks", "KLIPY_WEBHOOK_SECRET", "tunnel", "--path", "400"} {
		if !strings.Contains(out, want) {
			t.Errorf("listen --help does not mention %q", want)
		}
	}
}
