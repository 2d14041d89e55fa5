package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/input"
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
