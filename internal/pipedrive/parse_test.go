package pipedrive

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseError(t *testing.T) {
	const ep = "POST /api/v2/persons"
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		want   APIError
	}{
		{"v1 envelope", 400, "application/json", `{"success":false,"error":"Name must be given.","error_info":"Please check developers.pipedrive.com","data":null,"additional_data":null}`,
			APIError{Status: 400, Message: "Name must be given.", Info: "Please check developers.pipedrive.com", Endpoint: ep}},
		{"v2 code", 400, "application/json", `{"success":false,"error":"'person_id' is a read-only field.","code":"ERR_BAD_REQUEST"}`,
			APIError{Status: 400, Message: "'person_id' is a read-only field.", Code: "ERR_BAD_REQUEST", Endpoint: ep}},
		{"401 errorCode", 401, "application/json", `{"success":false,"error":"unauthorized access","errorCode":401}`,
			APIError{Status: 401, Message: "unauthorized access", Code: "401", Endpoint: ep}},
		{"feature capping", 403, "application/json", `{"success":false,"error":"limit reached","code":"feature_capping_deals_limit"}`,
			APIError{Status: 403, Message: "limit reached", Code: "feature_capping_deals_limit", Endpoint: ep}},
		{"cloudflare html", 403, "text/html", `<html><head><TITLE>Attention Required! | Cloudflare</TITLE></head></html>`,
			APIError{Status: 403, Message: "HTML page instead of JSON (Attention Required! | Cloudflare)", Endpoint: ep, HTML: true}},
		{"html without type", 502, "", "  <html>bad gateway</html>",
			APIError{Status: 502, Message: "HTML page instead of JSON (no title)", Endpoint: ep, HTML: true}},
		{"plain text", 500, "text/plain", "upstream\nconnect error",
			APIError{Status: 500, Message: "upstream connect error", Endpoint: ep}},
		{"empty", 503, "", "", APIError{Status: 503, Endpoint: ep}},
		{"object error", 400, "application/json", `{"success":false,"error":{"field":"x"}}`,
			APIError{Status: 400, Message: `{"field":"x"}`, Endpoint: ep}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseError(ep, tt.status, tt.ctype, []byte(tt.body))
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAPIErrorMessages(t *testing.T) {
	e := parseError("GET /api/v1/users/me", 401, "application/json", []byte(`{"success":false,"error":"unauthorized access"}`))
	if !strings.Contains(e.Error(), "API token was rejected") || !errors.Is(e, ErrUnauthorized) {
		t.Errorf("401 error %q does not say the token was rejected", e.Error())
	}
	nf := parseError("GET /api/v2/persons/{id}", 404, "application/json", []byte(`{"success":false,"error":"Entity was not found"}`))
	if !errors.Is(nf, ErrNotFound) || errors.Is(nf, ErrUnauthorized) {
		t.Errorf("404 error: Is(ErrNotFound) = %v", errors.Is(nf, ErrNotFound))
	}
	if want := "pipedrive: GET /api/v2/persons/{id}: status 404: Entity was not found"; nf.Error() != want {
		t.Errorf("Error() = %q, want %q", nf.Error(), want)
	}
}

func FuzzParseError(f *testing.F) {
	f.Add(400, "application/json", `{"success":false,"error":"x","code":"ERR"}`)
	f.Add(403, "text/html", `<title>İİİ</title>`)
	f.Add(500, "", `{"error":123}`)
	f.Add(429, "", "<TITLE></title>")
	f.Fuzz(func(t *testing.T, status int, ctype, body string) {
		e := parseError("GET /x", status, ctype, []byte(body))
		if e.Status != status || e.Endpoint != "GET /x" {
			t.Fatalf("status/endpoint not kept: %+v", e)
		}
		if len([]rune(e.Message)) > 360 {
			t.Fatalf("message not bounded: %d runes", len([]rune(e.Message)))
		}
		_ = e.Error()
	})
}

func TestParseRateHeaders(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    map[string]string
		want rateHeaders
	}{
		{"documented example", map[string]string{"x-ratelimit-limit": "40", "x-ratelimit-remaining": "39", "x-ratelimit-reset": "2"},
			rateHeaders{limit: 40, hasLimit: true, remaining: 39, hasRemaining: true, reset: 2 * time.Second, hasReset: true}},
		{"daily tokens", map[string]string{"x-daily-ratelimit-token-limit": "30000", "x-daily-ratelimit-token-remaining": "120"},
			rateHeaders{dailyLimit: 30000, hasDailyLimit: true, dailyLeft: 120, hasDailyLeft: true}},
		{"fractional reset", map[string]string{"x-ratelimit-reset": "0.5"}, rateHeaders{reset: 500 * time.Millisecond, hasReset: true}},
		{"retry-after seconds", map[string]string{"retry-after": "10"}, rateHeaders{retryAfter: 10 * time.Second, hasRetryAfter: true}},
		{"retry-after date", map[string]string{"retry-after": "Sat, 28 Nov 2026 12:00:30 GMT"}, rateHeaders{retryAfter: 30 * time.Second, hasRetryAfter: true}},
		{"retry-after past date", map[string]string{"retry-after": "Sat, 28 Nov 2026 11:00:00 GMT"}, rateHeaders{hasRetryAfter: true}},
		{"huge reset capped", map[string]string{"x-ratelimit-reset": "1e12"}, rateHeaders{reset: maxWait, hasReset: true}},
		{"garbage ignored", map[string]string{"x-ratelimit-limit": "abc", "x-ratelimit-remaining": "-1", "x-ratelimit-reset": "NaN", "retry-after": "soon"}, rateHeaders{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.h {
				h.Set(k, v)
			}
			got := parseRateHeaders(h, now)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(rateHeaders{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseRateHeaders(f *testing.F) {
	f.Add("20", "0", "2", "3", "100")
	f.Add("", "", "1e400", "Mon, 02 Jan 2006 15:04:05 GMT", "-5")
	f.Fuzz(func(t *testing.T, limit, remaining, reset, retry, daily string) {
		h := http.Header{}
		h.Set("X-Ratelimit-Limit", limit)
		h.Set("X-Ratelimit-Remaining", remaining)
		h.Set("X-Ratelimit-Reset", reset)
		h.Set("Retry-After", retry)
		h.Set("X-Daily-Ratelimit-Token-Remaining", daily)
		r := parseRateHeaders(h, time.Unix(0, 0))
		if r.reset < 0 || r.reset > maxWait || r.retryAfter < 0 || r.retryAfter > maxWait {
			t.Fatalf("wait out of bounds: %+v", r)
		}
		if r.limit < 0 || r.remaining < 0 || r.dailyLeft < 0 {
			t.Fatalf("negative count: %+v", r)
		}
		if d := r.resetOr(time.Second); d < 0 || d > maxWait {
			t.Fatalf("resetOr out of bounds: %v", d)
		}
	})
}
