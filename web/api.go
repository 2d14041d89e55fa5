package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern, route string, h http.HandlerFunc) {
		mux.Handle(pattern, s.observe(route, h))
	}
	handle("GET /healthz", "/healthz", s.healthz)
	handle("POST /api/v1/check", "/api/v1/check", s.guard(false, s.deadline(s.check)))
	handle("POST /api/v1/scan", "/api/v1/scan", s.guard(false, s.scan))
	handle("GET /api/v1/dictionary", "/api/v1/dictionary", s.guard(false, s.dictionary))
	handle("GET /metrics", "/metrics", s.guard(false, func(w http.ResponseWriter, r *http.Request) { s.metrics.write(w) }))
	handle("GET /api/v1/runs", "/api/v1/runs", s.guard(false, s.deadline(s.withStore(s.runs))))
	handle("GET /api/v1/changes", "/api/v1/changes", s.guard(false, s.deadline(s.withStore(s.changes))))
	handle("GET /api/v1/history", "/api/v1/history", s.guard(false, s.deadline(s.withStore(s.history))))
	handle("POST /api/v1/decisions", "/api/v1/decisions", s.guard(false, s.withStore(s.decisions)))
	s.pageRoutes(handle)
	handle("/api/", "/api/other", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "没有这个接口；接口说明见 docs/openapi.json")
	})
	return mux
}

// deadline gives a request the per-request deadline.
func (s *Server) deadline(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.CheckTimeout)
		defer cancel()
		http.NewResponseController(w).SetReadDeadline(s.cfg.Now().Add(s.cfg.CheckTimeout))
		h(w, r.WithContext(ctx))
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]string{"status": "ok", "dictionary": s.scr.DictVersion()})
}

// CheckRequest is what POST /api/v1/check takes.
type CheckRequest struct {
	Records []CheckRecord `json:"records"`
}

// CheckRecord is one record to check.
type CheckRecord struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Scope string `json:"scope"`
}

// bodyError maps a failed body read to the API's error.
func bodyError(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("请求内容超过 %d 字节的上限；请分批提交", tooBig.Limit))
	case r.Context().Err() != nil || errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		writeError(w, http.StatusRequestTimeout, "timeout", "读取请求内容超时；请检查网络后重试")
	default:
		writeError(w, http.StatusBadRequest, "bad_body", "请求内容读取失败: "+englishFree(err))
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// englishFree says a JSON error in Chinese without Go's wording.
func englishFree(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("第 %d 字节处不是合法的 JSON", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("字段 %q 的类型不对（应为字符串或数组）", typ.Field)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "JSON 不完整"
	}
	return "不是合法的 JSON"
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxCheckBody)
	var req CheckRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		bodyError(w, r, err)
		return
	}
	n := len(req.Records)
	if n == 0 || n > s.cfg.MaxCheckRecs {
		writeError(w, http.StatusUnprocessableEntity, "record_count",
			fmt.Sprintf("每次须提交 1 到 %d 条记录（收到 %d 条）", s.cfg.MaxCheckRecs, n))
		return
	}
	setRecords(w, n)
	explain := r.URL.Query().Get("explain") == "1"
	var body bytes.Buffer
	fmt.Fprintf(&body, `{"dictionary":%s,"results":[`, quote(s.scr.DictVersion()))
	var line bytes.Buffer
	jw := output.NewJSONL(&line, s.scr.DictVersion())
	for i := range req.Records {
		if r.Context().Err() != nil {
			writeError(w, http.StatusServiceUnavailable, "timeout", "处理超时；请减少每次提交的记录数")
			return
		}
		c := &req.Records[i]
		rec := record.Record{File: "api", Line: i + 1, ID: c.ID, Name: c.Name, Scope: c.Scope,
			Result: s.scr.Screen([]screen.Field{{Name: "name", Text: c.Name}, {Name: "scope", Text: c.Scope}})}
		line.Reset()
		jw.Write(&rec)
		jw.Flush()
		obj := bytes.TrimRight(line.Bytes(), "\n")
		if i > 0 {
			body.WriteByte(',')
		}
		if explain {
			obj = withExplanation(obj, s.explain(c))
		}
		body.Write(obj)
	}
	body.WriteString("]}\n")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(body.Bytes())
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// explain is the explanation `check --explain` prints, for the name and
// the scope in turn.
func (s *Server) explain(c *CheckRecord) string {
	var b strings.Builder
	for _, f := range []struct{ label, text string }{{"名称", c.Name}, {"经营范围", c.Scope}} {
		if f.text == "" {
			continue
		}
		res, expl := s.scr.Explain(f.text)
		fmt.Fprintf(&b, "【%s】\n", f.label)
		output.WriteExplained(&b, f.text, &res, expl)
	}
	return b.String()
}

// withExplanation adds "explanation" to the end of a JSON object.
func withExplanation(obj []byte, text string) []byte {
	out := append([]byte{}, obj[:len(obj)-1]...)
	out = append(out, `,"explanation":`...)
	out = append(out, quote(text)...)
	return append(out, '}')
}

// DictionaryView is GET /api/v1/dictionary.
type DictionaryView struct {
	Version string       `json:"version"`
	Sources []string     `json:"sources"`
	Terms   []TermView   `json:"terms"`
	Cues    []CueView    `json:"cues"`
	Benign  []BenignView `json:"benign"`
}

// TermView is a term as the API lists it.
type TermView struct {
	Text      string   `json:"text"`
	Group     string   `json:"group"`
	Regulator string   `json:"regulator"`
	Source    string   `json:"source"`
	Variants  []string `json:"variants"`
}

// CueView is a denial cue: reach is after, before or until.
type CueView struct {
	Text  string `json:"text"`
	Reach string `json:"reach"`
	Until string `json:"until,omitempty"`
}

// BenignView is a common phrase in which a term is no use of it.
type BenignView struct {
	Text string `json:"text"`
	Note string `json:"note"`
}

func (s *Server) dictionary(w http.ResponseWriter, r *http.Request) {
	d := s.scr.Dictionary()
	v := DictionaryView{Version: s.scr.DictVersion(), Sources: d.Sources, Terms: []TermView{}, Cues: []CueView{}, Benign: []BenignView{}}
	for _, t := range d.Terms {
		v.Terms = append(v.Terms, TermView{t.Text, t.Group, t.Regulator, t.Source, append([]string{}, t.Variants...)})
	}
	reach := map[dict.CueReach]string{dict.ReachAfter: "after", dict.ReachBefore: "before", dict.ReachUntil: "until"}
	for _, c := range d.Cues {
		v.Cues = append(v.Cues, CueView{c.Text, reach[c.Reach], c.Until})
	}
	for _, b := range d.Benign {
		v.Benign = append(v.Benign, BenignView{b.Text, b.Note})
	}
	writeJSON(w, v)
}
