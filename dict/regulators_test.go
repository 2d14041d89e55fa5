package dict

import "testing"

func TestRegulatorNow(t *testing.T) {
	for in, want := range map[string]string{
		"一行三局（人民银行、银监、证监、保监）": "一行三局（人民银行、银监、证监、保监）〔现为人民银行、金融监管局、证监局〕",
		"银监局、金融办": "银监局〔现为金融监管局〕、金融办",
		"保监局":     "保监局〔现为金融监管局〕",
		"银保监局":    "银保监局〔现为金融监管局〕",
		"银监局、保监局": "银监局〔现为金融监管局〕、保监局",
		"证监局":     "证监局",
		"人民银行牵头；市场监管会同一行三局": "人民银行牵头；市场监管会同一行三局〔现为人民银行、金融监管局、证监局〕",
		"": "",
	} {
		if got := RegulatorNow(in); got != want {
			t.Errorf("RegulatorNow(%q) = %q, want %q", in, got, want)
		}
	}
	// Every regulator of the default dictionary reads as today's body where
	// the notice's one is gone.
	for _, term := range Default().Terms {
		if got := RegulatorNow(term.Regulator); (term.Group == "网络借贷" || term.Group == "互联网保险") && got == term.Regulator {
			t.Errorf("%s: %q is not annotated", term.Text, term.Regulator)
		}
	}
}
