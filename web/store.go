package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/run"
	"github.com/regscreen/regscreen/store"
)

// storeHandler serves a request with the store open.
type storeHandler func(w http.ResponseWriter, r *http.Request, st *store.Store)

// withStore opens the store for each request, as the CLI's commands do:
// shared for reading, so a nightly scan is only held up while a request
// runs; the decisions upload takes the exclusive lock itself.
func (s *Server) withStore(h storeHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Store == "" {
			writeError(w, http.StatusNotFound, "no_store", "服务启动时没有指定存储（--db），此接口不可用")
			return
		}
		if r.Method == http.MethodPost {
			h(w, r, nil)
			return
		}
		st, err := store.OpenReadOnly(r.Context(), s.cfg.Store, store.OpenOptions{Wait: s.cfg.StoreWait})
		if err != nil {
			storeError(w, err)
			return
		}
		defer st.Close()
		h(w, r, st)
	}
}

func storeError(w http.ResponseWriter, err error) {
	var se *store.Error
	if errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded) {
		writeError(w, http.StatusServiceUnavailable, "store_unavailable", err.Error())
		return
	}
	writeError(w, http.StatusUnprocessableEntity, "store_query", err.Error())
}

// RunView is a run as GET /api/v1/runs lists it.
type RunView struct {
	ID          int64  `json:"id"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Started     string `json:"started"`
	Finished    string `json:"finished"`
	DictVersion string `json:"dictionary"`
	Read        int    `json:"read"`
	Refer       int    `json:"refer"`
	Review      int    `json:"review"`
	Clear       int    `json:"clear"`
	Exempt      int    `json:"exempt"`
	Rejected    int    `json:"rejected"`
	Error       string `json:"error"`
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request, st *store.Store) {
	runs, err := st.Runs(r.Context())
	if err != nil {
		storeError(w, err)
		return
	}
	out := []RunView{}
	for _, ru := range runs {
		out = append(out, RunView{ru.ID, ru.Status, store.StatusLabel(ru.Status), ru.Started, ru.Finished, ru.DictVersion,
			ru.Read, ru.Refer, ru.Review, ru.Clear, ru.Exempt, ru.Rejected, ru.Error})
	}
	writeJSON(w, map[string]any{"runs": out})
}

func (s *Server) changes(w http.ResponseWriter, r *http.Request, st *store.Store) {
	q := r.URL.Query()
	from, err1 := runNumber(q.Get("from"))
	to, err2 := runNumber(q.Get("to"))
	switch {
	case err1 != nil || err2 != nil:
		writeError(w, http.StatusBadRequest, "bad_run", "from 和 to 应为运行编号（见 /api/v1/runs）")
		return
	case (from == 0) != (to == 0):
		writeError(w, http.StatusBadRequest, "bad_run", "from 和 to 须同时给出，或都不给（比较最近两次运行）")
		return
	case from != 0 && from >= to:
		writeError(w, http.StatusBadRequest, "bad_run", fmt.Sprintf("from %d 须早于 to %d", from, to))
		return
	}
	from, to, err := st.CompareRuns(r.Context(), time.Time{}, from, to)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "no_runs", err.Error())
		return
	}
	changes, err := st.Changes(r.Context(), from, to)
	if err != nil {
		storeError(w, err)
		return
	}
	if changes == nil {
		changes = []store.Change{}
	}
	writeJSON(w, map[string]any{"from": from, "to": to, "summary": report.ChangesSummary(changes), "changes": changes})
}

func runNumber(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil && n <= 0 {
		err = errors.New("not a run")
	}
	return n, err
}

func (s *Server) history(w http.ResponseWriter, r *http.Request, st *store.Store) {
	keys, err := st.FindKeys(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		storeError(w, err)
		return
	}
	if len(keys) == 0 {
		writeError(w, http.StatusNotFound, "not_found", "存储中没有这家企业的记录（按统一社会信用代码、注册号、企业用过的名称或名称中的一段查找）")
		return
	}
	entries, company, err := st.History(r.Context(), keys[0])
	if err != nil {
		storeError(w, err)
		return
	}
	decisions, err := st.DecisionHistory(r.Context(), keys[0])
	if err != nil {
		storeError(w, err)
		return
	}
	if entries == nil {
		entries = []store.HistoryEntry{}
	}
	if decisions == nil {
		decisions = []record.Decision{}
	}
	writeJSON(w, map[string]any{"key": keys[0], "keys": keys, "entries": entries, "company": company, "decisions": decisions})
}

// ImportView is what POST /api/v1/decisions did.
type ImportView struct {
	Stored     int           `json:"stored"`
	InForce    int           `json:"in_force"`
	Duplicates int           `json:"duplicates"`
	Unknown    []string      `json:"unknown"`
	Problems   []ProblemView `json:"problems"` // rows and sheets left out, the first 1,000
	Untold     int           `json:"untold"`   // rows left out past those
}

// ProblemView is a row, or a sheet, that was not imported.
type ProblemView struct {
	Where  string `json:"where"`
	Reason string `json:"reason"`
}

// decisions imports a returned workbook, as db import-status does: the
// upload is kept in a private directory removed when the request ends,
// and the import runs under the store's exclusive lock.
func (s *Server) decisions(w http.ResponseWriter, r *http.Request, _ *store.Store) {
	release, ok := s.acquire(w, false)
	if !ok {
		return
	}
	defer release()
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ScanTimeout)
	defer cancel()
	dir, err := os.MkdirTemp(s.tempDir(), "regscreen-serve-")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "temp_dir", "无法创建临时目录；请检查磁盘空间和临时目录权限")
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "upload.xlsx")
	if err := saveBody(http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload), path); err != nil {
		bodyError(w, r, err)
		return
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "网页上传的工作簿"
	}
	book, err := report.OpenDecisions(path)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "bad_workbook", "无法导入: "+err.Error())
		return
	}
	defer book.Close()
	st, err := store.OpenWriter(ctx, s.cfg.Store, store.OpenOptions{Wait: s.cfg.StoreWait, Existing: true})
	if err != nil {
		storeError(w, err)
		return
	}
	defer st.Close()
	v := ImportView{Unknown: []string{}, Problems: []ProblemView{}}
	res, err := run.ImportDecisions(ctx, st, book, filepath.Base(name), s.cfg.Now(), func(sk run.Skip) {
		if sk.Key != "" {
			v.Unknown = append(v.Unknown, sk.Key)
		}
		v.Problems = append(v.Problems, ProblemView{sk.Where, sk.Why})
	})
	if err != nil {
		storeError(w, err)
		return
	}
	v.Stored, v.InForce, v.Duplicates, v.Untold = res.Stored, res.InForce, res.Duplicates, res.Untold
	setRecords(w, res.Stored+res.Duplicates+res.Refused())
	writeJSON(w, v)
}

func saveBody(body io.Reader, path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
