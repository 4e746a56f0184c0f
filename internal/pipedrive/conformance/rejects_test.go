package conformance

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"ferry/internal/pipedrive/sandbox"
)

// TestSandboxStatuses sends requests Pipedrive refuses (v2's strict types, RFC 3339 times,
// missing credentials, unknown ids) and checks the sandbox refuses them too, with the status
// Pipedrive uses and a response valid against the documents (the requests themselves are
// invalid on purpose, so only the responses are validated). It also checks the historical
// api_token query parameter is accepted.
func TestSandboxStatuses(t *testing.T) {
	e := newEnv(t, sandbox.Options{Seed: 13})
	noFile, noFileCT := multipartBody(t, "x.txt", nil, nil)
	noFile = bytes.Replace(noFile, []byte(`name="file"`), []byte(`name="attachment"`), 1)
	tests := []struct {
		name, method, path, token, ct, body string
		want                                int
	}{
		{"token as api_token query parameter", "GET", "/api/v1/users/me?api_token=" + testToken, "", "", "", 200},
		{"no token", "GET", "/api/v1/users/me", "", "", "", 401},
		{"wrong token", "GET", "/api/v2/persons", "wrong", "", "", 401},
		{"unknown person", "GET", "/api/v2/persons/987654", testToken, "", "", 404},
		{"unknown note", "GET", "/api/v1/notes/987654", testToken, "", "", 404},
		{"v2 integer sent as string", "POST", "/api/v2/persons", testToken, "application/json", `{"name":"x","visible_to":"3"}`, 400},
		{"v2 number sent as string", "POST", "/api/v2/deals", testToken, "application/json", `{"title":"x","value":"100"}`, 400},
		{"v2 boolean sent as 0/1", "POST", "/api/v2/activities", testToken, "application/json", `{"subject":"x","done":1}`, 400},
		{"v2 add_time not RFC 3339", "POST", "/api/v2/persons", testToken, "application/json", `{"name":"x","add_time":"2024-01-02 03:04:05"}`, 400},
		{"v2 person without name", "POST", "/api/v2/persons", testToken, "application/json", `{"emails":[{"value":"a@example.com"}]}`, 400},
		{"v2 emails not an array", "POST", "/api/v2/persons", testToken, "application/json", `{"name":"x","emails":"nope"}`, 400},
		{"v2 deal without title", "POST", "/api/v2/deals", testToken, "application/json", `{"value":1}`, 400},
		{"v2 stage without pipeline", "POST", "/api/v2/stages", testToken, "application/json", `{"name":"s"}`, 400},
		{"v1 note without content", "POST", "/api/v1/notes", testToken, "application/json", `{"deal_id":1}`, 400},
		{"v1 file without the file part", "POST", "/api/v1/files", testToken, noFileCT, string(noFile), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, e.srv.URL+tt.path, bytes.NewReader([]byte(tt.body)))
			if err != nil {
				t.Fatal(err)
			}
			if tt.token != "" {
				req.Header.Set("x-api-token", tt.token)
			}
			if tt.ct != "" {
				req.Header.Set("Content-Type", tt.ct)
			}
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tt.want, clip(body))
			}
			if err := e.specs.ValidateResponse(req, resp.StatusCode, resp.Header, body); err != nil {
				t.Errorf("invalid response: %v\nbody: %s", err, clip(body))
			}
		})
	}
}
