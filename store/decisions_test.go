package store

import (
	"context"
	"github.com/regscreen/regscreen/record"
	"testing"
	"time"
)

// Two people fill in the workbooks of two nights; whatever order they are
// imported in, the latest decision (by 日期, then import time) is in force
// and the other stays in the history.
func TestDecisionsMergeByCompanyKeepingTheLatest(t *testing.T) {
	ctx := context.Background()
	for _, order := range [][2]int{{0, 1}, {1, 0}} {
		s := newStore(t)
		n1 := storeRun(t, s, rec("A", "甲理财", "旧范围", "refer"), rec("B", "乙理财", "", "refer"))
		n2 := storeRun(t, s, rec("A", "甲理财", "新范围", "refer"), rec("B", "乙理财", "", "refer"))
		books := [][]record.Decision{
			{{Key: "A", Status: "排除", Opinion: "持牌机构", Handler: "张三", Date: "2026-11-02", Source: "会商名单-11-02.xlsx", Run: n1},
				{Key: "B", Status: "列入重点监管", Handler: "张三", Date: "2026-11-02", Source: "会商名单-11-02.xlsx", Run: n1}},
			{{Key: "A", Status: "列入重点监管", Opinion: "范围已变", Handler: "李四", Date: "2026-11-03", Source: "会商名单-11-03.xlsx", Run: n2},
				{Key: "Z", Status: "排除", Source: "会商名单-11-03.xlsx"}},
		}
		imported := time.Date(2026, 11, 4, 9, 0, 0, 0, time.UTC)
		for i, b := range order {
			for j := range books[b] {
				books[b][j].Imported = imported.Add(time.Duration(i) * time.Hour)
			}
			res, err := s.ImportDecisions(ctx, books[b])
			if err != nil {
				t.Fatal(err)
			}
			if b == 1 && (len(res.Unknown) != 1 || res.Unknown[0] != "Z") {
				t.Errorf("unknown company not reported: %+v", res)
			}
		}
		ds, err := s.Decisions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a := ds["A"]
		if a.Status != "列入重点监管" || a.Handler != "李四" || a.Source != "会商名单-11-03.xlsx" || a.FP != record.Fingerprint("甲理财", "新范围") {
			t.Errorf("order %v: A's decision in force %+v", order, a)
		}
		if ds["B"].Status != "列入重点监管" || len(ds) != 2 {
			t.Errorf("order %v: decisions %+v", order, ds)
		}
		h, err := s.DecisionHistory(ctx, "A")
		if err != nil || len(h) != 2 || h[1].Status != "排除" || h[1].FP != record.Fingerprint("甲理财", "旧范围") || h[1].Run != n1 {
			t.Errorf("order %v: A's history %+v %v", order, h, err)
		}
		// The decision in force is what scans and changes see.
		ex, err := s.Excluded(ctx)
		if err != nil || len(ex) != 0 {
			t.Errorf("order %v: excluded %v", order, ex)
		}
	}
}

func TestReimportingAWorkbookIsHarmless(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	run := storeRun(t, s, rec("A", "甲理财", "", "refer"))
	book := []record.Decision{{Key: "A", Status: "排除", Opinion: "持牌机构", Date: "2026-11-02", Source: "x.xlsx", Run: run}}
	if res, err := s.ImportDecisions(ctx, book); err != nil || res.Stored != 1 || res.InForce != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	res, err := s.ImportDecisions(ctx, book)
	if err != nil || res.Stored != 0 || res.Duplicates != 1 {
		t.Errorf("second import: %+v %v", res, err)
	}
	if h, _ := s.DecisionHistory(ctx, "A"); len(h) != 1 {
		t.Errorf("history after a re-import: %+v", h)
	}
	// The decision carried into the next night's workbook comes back
	// unchanged in that workbook: not a new decision either.
	next := storeRun(t, s, rec("A", "甲理财", "", "refer"))
	carried := []record.Decision{{Key: "A", Status: "排除", Opinion: "持牌机构", Date: "2026-11-02", Source: "y.xlsx", Run: next}}
	if res, err := s.ImportDecisions(ctx, carried); err != nil || res.Stored != 0 || res.Duplicates != 1 {
		t.Errorf("carried decision returned: %+v %v", res, err)
	}
	if h, _ := s.DecisionHistory(ctx, "A"); len(h) != 1 {
		t.Errorf("history after a carried decision came back: %+v", h)
	}
	ex, err := s.Excluded(ctx)
	if err != nil || ex["A"] != record.Fingerprint("甲理财", "") {
		t.Errorf("excluded %v %v", ex, err)
	}
}

// An undated decision counts as made on the day it was imported.
func TestUndatedDecisionTakesTheImportDay(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	storeRun(t, s, rec("A", "甲理财", "", "refer"))
	day := time.Date(2026, 11, 5, 10, 0, 0, 0, time.Local)
	s.ImportDecisions(ctx, []record.Decision{{Key: "A", Status: "排除", Date: "2026-11-04", Imported: day}})
	s.ImportDecisions(ctx, []record.Decision{{Key: "A", Status: "列入重点监管", Imported: day.Add(time.Hour)}})
	ds, _ := s.Decisions(ctx)
	if d := ds["A"]; d.Status != "列入重点监管" || d.Date != "2026-11-05" {
		t.Errorf("decision in force %+v", d)
	}
}

// A returned row is imported only when its 企业名称 is one the company of
// its code has had (the current name or an earlier one, spaces and
// control characters aside): a code sorted apart from its name rules no
// other company.
func TestImportChecksTheNameAgainstTheCode(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	storeRun(t, s, rec("K", "甲理财有限公司", "", "refer"))
	storeRun(t, s, rec("K", "甲财富管理有限公司", "", "refer")) // renamed
	im, err := s.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, c := range []struct {
		name, stored string
		want         Outcome
	}{
		{"甲财富管理有限公司", "", Imported},
		{" 甲理财有限公司\x1b", "", Imported}, // the old name, as a workbook returns it
		{"乙科技有限公司", "甲财富管理有限公司", NameDiffers},
		{"", "", Imported}, // no name to check: the code alone, as before
	} {
		got, stored, err := im.Add(ctx, record.Decision{Key: "K", Name: c.name, Status: "排除", Opinion: c.name, Date: "2026-11-02"})
		if err != nil || got != c.want || stored != c.stored {
			t.Errorf("%q: %v %q %v, want %v %q", c.name, got, stored, err, c.want, c.stored)
		}
	}
	if got, _, _ := im.Add(ctx, record.Decision{Key: "Z", Name: "丙", Status: "排除"}); got != NotKnown {
		t.Errorf("an unknown code: %v", got)
	}
	res, err := im.Commit(ctx)
	if err != nil || res.Stored != 3 || res.OtherName != 1 || res.NotFound != 1 || len(res.Unknown) != 1 {
		t.Errorf("result %+v %v", res, err)
	}
}
