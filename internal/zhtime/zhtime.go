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

// Local shows a time kept as RFC 3339 (the store keeps UTC) in the local
// zone, the way a clerk reads a clock: 2026-12-01 06:42:45. A value that
// does not parse is shown as it is.
func Local(stored string) string {
	t, err := time.Parse(time.RFC3339, stored)
	if err != nil {
		return stored
	}
	return t.In(time.Local).Format(time.DateTime)
}
