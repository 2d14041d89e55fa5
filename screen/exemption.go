package screen

import "strings"

// ExemptionKind says why a record that uses a term is not referred.
type ExemptionKind string

const (
	// ExemptLicensed: on the regulators' list of licensed financial
	// institutions (--exempt).
	ExemptLicensed ExemptionKind = "licensed"
	// ExemptConsultation: the consultation ruled 排除 and the name and scope
	// have not changed since.
	ExemptConsultation ExemptionKind = "consultation"
)

// Exemption is why a record is exempt, and where that comes from.
type Exemption struct {
	Kind ExemptionKind `json:"kind"`
	// Source is the list file (licensed) or the workbook the ruling was
	// imported from (consultation).
	Source string `json:"source,omitempty"`
	// Date is when the consultation ruled (consultation only).
	Date string `json:"date,omitempty"`
	// By is who recorded the ruling (consultation only).
	By string `json:"by,omitempty"`
}

// Reason words the exemption for a clerk; each kind says what it is and
// nothing more (a company the consultation excluded is not a licensed
// institution).
func (e *Exemption) Reason() string {
	switch e.Kind {
	case ExemptLicensed:
		return "列入持牌金融机构豁免名单“" + e.Source + "”，命中仍列出供参考"
	case ExemptConsultation:
		s := "注册登记会商已排除"
		if e.Date != "" {
			s += "（" + e.Date
			if e.By != "" {
				s += "，" + e.By
			}
			s += "）"
		}
		if e.Source != "" {
			s += "，结论来自“" + e.Source + "”"
		}
		return s + "；名称和经营范围此后未变更，命中仍列出供参考"
	}
	return "豁免"
}

// referClause is what a used hit's reason asks for; an exemption says
// instead why the record is not referred.
const referClause = "需提交注册登记会商"

// Apply makes r exempt for e: the verdict, and each hit's reason says why
// the record is not referred where it asked for a consultation.
func (e *Exemption) Apply(r *Result) {
	r.Verdict, r.Exemption = Exempt, e
	clause := "豁免，不送会商"
	switch e.Kind {
	case ExemptLicensed:
		clause = "因列入持牌金融机构豁免名单，不送会商"
	case ExemptConsultation:
		clause = "因注册登记会商已排除，不送会商"
	}
	for i := range r.Hits {
		r.Hits[i].Reason = strings.Replace(r.Hits[i].Reason, referClause, clause, 1)
	}
}
