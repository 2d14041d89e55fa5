package output

import (
	"strings"
	"testing"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/screen"
)

// The terminal names the lead regulator as the workbook does: the notice's
// wording, with today's body after a name that has changed since (银监局
// became the 金融监管局), so check and scan --format text agree with the
// printed list.
func TestWriteResultNamesTodaysRegulator(t *testing.T) {
	scr, err := screen.New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	res := scr.ScreenText("宁波某某网贷信息咨询有限公司")
	var b strings.Builder
	WriteResult(&b, "宁波某某网贷信息咨询有限公司", &res)
	out := b.String()
	if !strings.Contains(out, "牵头：银监局〔现为金融监管局〕") {
		t.Errorf("the lead regulator lacks today's body:\n%s", out)
	}
}
