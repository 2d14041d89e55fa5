package input

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
)

// odsMime is the first entry of every OpenDocument spreadsheet, stored
// uncompressed right after the zip's first local header.
var odsMime = []byte("application/vnd.oasis.opendocument.spreadsheet")

// sniffFormat names the format of a file from its first bytes whatever
// its extension: an OLE2 compound file is .xls (a .xls renamed .xlsx or
// .csv is still one), a zip whose first entry says OpenDocument is .ods.
// It returns "" when the bytes do not decide.
func sniffFormat(head []byte) string {
	switch {
	case bytes.HasPrefix(head, ole2Magic):
		return "xls"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) && bytes.Contains(head[:min(len(head), 256)], odsMime):
		return "ods"
	}
	return ""
}

// unreadFormat is the one line said for a spreadsheet format this program
// does not read, or "" when ext and head are none of them.
func unreadFormat(display, ext, format string, head []byte) string {
	switch {
	case format == "ods" || ext == ".ods" || ext == ".ots" || ext == ".fods":
		return fmt.Sprintf("%s 是 OpenDocument 电子表格（.ods，LibreOffice/WPS 的格式），本程序不能直接读取；"+
			"请用 LibreOffice、WPS 或 Excel 打开，另存为“Excel 工作簿 (*.xlsx)”或 CSV 后再筛查", display)
	case ext == ".et" || ext == ".ett":
		return fmt.Sprintf("%s 是 WPS 表格的 .et 文件，本程序不能直接读取；请用 WPS 打开，"+
			"“文件 → 另存为”选“Excel 工作簿 (*.xlsx)”或“CSV”后再筛查", display)
	case (ext == ".xls" || format == "xls") && !bytes.HasPrefix(head, ole2Magic) && !bytes.HasPrefix(head, []byte("PK\x03\x04")):
		t := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n"))
		switch {
		case bytes.HasPrefix(t, []byte("<?xml")) && bytes.Contains(t, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
			return fmt.Sprintf("%s 扩展名是 .xls，内容却是“XML 电子表格 2003”，本程序不能直接读取；%s", display, xlsSaveAs)
		case bytes.HasPrefix(t, []byte("<")):
			return fmt.Sprintf("%s 扩展名是 .xls，内容却是网页（HTML）表格（一些系统这样导出），本程序不能直接读取；%s", display, xlsSaveAs)
		case format == "xls" && len(head) > 0:
			return fmt.Sprintf("%s 不是 Excel 97–2003 工作簿（.xls）：开头没有 OLE2 文件标志，文件可能已损坏或不是 .xls；去掉 --input-format 可自动识别格式", display)
		}
	case format == "" || format == "csv" || format == "tsv":
		t := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n"))
		if bytes.HasPrefix(t, []byte("<!doctype html")) || bytes.HasPrefix(t, []byte("<html")) {
			return fmt.Sprintf("%s 找不到表头：文件是网页（HTML），不是导出的表格（可能下载到的是登录页或出错页面）；请在系统中重新导出后再筛查", display)
		}
	}
	return ""
}

// extOf is a path's extension in lower case.
func extOf(path string) string { return strings.ToLower(filepath.Ext(path)) }
