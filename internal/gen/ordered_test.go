package gen

import (
	"errors"
	"testing"
)

func TestOrdered(t *testing.T) {
	stop := errors.New("stop")
	tests := []struct {
		name    string
		n       int
		stopAt  int // emit fails at this chunk; -1 never
		wantErr error
		wantN   int
	}{
		{"empty", 0, -1, nil, 0},
		{"one", 1, -1, nil, 1},
		{"many in order", 200, -1, nil, 200},
		{"stops at first error", 200, 17, stop, 18},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			err := ordered(tt.n, func(c int) int { return c * c }, func(v int) error {
				got = append(got, v)
				if len(got)-1 == tt.stopAt {
					return stop
				}
				return nil
			})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if len(got) != tt.wantN {
				t.Fatalf("emitted %d results, want %d", len(got), tt.wantN)
			}
			for i, v := range got {
				if v != i*i {
					t.Fatalf("result %d is %d, want %d (out of order)", i, v, i*i)
				}
			}
		})
	}
}
