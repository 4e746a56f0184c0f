package pipedrive_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"ferry/internal/pipedrive"
)

// TestUnreachableFailsFast: a refused connection, a name that does not resolve and a TLS
// certificate nobody trusts each fail within seconds with the real retry policy, wrapping
// ErrUnreachable and naming the host, never ErrUnauthorized.
func TestUnreachableFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsSrv.Close)
	for _, c := range []struct{ name, base, host string }{
		{"refused", refused, ln.Addr().String()},
		{"dns", "https://no-such-company.invalid", "no-such-company.invalid"},
		{"tls", tlsSrv.URL, strings.TrimPrefix(tlsSrv.URL, "https://")},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, err := pipedrive.New(pipedrive.Config{BaseURL: c.base, Token: "secret-token-1"})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = cl.Me(context.Background())
			took := time.Since(start)
			if !errors.Is(err, pipedrive.ErrUnreachable) || errors.Is(err, pipedrive.ErrUnauthorized) {
				t.Fatalf("err = %v, want ErrUnreachable", err)
			}
			if !strings.Contains(err.Error(), c.host) || strings.Contains(err.Error(), "secret-token-1") {
				t.Errorf("error %q does not name the host %s (or shows the token)", err, c.host)
			}
			if took > 10*time.Second {
				t.Errorf("failed after %s, want under 10 s", took)
			}
			t.Logf("%s: %v after %s", c.name, err, took.Round(time.Millisecond))
		})
	}
}
