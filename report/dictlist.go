package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/regscreen/regscreen/dict"
)

// WriteDictionary lists the dictionary's terms as `dict list` prints them,
// tab-separated (CJK widths defeat column padding); all adds the cues,
// the benign phrases and the streets.
func WriteDictionary(out io.Writer, d *dict.Dictionary, all bool) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "# 词典版本 %s（来源：%s）\n", d.Version(), strings.Join(d.Sources, "、"))
	fmt.Fprintln(w, "词\t类别\t牵头监管部门\t依据\t变体写法")
	for _, t := range d.Terms {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Text, t.Group, t.Regulator, t.Source, strings.Join(t.Variants, "、"))
	}
	if all {
		fmt.Fprintln(w, "\n否定提示词\t作用范围")
		for _, c := range d.Cues {
			reach := map[dict.CueReach]string{dict.ReachAfter: "否定其后的列表", dict.ReachBefore: "否定其前的列表", dict.ReachUntil: "否定至“" + c.Until + "”"}[c.Reach]
			fmt.Fprintf(w, "%s\t%s\n", c.Text, reach)
		}
		fmt.Fprintln(w, "\n常见用语\t说明")
		for _, b := range d.Benign {
			fmt.Fprintf(w, "%s\t%s\n", b.Text, b.Note)
		}
		fmt.Fprintln(w, "\n街道（镇）")
		for _, s := range d.Streets {
			fmt.Fprintln(w, s)
		}
	}
	return w.Flush()
}
