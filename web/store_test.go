package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/run"
	"github.com/regscreen/regscreen/searcher"
	"github.com/regscreen/regscreen/store"
)

// nightlyStore is a store with the evolving fixture's first two nights.
func nightlyStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.db")
	for i, night := range []string{"night1.csv", "night2.csv"} {
		st, err := store.OpenWriter(context.Background(), path, store.OpenOptions{Wait: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 12, 1+i, 2, 0, 0, 0, time.UTC)
		_, err = run.Execute(context.Background(), run.Plan{Screener: screener(t), Store: st, MaxRejects: -1, Results: output.NewJSONL(io.Discard, "test"),
			Now: func() time.Time { return now }, Search: searcher.Options{Inputs: []searcher.Input{searcher.File("../fixtures/evolving/" + night)}}})
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestStoreEndpoints(t *testing.T) {
	s := newServer(t, Config{Store: nightlyStore(t)})
	var runs struct{ Runs []RunView }
	r := do(t, s, "GET", "/api/v1/runs", nil)
	if err := json.Unmarshal(r.body, &runs); err != nil || len(runs.Runs) != 2 || runs.Runs[0].ID != 2 || runs.Runs[0].Read == 0 {
		t.Fatalf("runs: %d %s", r.status, r.body)
	}
	var ch struct {
		From, To int64
		Summary  string
		Changes  []store.Change
	}
	r = do(t, s, "GET", "/api/v1/changes", nil)
	if err := json.Unmarshal(r.body, &ch); err != nil || ch.From != 1 || ch.To != 2 || len(ch.Changes) == 0 {
		t.Fatalf("changes: %d %s", r.status, r.body)
	}
	if r2 := do(t, s, "GET", "/api/v1/changes?from=1&to=2", nil); !bytes.Equal(r2.body, r.body) {
		t.Errorf("from=1&to=2 differs from the latest two")
	}
	for _, q := range []string{"from=2&to=1", "from=1", "from=x&to=2"} {
		if r := do(t, s, "GET", "/api/v1/changes?"+q, nil); r.status != 400 || errorCode(t, r) != "bad_run" {
			t.Errorf("changes?%s: %d %s", q, r.status, r.body)
		}
	}
	r = do(t, s, "GET", "/api/v1/history?q=91330205AY4CL12THT", nil)
	var h struct {
		Key     string
		Entries []store.HistoryEntry
	}
	if err := json.Unmarshal(r.body, &h); err != nil || h.Key == "" || len(h.Entries) != 2 {
		t.Fatalf("history: %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", "/api/v1/history?q=没有这家公司", nil); r.status != 404 || errorCode(t, r) != "not_found" {
		t.Errorf("unknown company: %d %s", r.status, r.body)
	}
}

// TestDecisionsUpload: a workbook from the API's scan, filled in, comes
// back through POST /api/v1/decisions into the store's history.
func TestDecisionsUpload(t *testing.T) {
	tmp := t.TempDir()
	s := newServer(t, Config{Store: nightlyStore(t), TempDir: tmp})
	night2, _ := os.ReadFile("../fixtures/evolving/night2.csv")
	r := do(t, s, "POST", "/api/v1/scan", bytes.NewReader(night2))
	if r.status != 200 {
		t.Fatalf("scan: %d %s", r.status, r.body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("送会商")
	status, id := slices.Index(rows[1], "处理状态"), slices.Index(rows[1], "统一社会信用代码")
	filled := 0
	for i, row := range rows[2:] {
		if len(row) > id && row[id] == "91330205AY4CL12THT" {
			cell, _ := excelize.CoordinatesToCellName(status+1, i+3)
			f.SetCellValue("送会商", cell, "排除")
			filled++
		}
	}
	var book bytes.Buffer
	if filled != 1 || f.Write(&book) != nil {
		t.Fatalf("filled %d", filled)
	}
	r = do(t, s, "POST", "/api/v1/decisions?name=会商名单.xlsx", &book)
	var got ImportView
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 || got.Stored != 1 || len(got.Unknown) != 0 {
		t.Fatalf("decisions: %d %s", r.status, r.body)
	}
	r = do(t, s, "GET", "/api/v1/history?q=91330205AY4CL12THT", nil)
	if !strings.Contains(string(r.body), `"status":"排除"`) || !strings.Contains(string(r.body), "会商名单.xlsx") {
		t.Errorf("history lacks the decision: %s", r.body)
	}
	if r := do(t, s, "POST", "/api/v1/decisions", strings.NewReader("企业名称\n甲\n")); r.status != 422 || errorCode(t, r) != "bad_workbook" {
		t.Errorf("a CSV as a workbook: %d %s", r.status, r.body)
	}
	emptyDir(t, tmp)
}

func TestNoStore(t *testing.T) {
	s := newServer(t, Config{})
	for _, p := range []string{"/api/v1/runs", "/api/v1/changes", "/api/v1/history?q=甲"} {
		if r := do(t, s, "GET", p, nil); r.status != 404 || errorCode(t, r) != "no_store" {
			t.Errorf("%s: %d", p, r.status)
		}
	}
	if r := do(t, s, "POST", "/api/v1/decisions", strings.NewReader("x")); r.status != 404 || errorCode(t, r) != "no_store" {
		t.Errorf("decisions: %d", r.status)
	}
	missing := newServer(t, Config{Store: filepath.Join(t.TempDir(), "none.db")})
	if r := do(t, missing, "GET", "/api/v1/runs", nil); r.status != 503 || errorCode(t, r) != "store_unavailable" {
		t.Errorf("a missing store: %d %s", r.status, r.body)
	}
}
