package output

import (
	"fmt"
	"io"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// UTF8BOM makes Windows Excel read a CSV as UTF-8 instead of the ANSI
// code page.
const UTF8BOM = "\xEF\xBB\xBF"

// Encoded wraps w for a text file a person opens: UTF-8 with a BOM (unless
// noBOM) or GB18030. The returned closer flushes the encoder.
func Encoded(w io.Writer, encoding string, noBOM bool) (io.Writer, func() error, error) {
	switch encoding {
	case "", "utf-8":
		if !noBOM {
			if _, err := io.WriteString(w, UTF8BOM); err != nil {
				return nil, nil, err
			}
		}
		return w, func() error { return nil }, nil
	case "gb18030":
		tw := transform.NewWriter(w, simplifiedchinese.GB18030.NewEncoder())
		return tw, tw.Close, nil
	}
	return nil, nil, fmt.Errorf("不支持的输出编码 %q（可用：utf-8、gb18030）", encoding)
}
