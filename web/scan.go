package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/run"
	"github.com/regscreen/regscreen/searcher"
)

// scanTypes are the result formats of a scan and their content types.
var scanTypes = map[string]string{
	"xlsx":  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":   "text/csv; charset=utf-8",
	"jsonl": "application/x-ndjson; charset=utf-8",
}

// acquire takes a scan slot (and, for a workbook, the workbook slot), or
// says 503 with when to retry.
func (s *Server) acquire(w http.ResponseWriter, workbook bool) (release func(), ok bool) {
	select {
	case s.scans <- struct{}{}:
	default:
		busy(w, fmt.Sprintf("已有 %d 个批量筛查在进行，请稍后重试", cap(s.scans)))
		return nil, false
	}
	if !workbook {
		return func() { <-s.scans }, true
	}
	select {
	case s.books <- struct{}{}:
		return func() { <-s.books; <-s.scans }, true
	default:
		<-s.scans
		busy(w, "已有一个生成工作簿的批量筛查在进行（同一时间只做一个，以免占用过多内存），请稍后重试，或选 CSV、JSON Lines 格式")
		return nil, false
	}
}

func busy(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", "30")
	writeError(w, http.StatusServiceUnavailable, "busy", msg)
}

// scan streams the body, an export, into a run and sends back its
// results. They are written to a private temporary directory first: the
// counts go in the headers, which precede the body, and a workbook is
// only complete at the end. The directory goes when the request ends,
// however it ends; a client that disconnects cancels the run.
func (s *Server) scan(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	if scanTypes[format] == "" {
		writeError(w, http.StatusBadRequest, "bad_format", fmt.Sprintf("不支持的结果格式 %q（可用：xlsx、csv、jsonl）", format))
		return
	}
	release, ok := s.acquire(w, format == "xlsx")
	if !ok {
		return
	}
	defer release()
	deadline := time.Now().Add(s.cfg.ScanTimeout)
	ctx, cancel := context.WithDeadline(r.Context(), deadline)
	defer cancel()
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(deadline)
	rc.SetWriteDeadline(s.cfg.Now().Add(s.cfg.ScanTimeout + time.Minute))
	dir, err := os.MkdirTemp(s.tempDir(), "regscreen-serve-")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "temp_dir", "无法创建临时目录；请检查磁盘空间和临时目录权限")
		return
	}
	defer os.RemoveAll(dir)
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "上传的文件"
	}
	path := filepath.Join(dir, "result."+format)
	out, logLines, err := s.runScan(ctx, body, name, format, path, dir, r.URL.Query().Get("all") == "1")
	if err != nil {
		s.scanError(w, r, !time.Now().Before(deadline), err)
		return
	}
	setRecords(w, out.Read)
	s.sendResult(w, path, format, name, out, logLines)
}

// runScan screens body into the file at path.
func (s *Server) runScan(ctx context.Context, body io.Reader, name, format, path, dir string, all bool) (*run.Outcome, []string, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	meta := report.Meta{Tool: s.cfg.Tool, CommandLine: "regscreen serve: POST /api/v1/scan", Start: s.cfg.Now(), TmpDir: dir, Source: name}
	results, err := run.NewWriter(run.Output{Format: format, To: f, All: all, SafeCSV: true, Meta: meta}, s.scr)
	if err != nil {
		return nil, nil, err
	}
	var logLines []string
	out, err := run.Execute(ctx, run.Plan{
		Screener:   s.scr,
		Search:     searcher.Options{Inputs: []searcher.Input{searcher.Stream(name, body)}, Workers: s.cfg.Workers},
		Results:    results,
		Workbook:   format == "xlsx",
		MaxRejects: -1,
		Now:        s.cfg.Now,
		Log:        func(line string) { logLines = append(logLines, line) },
	})
	if err == nil {
		err = f.Close()
	}
	return out, logLines, err
}

func (s *Server) scanError(w http.ResponseWriter, r *http.Request, expired bool, err error) {
	var tooBig *http.MaxBytesError
	var rejects *run.RejectLimitError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("上传的文件超过 %d 字节的上限；请拆分后分批上传", tooBig.Limit))
	case expired || isTimeout(err):
		writeError(w, http.StatusGatewayTimeout, "timeout", "批量筛查超时；请拆分文件后分批上传")
	case r.Context().Err() != nil:
		// The client went away: nothing to say, and nothing left behind.
	case errors.As(err, &rejects):
		writeError(w, http.StatusUnprocessableEntity, "too_many_rejects", err.Error())
	default:
		writeError(w, http.StatusUnprocessableEntity, "bad_input", "无法筛查上传的文件: "+err.Error())
	}
}

// Count headers: the run's accounting, as scan reports it.
const (
	HeaderRead     = "X-Regscreen-Read"
	HeaderRefer    = "X-Regscreen-Refer"
	HeaderReview   = "X-Regscreen-Review"
	HeaderClear    = "X-Regscreen-Clear"
	HeaderExempt   = "X-Regscreen-Exempt"
	HeaderRejected = "X-Regscreen-Rejected"
	HeaderWarnings = "X-Regscreen-Warnings"
	// HeaderLog holds the lines scan prints on stderr for the first
	// rejected rows and warnings: a JSON array of strings, URL-encoded
	// (headers are ASCII).
	HeaderLog = "X-Regscreen-Log"
)

func (s *Server) sendResult(w http.ResponseWriter, path, format, name string, out *run.Outcome, logLines []string) {
	f, err := os.Open(path)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "result_lost", "结果文件读取失败；请重试")
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", scanTypes[format])
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("会商名单."+format))
	if st, err := f.Stat(); err == nil {
		h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	}
	for k, v := range map[string]int{HeaderRead: out.Read, HeaderRefer: out.Refer, HeaderReview: out.Review,
		HeaderClear: out.Clear, HeaderExempt: out.Exempt, HeaderRejected: out.Rejected, HeaderWarnings: out.Warnings} {
		h.Set(k, strconv.Itoa(v))
	}
	if logLines == nil {
		logLines = []string{}
	}
	b, _ := json.Marshal(logLines)
	h.Set(HeaderLog, url.QueryEscape(string(b)))
	io.Copy(w, f)
}
