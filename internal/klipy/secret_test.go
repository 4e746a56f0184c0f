package klipy_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"ferry/internal/klipy"
)

// TestKeyNeverShown checks every way a key could leak: Config formatting and logging, error
// answers that echo it (message, details, a non-JSON body), and transport errors.
func TestKeyNeverShown(t *testing.T) {
	const key = "klipy_api_s3cr3t0123456789abcdef"
	cfg := klipy.Config{APIKey: key, BaseURL: "http://127.0.0.1:1"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "klipy", cfg)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "klipy", cfg)
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg), logged.String()} {
		mustNotContain(t, "formatted config", s, key)
	}

	for _, tc := range []struct {
		status int
		body   string
	}{
		{401, `{"object":"error","error":{"code":"unauthorized","message":"key ` + key + ` is revoked"},"meta":{"request_id":"r1"}}`},
		{403, `{"success":false,"error":{"code":"forbidden","message":"no","details":{"key":"` + key + `"}}}`},
		{400, `<html>bad request for ` + key + `</html>`},
		{200, `{"object":"list","data":[{"id":5,"firstName":"` + key + `"}],"page_info":{"has_more":true}}`},
		{200, `{"object":"list","data":[{"id":{"x":"` + key + `"}}]}`},
	} {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		c := newClient(t, klipy.Config{BaseURL: hs.URL, APIKey: key, Generation: klipy.GenNew})
		_, err := c.QueryPeople(context.Background(), "")
		hs.Close()
		if err == nil {
			t.Errorf("answer %d %s: no error", tc.status, tc.body)
			continue
		}
		mustNotContain(t, "error", err.Error(), key)
	}

	c := newClient(t, klipy.Config{BaseURL: "http://127.0.0.1:1/" + key, APIKey: key, MaxRetries: 1})
	_, err := c.Authenticate(context.Background())
	if err == nil {
		t.Fatal("authenticate against a closed port: no error")
	}
	mustNotContain(t, "transport error", err.Error(), key)
}
