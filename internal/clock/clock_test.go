package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRealSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want error
	}{
		{"zero returns at once", context.Background(), 0, nil},
		{"negative returns at once", context.Background(), -time.Second, nil},
		{"short sleep ends", context.Background(), time.Millisecond, nil},
		{"cancelled context ends a long sleep", ctx, time.Hour, context.Canceled},
	}
	for _, tc := range tests {
		if err := (Real{}).Sleep(tc.ctx, tc.d); !errors.Is(err, tc.want) {
			t.Errorf("%s: Sleep = %v, want %v", tc.name, err, tc.want)
		}
	}
	var _ Clock = Real{}
}
