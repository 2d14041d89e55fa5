// Command mkfixtures writes the real-shaped exports in fixtures/exports from
// fixtures/sample.csv: the same records as Windows Excel and the
// registration system save them. Run from the module root:
//
//	go run ./internal/cmd/mkfixtures
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const dir = "fixtures/exports"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mkfixtures:", err)
		os.Exit(1)
	}
}

func run() error {
	f, err := os.Open("fixtures/sample.csv")
	if err != nil {
		return err
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return err
	}
	title := []string{"江北区企业登记信息导出（2026年11月）"}

	// GB18030 CSV, CRLF, a title row above the header, no BOM.
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(title)
	w.WriteAll(rows)
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b.Bytes())
	if err != nil {
		return err
	}
	if err := write("gbk-title.csv", gb); err != nil {
		return err
	}

	// UTF-16LE TSV with BOM (Excel's "Unicode text"), title row included.
	var t bytes.Buffer
	tw := csv.NewWriter(&t)
	tw.Comma = '\t'
	tw.UseCRLF = true
	tw.Write(title)
	tw.WriteAll(rows)
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(t.Bytes())
	if err != nil {
		return err
	}
	if err := write("utf16.tsv", u16); err != nil {
		return err
	}

	// XLSX: a notes sheet first, then the data sheet with a title row.
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "说明")
	x.SetCellValue("说明", "A1", "本工作簿由登记系统导出，数据见“登记信息”表。")
	x.NewSheet("登记信息")
	x.SetCellValue("登记信息", "A1", title[0])
	for i, r := range rows {
		cells := make([]any, len(r))
		for j := range r {
			cells[j] = r[j]
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow("登记信息", cell, &cells); err != nil {
			return err
		}
	}
	var xb bytes.Buffer
	if err := x.Write(&xb); err != nil {
		return err
	}
	if err := write("two-sheets.xlsx", xb.Bytes()); err != nil {
		return err
	}

	// JSON Lines with a title line's worth of nothing: one object per record.
	var j bytes.Buffer
	for _, r := range rows[1:] {
		j.WriteString("{")
		for k, h := range rows[0] {
			kb, _ := json.Marshal(h)
			vb, _ := json.Marshal(r[k])
			if k > 0 {
				j.WriteString(",")
			}
			j.Write(kb)
			j.WriteString(":")
			j.Write(vb)
		}
		j.WriteString("}\n")
	}
	if err := write("sample.jsonl", j.Bytes()); err != nil {
		return err
	}

	// A CSV with each kind of damage between good rows.
	head := strings.Join(rows[0], ",")
	good := func(i int) string { return strings.Join(rows[i], ",") }
	damaged := strings.Join([]string{
		head,
		good(1),                        // line 2: good, referred
		good(2) + ",多出来的字段",            // line 3: too many fields
		strings.Join(rows[3][:5], ","), // line 4: too few fields
		good(4),                        // line 5: good
		strings.Replace(good(5), "宁波", "宁\"波", 1),       // line 6: bare quote
		strings.Replace(good(6), "宁波", "宁\x00波", 1),     // line 7: NUL byte
		strings.Replace(good(7), "宁波", "宁\xff\xfe波", 1), // line 8: invalid UTF-8
		good(8), // line 9: good
		strings.Replace(good(9), ",", ",\"未闭合", 1), // line 10: a quote never closed
		good(10), // line 11: good, not swallowed by line 10
	}, "\n") + "\n"
	if err := write("damaged.csv", []byte(damaged)); err != nil {
		return err
	}

	// An exempt list as a regulator might send it: a header, codes and names.
	ex := "统一社会信用代码,机构名称\n" + rows[13][0] + ",\n," + rows[10][1] + "\n"
	return write("exempt.csv", []byte(ex))
}

func write(name string, data []byte) error {
	return os.WriteFile(filepath.Join(dir, name), data, 0o644)
}
