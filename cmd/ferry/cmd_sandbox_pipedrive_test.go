package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// startPipedriveSandbox runs `ferry sandbox pipedrive args...` in-process and returns the
// base URL and token from its first two lines, plus a stop function returning the error.
func startPipedriveSandbox(t *testing.T, args ...string) (baseURL, token string, stop func() error) {
	t.Helper()
	first, stop := startSandboxCommand(t, "pipedrive", args...)
	base, ok1 := strings.CutPrefix(first[0], "PIPEDRIVE_BASE_URL=")
	tok, ok2 := strings.CutPrefix(first[1], "PIPEDRIVE_API_TOKEN=")
	if !ok1 || !ok2 || !strings.HasPrefix(base, "http://127.0.0.1:") || tok == "" {
		t.Fatalf("first lines = %q", first)
	}
	return base, tok, stop
}

func getJSON(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("x-api-token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestSandboxPipedriveCommand(t *testing.T) {
	base, token, stop := startPipedriveSandbox(t, "--plan", "growth", "--seats", "5")
	if len(token) != 40 {
		t.Errorf("random token %q is not 40 hex characters", token)
	}
	status, body := getJSON(t, base+"/api/v1/users/me", "wrong-"+token)
	want := map[string]any{"success": false, "error": "unauthorized access", "errorCode": float64(401)}
	if status != 401 || !cmp.Equal(want, body) {
		t.Errorf("wrong token: %d %v", status, body)
	}
	status, body = getJSON(t, base+"/api/v1/users", token)
	if status != 200 || len(body["data"].([]any)) != 5 {
		t.Errorf("users with 5 seats: %d %v", status, body)
	}
	if err := stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
}

func TestSandboxPipedriveDataAndUsers(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "pd.json")
	users := filepath.Join(dir, "users.yaml")
	if err := os.WriteFile(users, []byte("- name: Bea\n  email: bea@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base, token, stop := startPipedriveSandbox(t, "--token", "fixed", "--data", data, "--users", users, "--limits=off")
	if token != "fixed" {
		t.Errorf("token = %q", token)
	}
	req, _ := http.NewRequest("POST", base+"/api/v2/organizations", strings.NewReader(`{"name":"Kept"}`))
	req.Header.Set("x-api-token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("create org: %v %v", err, resp)
	}
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	base, _, _ = startPipedriveSandbox(t, "--token", "fixed", "--data", data)
	_, body := getJSON(t, base+"/api/v2/organizations", "fixed")
	orgs := body["data"].([]any)
	if len(orgs) != 1 || orgs[0].(map[string]any)["name"] != "Kept" {
		t.Errorf("orgs after restart = %v", orgs)
	}
	_, body = getJSON(t, base+"/api/v1/users/find?term=bea@example.com&search_by_email=1", "fixed")
	if len(body["data"].([]any)) != 1 {
		t.Errorf("user from --users not found after restart: %v", body)
	}
}

func TestSandboxPipedriveBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--plan", "gold"}, {"--limits", "maybe"}, {"--faults", "5xx=7"}, {"--seats", "0"}} {
		root := newRootCommand(io.Discard, io.Discard)
		root.SetArgs(append([]string{"sandbox", "pipedrive"}, args...))
		err := root.ExecuteContext(context.Background())
		if exitCode(err) != exitUsage {
			t.Errorf("%v: err %v (exit %d), want usage error", args, err, exitCode(err))
		}
	}
}
