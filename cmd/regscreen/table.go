package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
)

// tableFormat is the format of a report table: --format, else -o's
// extension, else csv.
func tableFormat(path, format string) string {
	if format != "" {
		return format
	}
	if f, ok := formatByExt[strings.ToLower(filepath.Ext(path))]; ok {
		return f
	}
	return "csv"
}

// checkTableFormat refuses an unknown format before the store is opened.
func checkTableFormat(path, format string, jsonl bool) error {
	f := tableFormat(path, format)
	switch f {
	case "csv", "xlsx", "text":
		return nil
	case "jsonl":
		if jsonl {
			return nil
		}
		return fmt.Errorf("此报表的输出格式为 csv、text 或 xlsx，不支持 %q", f)
	}
	return fmt.Errorf("不支持的输出格式 %q（可用：csv、jsonl、text、xlsx）", f)
}

// writeReport writes a report table to stdout or to a file that appears
// whole; a CSV file gets a BOM and neutralised formula cells.
func writeReport(ios *IOStreams, path, format string, t *report.Table) error {
	format = tableFormat(path, format)
	if path == "" {
		if format == "xlsx" && ios.OutTTY {
			return fmt.Errorf("工作簿不能显示在终端上；请用 -o 指定文件，如 -o 报表.xlsx")
		}
		return report.WriteTable(ios.Out, format, t, false)
	}
	var files output.Files
	defer files.Abort()
	f, err := files.Create(path)
	if err != nil {
		return fileError("创建输出文件", path, err)
	}
	if format == "csv" {
		enc, closeEnc, err := output.Encoded(f, "utf-8", false)
		if err != nil {
			return err
		}
		if err := report.WriteTable(enc, format, t, true); err != nil {
			return err
		}
		if err := closeEnc(); err != nil {
			return err
		}
	} else if err := report.WriteTable(f, format, t, false); err != nil {
		return err
	}
	if err := files.Commit(); err != nil {
		return err
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

// localTime shows a time the store keeps as RFC 3339 UTC in the local
// zone, the way a clerk reads a clock: 2026-12-01 06:42:45. A value that
// does not parse is shown as it is.
func localTime(stored string) string {
	t, err := time.Parse(time.RFC3339, stored)
	if err != nil {
		return stored
	}
	return t.In(time.Local).Format(time.DateTime)
}
