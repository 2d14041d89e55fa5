package main

import (
	"fmt"
	"time"

	"github.com/regscreen/regscreen/report"
)

// writeReport writes a report table to stdout or to a file that appears
// whole, in the format checked by report.TableFormat.
func writeReport(ios *IOStreams, path, format string, t *report.Table) error {
	if path == "" {
		if format == "xlsx" && ios.OutTTY {
			return fmt.Errorf("工作簿不能显示在终端上；请用 -o 指定文件，如 -o 报表.xlsx")
		}
		return report.WriteTable(ios.Out, format, t, false)
	}
	if err := report.SaveTable(path, format, t); err != nil {
		return fileError("写出", path, err)
	}
	fmt.Fprintf(ios.ErrOut, "已写出 %s\n", path)
	return nil
}

// parseDate reads a date flag, YYYY-MM-DD, in local time.
func parseDate(flag, s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return t, fmt.Errorf("%s 应为 年-月-日，如 2026-11-01（收到 %q）", flag, s)
	}
	return t, nil
}
