// Package xlsxdamage builds the damaged and hostile workbooks of the
// damage corpus (fixtures/damage/xlsx-*), each with its .want file in the
// corpus format (docs: the damage-corpus contract). Writing is
// deterministic, so the input tests can check the committed files are the
// ones this builds.
package xlsxdamage

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"time"
)

// Case is one workbook and what a scan of it must report.
type Case struct {
	Name  string
	Want  string
	Write func(io.Writer) error
}

// Records is how many company records the ordinary cases hold.
const Records = 1000

// Small are the cases committed to fixtures/damage.
func Small() []Case {
	return []Case{
		damaged("xlsx-control-char", 300, func(s string) string { return strings.Replace(s, "某某", "某\x01某", 1) },
			"reject: 301 控制字符\nnote: 1000 条记录，第 300 条（工作表第 301 行）的企业名称含原始控制字符 0x01：拒收该行，其余照读\n"),
		damaged("xlsx-bad-tag", 500, func(s string) string { return strings.Replace(s, "</t></is></c>", "</t></is></x>", 1) },
			"reject: 501 XML 错误\nnote: 第 501 行有不匹配的结束标签 </x>：拒收该行，从下一行起照读\n"),
		damaged("xlsx-unknown-entity", 200, func(s string) string { return strings.Replace(s, "某某", "某&nbsp;某", 1) },
			"reject: 201 未知的 XML 实体\nnote: 第 201 行含 XML 未定义的实体 &nbsp;：拒收该行，其余照读\n"),
		damaged("xlsx-cells-out-of-order", 300, func(s string) string {
			// the scope cell (B) before the name cell (A)
			i := strings.Index(s, `<c r="B`)
			j := strings.Index(s, `</row>`)
			a := strings.Index(s, `<c r="A`)
			return s[:a] + s[i:j] + s[a:i] + s[j:]
		}, "reject: 301 顺序错乱\nnote: 第 301 行的 B 列单元格写在 A 列之前（Excel 不会这样写）：拒收并说明是顺序错乱，而不是“字段数不符”\n"),
		damaged("xlsx-cell-flood", 5, func(s string) string {
			return strings.Replace(s, "</row>", strings.Repeat("<c/>", 20000)+"</row>", 1)
		}, "reject: 6 16384 列\nnote: 第 6 行末尾有 20000 个空的 <c/>（无列号）：超过 Excel 的列数上限，拒收该行，而不是按 20002 列的行报“字段数不符”\n"),
		truncated(),
		entryCut(),
		fallbackThenDamage(),
		splitSheets(),
		rowsPastLimit(),
		bigCell(),
		badSharedString(),
		unrelated(),
	}
}

// Hostile are the cases that inflate to gigabytes: never committed.
func Hostile() []Case {
	return []Case{Whitespace("xlsx-whitespace-3g", 3<<30), BigSharedString("xlsx-sst-1g", 1<<30), EmptyCells("xlsx-empty-cells-3g", 3<<30/4),
		SharedStringsBomb("xlsx-sst-bomb-255m", 255<<20)}
}

var modified = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// pkg writes a workbook package: one sheet, optional shared strings; a
// part's body is written by a function so that huge parts stream.
func pkg(w io.Writer, sheetName string, sheet func(io.Writer) error, sst func(io.Writer) error) error {
	return pkgSheets(w, []sheetPart{{name: sheetName, body: sheet}}, sst)
}

// sheetPart is one sheet of a package: its name, state ("", "hidden",
// "veryHidden") and XML.
type sheetPart struct {
	name, state string
	body        func(io.Writer) error
}

// pkgSheets writes a workbook package of several sheets.
func pkgSheets(w io.Writer, sheets []sheetPart, sst func(io.Writer) error) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	put := func(name string, body func(io.Writer) error) error {
		pw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		return body(pw)
	}
	str := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	var types, wbSheets, rels strings.Builder
	for i, sh := range sheets {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		state := ""
		if sh.state != "" {
			state = ` state="` + sh.state + `"`
		}
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, sh.name, i+1, state, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	if sst != nil {
		// rId2 when there is one sheet, as the committed cases were written
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, len(sheets)+1)
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
	}
	parts := []struct {
		name string
		body func(io.Writer) error
	}{
		{"[Content_Types].xml", str(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` + types.String() + `</Types>`)},
		{"_rels/.rels", str(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", str(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + wbSheets.String() + `</sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", str(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`)},
	}
	for i, sh := range sheets {
		parts = append(parts, struct {
			name string
			body func(io.Writer) error
		}{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), sh.body})
	}
	if sst != nil {
		parts = append(parts, struct {
			name string
			body func(io.Writer) error
		}{"xl/sharedStrings.xml", sst})
	}
	for _, p := range parts {
		if err := put(p.name, p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

func inline(ref, s string) string {
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
}

// record i (1-based) as the sheet's row i+1, below the header.
func name(i int) string { return fmt.Sprintf("宁波江北某某%04d贸易有限公司", i) }
func scope(i int) string {
	if i%10 == 0 {
		return "理财咨询；企业管理咨询"
	}
	return "五金交电批发、零售"
}

func rowXML(i int) string {
	r := i + 1
	return fmt.Sprintf(`<row r="%d">%s%s</row>`, r, inline(fmt.Sprintf("A%d", r), name(i)), inline(fmt.Sprintf("B%d", r), scope(i)))
}

func headerXML() string {
	return `<row r="1">` + inline("A1", "企业名称") + inline("B1", "经营范围") + `</row>`
}

// damaged is the ordinary sheet with record bad's row changed by f.
func damaged(caseName string, bad int, f func(string) string, want string) Case {
	return Case{Name: caseName, Want: fmt.Sprintf("rows: %d\nrejected: 1\nargs: --max-rejects 1\n%s", Records, want), Write: func(w io.Writer) error {
		return pkg(w, "登记信息", func(w io.Writer) error {
			var b strings.Builder
			b.WriteString(sheetHead + headerXML())
			for i := 1; i <= Records; i++ {
				row := rowXML(i)
				if i == bad {
					row = f(row)
				}
				b.WriteString(row)
			}
			b.WriteString(sheetTail)
			_, err := io.WriteString(w, b.String())
			return err
		}, nil)
	}}
}

// truncated cuts the sheet XML in the middle of record 600's row.
func truncated() Case {
	return Case{Name: "xlsx-truncated", Want: "refuse: 第 601 行起：工作表：XML 不完整\n" +
		"note: 工作表 XML 在第 601 行（第 600 条记录）中途截断（下载中断）：其后有多少行无从得知，整个文件拒绝，而不是读 599 条当作完整的导出\n",
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sheetHead + headerXML())
				for i := 1; i < 600; i++ {
					b.WriteString(rowXML(i))
				}
				last := rowXML(600)
				b.WriteString(last[:len(last)/2])
				_, err := io.WriteString(w, b.String())
				return err
			}, nil)
		}}
}

// bigCell holds a 2 MiB scope in record 10 of 20.
func bigCell() Case {
	return Case{Name: "xlsx-big-cell", Want: "rows: 20\nrejected: 1\nargs: --max-rejects 1\nreject: 11 超过 1048576 字节\nnote: 第 11 行的经营范围有 2 MiB：超过单元格上限，拒收该行\n",
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sheetHead + headerXML())
				for i := 1; i <= 20; i++ {
					if i == 10 {
						fmt.Fprintf(&b, `<row r="11">%s%s</row>`, inline("A11", name(i)), inline("B11", strings.Repeat("理财", 2<<20/6)))
						continue
					}
					b.WriteString(rowXML(i))
				}
				b.WriteString(sheetTail)
				_, err := io.WriteString(w, b.String())
				return err
			}, nil)
		}}
}

// sharedSheet is a sheet of n records whose cells are shared strings
// 2i-2 (name) and 2i-1 (scope).
func sharedSheet(n int) func(io.Writer) error {
	return func(w io.Writer) error {
		var b strings.Builder
		b.WriteString(sheetHead + headerXML())
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c></row>`, i+1, i+1, 2*i-2, i+1, 2*i-1)
		}
		b.WriteString(sheetTail)
		_, err := io.WriteString(w, b.String())
		return err
	}
}

const sstHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`

// badSharedString damages the shared string of record 7's name.
func badSharedString() Case {
	return Case{Name: "xlsx-bad-shared-string", Want: "rows: 20\nrejected: 1\nargs: --max-rejects 1\nreject: 8 共享字符串\nnote: 共享字符串表中第 12 项含未定义的实体：引用它的第 8 行拒收，其余照读\n",
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", sharedSheet(20), func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sstHead)
				for i := 1; i <= 20; i++ {
					n := name(i)
					if i == 7 {
						n = strings.Replace(n, "某某", "某&bogus;某", 1)
					}
					fmt.Fprintf(&b, `<si><t>%s</t></si><si><t>%s</t></si>`, n, scope(i))
				}
				b.WriteString(`</sst>`)
				_, err := io.WriteString(w, b.String())
				return err
			})
		}}
}

// unrelated is a budget workbook: no column a company register has.
func unrelated() Case {
	return Case{Name: "xlsx-unrelated", Want: "refuse: 企业名称\nnote: 与企业登记无关的工作簿（预算表）：找不到企业名称列，拒绝而不是读 0 行\n",
		Write: func(w io.Writer) error {
			return pkg(w, "预算", func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sheetHead + `<row r="1">` + inline("A1", "项目") + inline("B1", "金额") + `</row>`)
				for i := 1; i <= 12; i++ {
					fmt.Fprintf(&b, `<row r="%d">%s<c r="B%d"><v>%d</v></c></row>`, i+1, inline(fmt.Sprintf("A%d", i+1), fmt.Sprintf("%d 月办公用品", i)), i+1, 1000*i)
				}
				b.WriteString(sheetTail)
				_, err := io.WriteString(w, b.String())
				return err
			}, nil)
		}}
}

// Whitespace puts n bytes of white space between records 5 and 6 of 10:
// a few MB on disk, n once inflated.
func Whitespace(caseName string, n int64) Case {
	return Case{Name: caseName, Want: fmt.Sprintf("refuse: 连续空白\nnote: 10 条记录之间夹着 %d 字节空白（压缩后只有几 MB）：超过空白上限，拒绝读取\n", n),
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sheetHead + headerXML())
				for i := 1; i <= 5; i++ {
					b.WriteString(rowXML(i))
				}
				if _, err := io.WriteString(w, b.String()); err != nil {
					return err
				}
				if err := repeat(w, ' ', n); err != nil {
					return err
				}
				b.Reset()
				for i := 6; i <= 10; i++ {
					b.WriteString(rowXML(i))
				}
				b.WriteString(sheetTail)
				_, err := io.WriteString(w, b.String())
				return err
			}, nil)
		}}
}

// EmptyCells puts n empty cells (<c/>, no value) between records 5 and 6
// of 10, in rows of 16,000 (under Excel's column limit, so no row is
// rejected for its width): a few MB on disk, 4n bytes once inflated.
func EmptyCells(caseName string, n int64) Case {
	return Case{Name: caseName, Want: fmt.Sprintf("refuse: 没有值的单元格\nnote: 10 条记录之间夹着 %d 个空的 <c/>（%d 字节，压缩后只有几 MB）：超过空单元格上限，拒绝读取，而不是花几十秒读完\n", n, 4*n),
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sheetHead + headerXML())
				for i := 1; i <= 5; i++ {
					b.WriteString(rowXML(i))
				}
				if _, err := io.WriteString(w, b.String()); err != nil {
					return err
				}
				const perRow = 16000
				row := "<row>" + strings.Repeat("<c/>", perRow) + "</row>"
				for left := n; left > 0; left -= perRow {
					r := row
					if left < perRow {
						r = "<row>" + strings.Repeat("<c/>", int(left)) + "</row>"
					}
					if _, err := io.WriteString(w, r); err != nil {
						return err
					}
				}
				b.Reset()
				rows := int((n + perRow - 1) / perRow)
				for i := 6; i <= 10; i++ {
					r := i + 1 + rows
					b.WriteString(fmt.Sprintf(`<row r="%d">%s%s</row>`, r, inline(fmt.Sprintf("A%d", r), name(i)), inline(fmt.Sprintf("B%d", r), scope(i))))
				}
				b.WriteString(sheetTail)
				_, err := io.WriteString(w, b.String())
				return err
			}, nil)
		}}
}

// BigSharedString makes record 5's scope a shared string of n bytes.
func BigSharedString(caseName string, n int64) Case {
	return Case{Name: caseName, Want: fmt.Sprintf("rows: 10\nrejected: 1\nargs: --max-rejects 1\nreject: 6 超过 1048576 字节\nnote: 第 5 条记录的经营范围是一个 %d 字节的共享字符串：拒收该行，内存不随之增长\n", n),
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", sharedSheet(10), func(w io.Writer) error {
				if _, err := io.WriteString(w, sstHead); err != nil {
					return err
				}
				for i := 1; i <= 10; i++ {
					if _, err := fmt.Fprintf(w, `<si><t>%s</t></si>`, name(i)); err != nil {
						return err
					}
					if i == 5 {
						io.WriteString(w, "<si><t>")
						if err := repeat(w, 'a', n); err != nil {
							return err
						}
						io.WriteString(w, "</t></si>")
						continue
					}
					fmt.Fprintf(w, `<si><t>%s</t></si>`, scope(i))
				}
				_, err := io.WriteString(w, `</sst>`)
				return err
			})
		}}
}

// SharedStringsBomb follows the 20 shared strings of 10 records with
// entries of 1 KiB until the table's text is n bytes: a few MB on disk.
// Past the table's limit (text with each entry's index) it is refused.
func SharedStringsBomb(caseName string, n int64) Case {
	return Case{Name: caseName, Want: fmt.Sprintf("refuse: 共享字符串表超过\nnote: 共享字符串表有 %d 字节文字（%d 条）：连同每条的索引超过上限，拒绝读取，内存不超过所说的上限\n", n, 20+n/1024),
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", sharedSheet(10), func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sstHead)
				for i := 1; i <= 10; i++ {
					fmt.Fprintf(&b, `<si><t>%s</t></si><si><t>%s</t></si>`, name(i), scope(i))
				}
				if _, err := io.WriteString(w, b.String()); err != nil {
					return err
				}
				entry := "<si><t>" + strings.Repeat("a", 1024) + "</t></si>"
				for left := n; left > 0; left -= 1024 {
					if _, err := io.WriteString(w, entry); err != nil {
						return err
					}
				}
				_, err := io.WriteString(w, `</sst>`)
				return err
			})
		}}
}

func repeat(w io.Writer, c byte, n int64) error {
	chunk := bytes.Repeat([]byte{c}, 1<<20)
	for n > 0 {
		k := min(n, int64(len(chunk)))
		if _, err := w.Write(chunk[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// entryCut is the ordinary sheet whose zip entry holds only the first half
// of its compressed data, the central directory still claiming all of it.
func entryCut() Case {
	return Case{Name: "xlsx-zip-entry-cut", Want: "refuse: 文件不完整\n" +
		"note: 工作表的压缩数据只剩前一半（目录仍在）：解压到中途失败，其后有多少行无从得知，整个文件拒绝\n",
		Write: func(w io.Writer) error {
			var full bytes.Buffer
			if err := damaged("", 0, nil, "").Write(&full); err != nil {
				return err
			}
			zr, err := zip.NewReader(bytes.NewReader(full.Bytes()), int64(full.Len()))
			if err != nil {
				return err
			}
			zw := zip.NewWriter(w)
			for _, f := range zr.File {
				raw, err := f.OpenRaw()
				if err != nil {
					return err
				}
				data, err := io.ReadAll(raw)
				if err != nil {
					return err
				}
				if strings.HasSuffix(f.Name, "sheet1.xml") {
					data = data[:len(data)/2]
				}
				h := f.FileHeader
				pw, err := zw.CreateRaw(&h)
				if err != nil {
					return err
				}
				if _, err := pw.Write(data); err != nil {
					return err
				}
			}
			return zw.Close()
		}}
}

// fallbackThenDamage has an element the streaming reader does not know at
// row 5 (excelize reads on from there) and a mismatched end tag at row 21,
// where excelize used to stop without a word.
func fallbackThenDamage() Case {
	return Case{Name: "xlsx-fallback-then-damage", Want: "refuse: excelize 读到的最后一行之后损坏\n" +
		"note: 第 5 行有本程序不认识的元素（改用 excelize），第 21 行有不匹配的结束标签：excelize 在此悄悄停下，其后 980 行曾丢失；现在整个文件拒绝\n",
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sheetHead + headerXML())
				for i := 1; i <= Records; i++ {
					row := rowXML(i)
					switch i {
					case 4:
						row = strings.Replace(row, "</row>", `<x14:future xmlns:x14="urn:x">?</x14:future></row>`, 1)
					case 20:
						row = strings.Replace(row, "</t></is></c>", "</t></is></x>", 1)
					}
					b.WriteString(row)
				}
				b.WriteString(sheetTail)
				_, err := io.WriteString(w, b.String())
				return err
			}, nil)
		}}
}

// records writes a sheet of the header (with title rows above it) and
// records from..to.
func records(titles []string, header string, from, to int) func(io.Writer) error {
	return func(w io.Writer) error {
		var b strings.Builder
		b.WriteString(sheetHead)
		for i, t := range titles {
			fmt.Fprintf(&b, `<row r="%d">%s</row>`, i+1, inline(fmt.Sprintf("A%d", i+1), t))
		}
		off := len(titles)
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(header, `r="1"`, fmt.Sprintf(`r="%d"`, off+1)), `1"`, fmt.Sprintf(`%d"`, off+1)))
		for i := from; i <= to; i++ {
			r := off + i - from + 2
			fmt.Fprintf(&b, `<row r="%d">%s%s</row>`, r, inline(fmt.Sprintf("A%d", r), name(i)), inline(fmt.Sprintf("B%d", r), scope(i)))
		}
		b.WriteString(sheetTail)
		_, err := io.WriteString(w, b.String())
		return err
	}
}

// splitSheets is one export over several sheets, behind a 填写模板 sheet
// that holds the header alone, with a hidden sheet and one of another
// layout: the data sheets were never read (only the first sheet with a
// header was).
func splitSheets() Case {
	other := `<row r="1">` + inline("A1", "企业名称") + inline("B1", "列入原因") + inline("C1", "列入日期") + `</row>`
	return Case{Name: "xlsx-split-sheets", Want: "rows: 1000\nrejected: 0\n" +
		"note: 填写模板（只有表头）在前，数据在“江北1”（600 条，表头上有标题行）和“江北2”（400 条）：都读；隐藏的“旧数据”和表头不同的“黑名单”不读，在汇总中说明\n",
		Write: func(w io.Writer) error {
			return pkgSheets(w, []sheetPart{
				{name: "填写模板", body: records(nil, headerXML(), 1, 0)},
				{name: "江北1", body: records([]string{"江北区企业登记信息（第一部分）"}, headerXML(), 1, 600)},
				{name: "旧数据", state: "veryHidden", body: records(nil, headerXML(), 2001, 2005)},
				{name: "江北2", body: records(nil, headerXML(), 601, 1000)},
				{name: "黑名单", body: records(nil, other, 3001, 3003)},
			}, nil)
		}}
}

// rowsPastLimit has empty rows numbered past Excel's last row under its
// records: each was one reject (a 2.3 MB workbook wrote 85 million reject
// lines); the sheet is refused once.
func rowsPastLimit() Case {
	return Case{Name: "xlsx-rows-past-limit", Want: "refuse: 超过 Excel 的上限 1048576 行\n" +
		"note: 20 条记录之下是行号 1048577 起的空行：Excel 不会写出，每行拒收一次曾写出数千万行拒收记录；现在整个文件拒绝一次\n",
		Write: func(w io.Writer) error {
			return pkg(w, "登记信息", func(w io.Writer) error {
				var b strings.Builder
				b.WriteString(sheetHead + headerXML())
				for i := 1; i <= 20; i++ {
					b.WriteString(rowXML(i))
				}
				for r := 1048577; r < 1048577+1000; r++ {
					fmt.Fprintf(&b, `<row r="%d"/>`, r)
				}
				b.WriteString(sheetTail)
				_, err := io.WriteString(w, b.String())
				return err
			}, nil)
		}}
}
