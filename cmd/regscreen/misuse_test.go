package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/internal/fixture"
)

// english catches Go's, cobra's and the OS's English leaking into what a
// clerk reads.
var english = regexp.MustCompile(`(?i)no such file|not a valid|invalid argument|unknown (flag|command|shorthand)|accepts \d|received \d|` +
	`permission denied|is a directory|file exists|parsing time|strconv\.|\bexit status\b|\berror\b|\bflags\]|help for|` +
	`\b[a-z]{2,} [a-z]{2,} [a-z]{3,}\b`) // any three English words in a row

// TestMisuseGetsOneChineseLine runs each mistake a clerk can make through
// the CLI, in an empty working directory: exit 2, one line of Chinese that
// says what to do, no stack trace, no English, no file left behind.
func TestMisuseGetsOneChineseLine(t *testing.T) {
	dir := t.TempDir()
	sample := fixture.Path("sample.csv")
	csvCopy := filepath.Join(dir, "导出.csv")
	data, _ := os.ReadFile(sample)
	os.WriteFile(csvCopy, data, 0o644)
	other := excelize.NewFile()
	other.SetCellValue("Sheet1", "A1", "与本程序无关的表格")
	unrelated := filepath.Join(dir, "无关.xlsx")
	other.SaveAs(unrelated)
	os.Mkdir(filepath.Join(dir, "一个目录"), 0o755)
	// Not stores: a text file and random bytes given as --db (their lock
	// files made beforehand: opening a store makes one, by design).
	textDB, junkDB := filepath.Join(dir, "名单.txt"), filepath.Join(dir, "乱码.db")
	os.WriteFile(textDB, []byte("这是一个文本文件，不是存储\n"), 0o644)
	junk := make([]byte, 8192)
	for i := range junk {
		junk[i] = byte(i*7919 + i>>3)
	}
	os.WriteFile(junkDB, junk, 0o644)
	// What an interrupted first scan --db leaves: an empty file.
	emptyDB := filepath.Join(dir, "空.db")
	os.WriteFile(emptyDB, nil, 0o644)
	os.WriteFile(emptyDB+".lock", nil, 0o644)
	os.WriteFile(textDB+".lock", nil, 0o644)
	os.WriteFile(junkDB+".lock", nil, 0o644)
	book := filepath.Join(dir, "会商名单.xlsx")
	if code := Run([]string{"scan", "-q", "-o", book, csvCopy}, &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}); code != exitFlagged {
		t.Fatalf("making a workbook: exit %d", code)
	}
	oneRun := filepath.Join(dir, "一次.db")
	if code := Run([]string{"scan", "-q", "--db", oneRun, csvCopy}, &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}); code != exitFlagged {
		t.Fatalf("making a store: exit %d", code)
	}
	noDir := filepath.Join(dir, "没有", "全区.db")
	// .xls as clerks get them: cut short in a download, a web page saved
	// under .xls by a registration system.
	xls, _ := os.ReadFile(fixture.Path("exports/sample.xls"))
	cutXLS, htmlXLS := filepath.Join(dir, "下载中断.xls"), filepath.Join(dir, "网页.xls")
	os.WriteFile(cutXLS, xls[:len(xls)/2], 0o644)
	os.WriteFile(htmlXLS, []byte("<html><body><table><tr><td>企业名称</td></tr></table></body></html>"), 0o644)

	cases := []struct {
		name       string
		args       []string
		inTTY      bool
		outTTY     bool
		wantInText string
	}{
		{"unknown flag", []string{"scan", "--frobnicate", csvCopy}, false, false, "未知的选项 --frobnicate"},
		{"unknown command", []string{"scna"}, false, false, "未知的命令"},
		// Each command group refuses a word that is none of its commands.
		{"unknown db command", []string{"db", "frob"}, false, false, "未知的命令 “frob”；用 “regscreen db --help” 查看全部命令"},
		{"mistyped db command", []string{"db", "run"}, false, false, "未知的命令 “run”，是不是 runs？"},
		{"unknown dict command", []string{"dict", "frob"}, false, false, "未知的命令 “frob”；用 “regscreen dict --help”"},
		{"mistyped report command", []string{"report", "monthy"}, false, false, "未知的命令 “monthy”，是不是 monthly？"},
		{"unknown completion shell", []string{"completion", "frob"}, false, false, "未知的命令 “frob”"},
		{"missing argument", []string{"history"}, false, false, "需要 1 个参数"},
		{"flag without value", []string{"scan", csvCopy, "-o"}, false, false, "需要一个值"},
		{"workers zero", []string{"scan", "--workers", "0", csvCopy}, false, false, "--workers 至少为 1"},
		{"monthly of last month with this month's run only", []string{"report", "monthly", "--db", oneRun}, false, false, "本月的月报请用 --month " + time.Now().Format("2006-01")},
		{"changes with one run", []string{"changes", "--db", oneRun}, false, false, "只有一次完成的运行（运行 1），无从比较"},
		{"changes backwards", []string{"changes", "--db", oneRun, "--from", "2", "--to", "1"}, false, false, "--from 2 须早于 --to 1"},
		{"no header, column out of range", []string{"scan", "--no-header", "--name-col", "99", csvCopy}, false, false, "超出范围"},
		{"workers not a number", []string{"scan", "--workers", "abc", csvCopy}, false, false, "应为整数"},
		{"a directory as input", []string{"scan", filepath.Join(dir, "一个目录")}, false, false, "是目录"},
		{"a missing input", []string{"scan", filepath.Join(dir, "没有这个文件.csv")}, false, false, "不存在"},
		{"output into a missing directory", []string{"scan", "-o", filepath.Join(dir, "没有/x.csv"), csvCopy}, false, false, "不存在"},
		{"output is a directory", []string{"scan", "-o", filepath.Join(dir, "一个目录"), csvCopy}, false, false, "是目录"},
		{"unknown output extension", []string{"scan", "-o", filepath.Join(dir, "x.dat"), csvCopy}, false, false, "无法从文件名"},
		{"format against extension", []string{"scan", "--format", "csv", "-o", filepath.Join(dir, "x.xlsx"), csvCopy}, false, false, "扩展名不符"},
		{"split into a file name", []string{"scan", "--split-by", "street", "-o", filepath.Join(dir, "x.csv"), csvCopy}, false, false, "是目录，不能是"},
		{"workbook to a terminal", []string{"scan", "--format", "xlsx", csvCopy}, false, true, "不能显示在终端上"},
		{"no input at a terminal", []string{"scan"}, true, false, "没有给出要筛查的文件"},
		{"output overwrites the input", []string{"scan", "-o", csvCopy, csvCopy}, false, false, "会覆盖输入"},
		{"rejects and output the same", []string{"scan", "-o", filepath.Join(dir, "r.csv"), "--rejects", filepath.Join(dir, "r.csv"), csvCopy}, false, false, "是同一个文件"},
		{"bad output encoding", []string{"scan", "--out-encoding", "big5", "-o", filepath.Join(dir, "x.csv"), csvCopy}, false, false, "不支持的输出编码"},
		{"bad delimiter", []string{"scan", "--delimiter", "#", csvCopy}, false, false, "不支持的分隔符"},
		{"too many rejects", []string{"scan", "--max-rejects", "0", "-o", filepath.Join(dir, "y.csv"), fixture.Path("exports/damaged.csv")}, false, false, "超过 --max-rejects 0"},
		{"since not a date", []string{"changes", "--db", filepath.Join(dir, "s.db"), "--since", "11/01/2026"}, false, false, "应为 年-月-日"},
		{"month not a month", []string{"report", "monthly", "--db", filepath.Join(dir, "s.db"), "--month", "2026/10"}, false, false, "应为 年-月"},
		{"history as xml", []string{"history", "--db", filepath.Join(dir, "s.db"), "--format", "xml", "91330205AY4CL12THT"}, false, false, "不支持的输出格式 \"xml\"（可用：text、jsonl）"},
		{"monthly as jsonl", []string{"report", "monthly", "--db", filepath.Join(dir, "s.db"), "--format", "jsonl"}, false, false, "不支持 \"jsonl\""},
		{"import a CSV", []string{"db", "import-status", "--db", filepath.Join(dir, "s.db"), csvCopy}, false, false, "不是有效的 XLSX 文件"},
		{"import an unrelated workbook", []string{"db", "import-status", "--db", filepath.Join(dir, "s.db"), unrelated}, false, false, "不是 regscreen 写出的会商工作簿"},
		{"a missing dictionary", []string{"check", "--dict", filepath.Join(dir, "没有.dict"), "理财"}, false, false, "没有.dict"},
		{"help on nothing", []string{"help", "nothing"}, false, false, "没有命令"},
		{"changes on a mistyped store", []string{"changes", "--db", filepath.Join(dir, "不存在.db")}, false, false, "不存在"},
		{"runs on a mistyped store", []string{"db", "runs", "--db", filepath.Join(dir, "p.db.typo")}, false, false, "不存在"},
		{"history on a mistyped store", []string{"history", "--db", filepath.Join(dir, "不存在.db"), "91330205AY4CL12THT"}, false, false, "不存在"},
		{"runs on a text file", []string{"db", "runs", "--db", textDB}, false, false, "不是 regscreen 存储或已损坏"},
		{"history on random bytes", []string{"history", "--db", junkDB, "91330205AY4CL12THT"}, false, false, "不是 regscreen 存储或已损坏"},
		{"scan into a text file", []string{"scan", "--db", textDB, csvCopy}, false, false, "请检查 --db 的路径或从备份恢复"},
		{"prune random bytes", []string{"db", "prune", "--db", junkDB}, false, false, "不是 regscreen 存储或已损坏"},
		{"scan into a missing directory", []string{"scan", "--db", noDir, csvCopy}, false, false, "所在的目录 " + filepath.Dir(noDir) + " 不存在"},
		{"prune in a missing directory", []string{"db", "prune", "--db", noDir}, false, false, "存储 " + noDir + " 不存在；请检查 --db 的路径（只有 scan --db 会新建存储）"},
		{"import into a missing directory", []string{"db", "import-status", "--db", noDir, book}, false, false, "存储 " + noDir + " 不存在；请检查 --db 的路径"},
		// Only scan --db makes a store: a mistyped --db elsewhere creates nothing.
		{"import into a mistyped store", []string{"db", "import-status", "--db", filepath.Join(dir, "nope.db"), book}, false, false, "nope.db 不存在；请检查 --db 的路径（只有 scan --db 会新建存储）"},
		{"prune a mistyped store", []string{"db", "prune", "--db", filepath.Join(dir, "typo.db"), "--keep", "1d"}, false, false, "typo.db 不存在；请检查 --db 的路径（只有 scan --db 会新建存储）"},
		{"runs on an empty store", []string{"db", "runs", "--db", emptyDB}, false, false, "存储 " + emptyDB + " 是空的（还没有完成的运行）；请先运行一次 scan --db"},
		{"changes on an empty store", []string{"changes", "--db", emptyDB}, false, false, "是空的（还没有完成的运行）"},
		{"history on an empty store", []string{"history", "--db", emptyDB, "91330205AY4CL12THT"}, false, false, "是空的（还没有完成的运行）"},
		{"monthly on an empty store", []string{"report", "monthly", "--db", emptyDB}, false, false, "是空的（还没有完成的运行）"},
		{"prune an empty store", []string{"db", "prune", "--db", emptyDB}, false, false, "是空的（还没有完成的运行）"},
		{"import into an empty store", []string{"db", "import-status", "--db", emptyDB, book}, false, false, "是空的（还没有完成的运行）"},
		{"gbk forced on UTF-8", []string{"scan", "--encoding", "gbk", csvCopy}, false, false, "表头像是乱码，文件的编码可能不对：用了 --encoding 的请检查或去掉它"},
		{"utf-8 forced on GBK", []string{"scan", "--encoding", "utf-8", fixture.Path("exports/gbk-title.csv")}, false, false, "用了 --encoding 的请检查或去掉它"},
		{"no such sheet", []string{"scan", "--sheet", "名字", fixture.Path("exports/two-sheets.xlsx")}, false, false, "中没有工作表“名字”；现有工作表：说明、登记信息；请用 --sheet 指定"},
		{"a sheet without a header", []string{"scan", "--sheet", "说明", fixture.Path("exports/two-sheets.xlsx")}, false, false, "“登记信息”表；请用 --name-col"},
		{"no such column", []string{"scan", "--name-col", "公司", csvCopy}, false, false, "第 1 行（表头）：--name-col：找不到名为“公司”的列；表头各列为：统一社会信用代码、企业名称、"},
		{"a long flag with one dash", []string{"scan", "-format", "csv", csvCopy}, false, false, "未知的选项 -format，是不是 --format？"},
		{"-output read as -o utput", []string{"scan", "-output", filepath.Join(dir, "x.csv"), csvCopy}, false, false, "是不是 --output？"},
		{"monthly on a mistyped store", []string{"report", "monthly", "--db", filepath.Join(dir, "不存在.db")}, false, false, "不存在"},
		{"an OpenDocument spreadsheet", []string{"scan", fixture.Path("exports/sample.ods")}, false, false, "是 OpenDocument 电子表格（.ods"},
		{"a WPS .et workbook", []string{"scan", fixture.Path("exports/sample.et")}, false, false, "是 WPS 表格的 .et 文件"},
		{"a .xls cut short", []string{"scan", cutXLS}, false, false, "已损坏或不完整（下载或复制中断？），无法读取；请用 Excel 或 WPS 打开"},
		{"a web page named .xls", []string{"scan", htmlXLS}, false, false, "内容却是网页（HTML）表格"},
		{"a CSV read as .xls", []string{"scan", "--input-format", "xls", csvCopy}, false, false, "开头没有 OLE2 文件标志"},
		{"a missing .xls sheet", []string{"scan", "--sheet", "名字", fixture.Path("exports/sample.xls")}, false, false, "现有工作表：说明、登记信息"},
		{"check with nothing on stdin", []string{"check"}, false, false, "没有从标准输入读到任何文本"},
		{"check with an unknown encoding", []string{"check", "--encoding", "big5"}, false, false, "不支持的编码 \"big5\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := listDir(t, dir)
			var out, errb bytes.Buffer
			code := Run(tc.args, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, InTTY: tc.inTTY, OutTTY: tc.outTTY})
			msg := errb.String()
			if code != exitError {
				t.Errorf("exit %d, want 2; stderr %q", code, msg)
			}
			if !strings.Contains(msg, tc.wantInText) {
				t.Errorf("stderr %q lacks %q", msg, tc.wantInText)
			}
			last := strings.TrimSpace(msg[strings.LastIndex(strings.TrimRight(msg, "\n"), "\n")+1:])
			if !strings.HasPrefix(last, "regscreen: ") || !regexp.MustCompile(`\p{Han}`).MatchString(last) {
				t.Errorf("the last line must be one Chinese sentence: %q", last)
			}
			if strings.Contains(msg, "第 0 行") {
				t.Errorf("a line 0 named: %q", msg)
			}
			if strings.Contains(msg, "。。") || strings.Contains(msg, "？；") || strings.Contains(msg, "--encoding") && strings.Contains(msg, "--name-col") {
				t.Errorf("doubled stop, or an encoding problem sent to --name-col: %q", msg)
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") || english.MatchString(msg) {
				t.Errorf("a stack trace or English leaked: %q", msg)
			}
			if after := listDir(t, dir); after != before {
				t.Errorf("files changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func listDir(t *testing.T, dir string) string {
	var names []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil {
			names = append(names, strings.TrimPrefix(p, dir))
		}
		return nil
	})
	return strings.Join(names, " ")
}
