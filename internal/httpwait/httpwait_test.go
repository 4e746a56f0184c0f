package httpwait

import (
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	limit := time.Hour
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"  ", 0, false},
		{"2", 2 * time.Second, true},
		{" 1.5 ", 1500 * time.Millisecond, true},
		{"0", 0, true},
		{"-1", 0, false},
		{"NaN", 0, false},
		{"soon", 0, false},
		{"99999999", time.Hour, true},
		{"+Inf", time.Hour, true},
		{"Wed, 02 Dec 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Wed, 02 Dec 2026 11:00:00 GMT", 0, true},
		{"Thu, 03 Dec 2026 12:00:00 GMT", time.Hour, true},
	}
	for _, tc := range tests {
		got, ok := RetryAfter(tc.in, now, limit)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"2", "1.5", "Wed, 02 Dec 2026 12:00:30 GMT", "-3", "1e308"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := RetryAfter(v, now, time.Minute)
		if d < 0 || d > time.Minute {
			t.Fatalf("RetryAfter(%q) = %v, outside [0, limit]", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("RetryAfter(%q) = %v with ok=false", v, d)
		}
	})
}
