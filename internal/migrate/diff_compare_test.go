package migrate

import "testing"

func TestContains(t *testing.T) {
	tests := []struct {
		name      string
		want, got any
		ok        bool
	}{
		{"same string", "Acme", "Acme", true},
		{"trimmed", "Acme ", " Acme", true},
		{"different string", "Acme", "Acme Ltd", false},
		{"html escaped", "Tom & Jerry", "Tom &amp; Jerry", true},
		{"int vs float", int64(42), float64(42), true},
		{"numeric string vs number", "12.5", float64(12.5), true},
		{"different number", int64(42), float64(43), false},
		{"same instant", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00+01:00", true},
		{"v1 time", "2024-03-01T10:00:00Z", "2024-03-01 10:00:00", true},
		{"different instant", "2024-03-01T10:00:00Z", "2024-03-01 10:00:01", false},
		{"nil vs empty", nil, "", true},
		{"nil vs value", nil, "x", false},
		{"value vs missing", "x", nil, false},
		{"emails subset", []any{map[string]any{"value": "a@x.io", "primary": true}},
			[]any{map[string]any{"value": "a@x.io", "primary": true, "label": "work"}}, true},
		{"email missing", []any{map[string]any{"value": "a@x.io"}}, []any{map[string]any{"value": "b@x.io"}}, false},
		{"ids any order", []int64{3, 1}, []any{float64(1), float64(2), float64(3)}, true},
		{"id missing", []int64{4}, []any{float64(1)}, false},
		{"monetary object", float64(100), map[string]any{"value": float64(100), "currency": "EUR"}, true},
		{"v1 link object", int64(7), map[string]any{"value": float64(7), "name": "Acme"}, true},
		{"map extra keys", map[string]any{"a": "1"}, map[string]any{"a": "1", "b": "2"}, true},
		{"map differs", map[string]any{"a": "1"}, map[string]any{"a": "2"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contains(tt.want, tt.got); got != tt.ok {
				t.Errorf("contains(%#v, %#v) = %v, want %v", tt.want, tt.got, got, tt.ok)
			}
		})
	}
}
