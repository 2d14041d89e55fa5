package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// SheetRejected lists the rows that could not be screened, with what
// screening their raw text found: a stray quote must not hide a company
// that uses a restricted term.
const SheetRejected = "拒收"

// Columns of 拒收.
const (
	ColRow    = "文件和行号"
	ColReject = "拒收原因"
	ColRaw    = "原始内容"
)

var rejectColumns = []string{ColSeq, ColRow, ColReject, ColRaw, ColTerms}

const rejectedTitle = "以下行无法筛查（拒收），未计入送会商；原始内容中出现的限制词以红色标出，请修正这些行后重新筛查。"

// WriteReject adds a rejected row to 拒收, started at the first one; res
// is the screening of its raw text.
func (w *Workbook) WriteReject(e *input.RowError, res *screen.Result) error {
	if w.rejected == nil {
		var err error
		title := append(w.title("拒收的行"), excelize.RichTextRun{Text: "\n" + rejectedTitle, Font: bodyFont()})
		if w.rejected, err = w.newStream(SheetRejected, rejectColumns, len(rejectColumns), title, listKind{}); err != nil {
			return err
		}
	}
	where := fmt.Sprintf("%s 第%d行", e.File, e.Line)
	if e.Column > 0 {
		where += fmt.Sprintf("第%d列", e.Column)
	}
	var terms string
	if res.Verdict == screen.Refer || res.Verdict == screen.Review {
		terms = strings.Join(res.Terms(), "、")
	}
	return w.rejected.add([]any{w.rejected.rows + 1, where, w.plain(e.Reason), w.highlight(e.Raw, res.Hits, "text"), terms})
}

// SheetLicensed lists the companies exempt as licensed institutions
// (--exempt): they use a term but are not referred, and the clerk sees
// which list exempted them.
const SheetLicensed = "持牌机构豁免"

// ColList is the exempt list a company matched.
const ColList = "豁免名单"

var licensedColumns = []string{ColSeq, ColName, ColID, ColTerms, ColList, ColReason, ColScope, ColStreet}

const licensedTitle = "以下企业列入持牌金融机构豁免名单，本次不列入送会商；命中的限制词仍标出供参考。"

// writeLicensed adds a company exempt by the licence list to its sheet,
// started at the first one.
func (w *Workbook) writeLicensed(r *record.Record) error {
	if w.licensed == nil {
		var err error
		title := append(w.title("持牌金融机构豁免企业"), excelize.RichTextRun{Text: "\n" + licensedTitle, Font: bodyFont()})
		if w.licensed, err = w.newStream(SheetLicensed, licensedColumns, len(licensedColumns), title, listKind{}); err != nil {
			return err
		}
	}
	res := &r.Result
	return w.licensed.add([]any{w.licensed.rows + 1, w.highlight(r.Name, res.Hits, "name"), r.ID, strings.Join(res.Terms(), "、"),
		w.plainOrNil(res.Exemption.Source), w.plain(res.Reasons()), w.highlight(r.Scope, res.Hits, "scope"), r.Street})
}
