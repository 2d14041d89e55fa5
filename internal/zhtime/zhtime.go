// Package zhtime words durations the way a Chinese sentence says them
// ("10 分钟", "1 分 30 秒"), where Go's "10m0s" would leak into a message.
package zhtime

import (
	"fmt"
	"strings"
	"time"
)

// Duration is d in hours, minutes and seconds, rounded to the second;
// under a second, in tenths ("0.3 秒").
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d > 0 && d < time.Second {
		return fmt.Sprintf("%.1f 秒", d.Seconds())
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d 小时", h))
	}
	if m > 0 {
		unit := "分钟"
		if s > 0 {
			unit = "分" // "1 分 30 秒"
		}
		parts = append(parts, fmt.Sprintf("%d %s", m, unit))
	}
	if s > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d 秒", s))
	}
	return strings.Join(parts, " ")
}
