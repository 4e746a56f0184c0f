package webhook

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 5, 20, 11, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-05-20T11:00:00Z", want, true},
		{"2026-05-20T13:00:00+02:00", want, true},
		{"2026-05-20T11:00:00.000Z", want, true},
		{"2026-05-20T11:00:00", want, true},
		{"2026-05-20 11:00:00", want, true},
		{"2026-05-20", want.Truncate(24 * time.Hour), true},
		{"1779274800", want, true},
		{"1779274800000", want, true},
		{" ", time.Time{}, false},
		{"20/05/2026", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{`"a b"`, "a b", false},
		{`12000.50`, "12000.50", false},
		{`1e400`, "1e400", false},
		{`true`, "true", false},
		{`null`, "", false},
		{`{"a":1}`, "", true},
		{`[1]`, "", true},
	}
	for _, tt := range tests {
		var v struct{ X Text }
		err := json.Unmarshal([]byte(`{"X":`+tt.in+`}`), &v)
		if (err != nil) != tt.err || string(v.X) != tt.want {
			t.Errorf("Text(%s) = %q, %v; want %q, error %v", tt.in, v.X, err, tt.want, tt.err)
		}
	}
}
