package zhtime

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Minute, "10 分钟"},
		{30 * time.Second, "30 秒"},
		{90 * time.Second, "1 分 30 秒"},
		{time.Hour + 5*time.Minute, "1 小时 5 分钟"},
		{2*time.Hour + 3*time.Second, "2 小时 3 秒"},
		{0, "0 秒"},
		{300 * time.Millisecond, "0.3 秒"},
		{1499 * time.Millisecond, "1 秒"},
	} {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
