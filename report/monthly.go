package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// NoStreetLabel stands for records whose address names no known street.
const NoStreetLabel = "（未识别街道）"

// MonthlyHeader is the monthly return's header (七.1: reported by the 3rd).
var MonthlyHeader = []string{"街道（镇）", "月末送会商企业数", "本月新增", "本月移出", "本月变更", "其中列入重点监管", "备注"}

type monthlyRow struct {
	referred, added, removed, changed, supervised int
	notes                                         []string
}

// Monthly is the monthly return for month: the companies referred at the
// month's last run (referred) and the changes since the previous month's
// last run (changes; from is 0 when there was none), one row per street in
// the dictionary's order (streets; others after them by name, the
// unidentified last) and a total. The workbook adds the companies added
// and removed. It reads nothing and writes nothing.
func Monthly(month string, from, to int64, referred, changes []store.Change, streets []string) *Table {
	rows := map[string]*monthlyRow{}
	get := func(street string) *monthlyRow {
		if street == "" {
			street = NoStreetLabel
		}
		if rows[street] == nil {
			rows[street] = &monthlyRow{}
		}
		return rows[street]
	}
	for _, c := range referred {
		r := get(c.Street())
		r.referred++
		if c.Status == record.StatusSupervised {
			r.supervised++
		}
	}
	added, removed := tallyChanges(changes, get)
	var others []string
	for s := range rows {
		if !slices.Contains(streets, s) && s != NoStreetLabel {
			others = append(others, s)
		}
	}
	sort.Strings(others)
	order := append(append(append([]string{}, streets...), others...), NoStreetLabel)
	t := &Table{Sheet: month + "月报", Header: MonthlyHeader}
	var total monthlyRow
	for _, s := range order {
		if rows[s] == nil {
			continue
		}
		r := rows[s]
		t.Rows = append(t.Rows, []any{s, r.referred, r.added, r.removed, r.changed, r.supervised, joinNotes(r.notes)})
		total.referred += r.referred
		total.added += r.added
		total.removed += r.removed
		total.changed += r.changed
		total.supervised += r.supervised
	}
	t.Rows = append(t.Rows, []any{"合计", total.referred, total.added, total.removed, total.changed, total.supervised, MonthlyBasis(from, to)})
	title := month
	if m, err := time.Parse("2006-01", month); err == nil {
		title = m.Format("2006年1月")
	}
	t.Paper = &Paper{Title: title + " 注册登记会商变动情况", Lines: []string{MonthlyBasis(from, to)},
		Sections: []Section{
			{Title: fmt.Sprintf("本月新增送会商企业（%d 家）", len(added)), Header: monthlyListHeader, Rows: added},
			{Title: fmt.Sprintf("本月移出企业（%d 家）", len(removed)), Header: monthlyListHeader, Rows: removed},
		},
		Widths: []float64{12, 20, 24, 12, 14, 14, 36},
		Sign:   "填报人：＿＿＿＿＿＿＿＿　　　审核人：＿＿＿＿＿＿＿＿　　　填报日期：＿＿＿＿年＿＿月＿＿日"}
	return t
}

// tallyChanges counts each change in its street's row (get) as the return
// defines them, and lists the companies added and removed.
func tallyChanges(changes []store.Change, get func(street string) *monthlyRow) (added, removed [][]any) {
	refer := string(screen.Refer)
	for _, c := range changes {
		r := get(c.Street())
		switch {
		case c.Kind == store.NewlyReferred, c.Kind == store.NewWithHits && c.After != nil && c.After.Verdict == refer:
			r.added++
			added = append(added, []any{streetLabel(c.Street()), c.Key, c.After.Name, c.After.Terms, c.Kind})
		case c.Kind == store.NoLongerReferred, (c.Kind == store.Gone || c.Kind == store.ConsultExcluded) && c.Before != nil && c.Before.Verdict == refer:
			r.removed++
			removed = append(removed, []any{streetLabel(c.Street()), c.Key, c.Before.Name, c.Before.Terms, c.Kind})
			if c.Kind == store.Gone {
				r.notes = append(r.notes, c.Before.Name+" 已不在名录")
			}
		case c.Kind == store.DictChanged && c.After != nil && c.After.Verdict == refer && (c.Before == nil || c.Before.Verdict != refer):
			r.added++
			added = append(added, []any{streetLabel(c.Street()), c.Key, c.After.Name, c.After.Terms, c.Kind})
			r.notes = append(r.notes, c.After.Name+" 因词典变更新增")
		case c.Kind == store.DictChanged && c.Before != nil && c.Before.Verdict == refer && (c.After == nil || c.After.Verdict != refer):
			r.removed++
			removed = append(removed, []any{streetLabel(c.Street()), c.Key, c.Before.Name, c.Before.Terms, c.Kind})
			r.notes = append(r.notes, c.Before.Name+" 因词典变更移出")
		case c.Kind == store.Changed && wasOrIs(c, refer):
			// 本月变更 counts referred companies whose record changed,
			// as the return defines it, not every company with a hit.
			r.changed++
		}
	}
	return added, removed
}

// wasOrIs reports whether the company had verdict v before or after.
func wasOrIs(c store.Change, v string) bool {
	return c.Before != nil && c.Before.Verdict == v || c.After != nil && c.After.Verdict == v
}

// monthlyListHeader heads the lists of companies under the return.
var monthlyListHeader = []string{"街道（镇）", "统一社会信用代码/标识", "企业名称", "命中词", "变动"}

func streetLabel(s string) string {
	if s == "" {
		return NoStreetLabel
	}
	return s
}

// MonthlyBasis says which runs a monthly return compares.
func MonthlyBasis(from, to int64) string {
	if from == 0 {
		return fmt.Sprintf("本月末运行 %d；此前无运行，全部计为新增", to)
	}
	return fmt.Sprintf("比较运行 %d（上月末）与运行 %d（本月末）", from, to)
}

func joinNotes(n []string) string {
	if len(n) > 5 {
		return fmt.Sprintf("%s 等 %d 家", strings.Join(n[:5], "；"), len(n))
	}
	return strings.Join(n, "；")
}
