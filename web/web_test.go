package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/screen"
)

var (
	scrOnce sync.Once
	scr     *screen.Screener
)

func screener(t testing.TB) *screen.Screener {
	scrOnce.Do(func() {
		var err error
		if scr, err = screen.New(dict.Default()); err != nil {
			t.Fatal(err)
		}
	})
	return scr
}

// newServer makes a server with cfg (and a private temporary directory)
// and returns it with its handler.
func newServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.TempDir == "" {
		cfg.TempDir = t.TempDir()
	}
	s, err := New(cfg, screener(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, s *Server, method, target string, body io.Reader, header ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return response{w.Code, w.Header(), w.Body.Bytes()}
}

func errorCode(t *testing.T, r response) string {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(r.body, &e); err != nil || e.Message == "" {
		t.Fatalf("status %d: error body %q is not {code, message}", r.status, r.body)
	}
	han := false
	for _, r := range e.Message {
		han = han || unicode.Is(unicode.Han, r)
	}
	for _, english := range []string{"invalid", "unexpected", "EOF", "json:", "http:", "error", "failed"} {
		han = han && !strings.Contains(e.Message, english)
	}
	if !han {
		t.Errorf("message %q is not Chinese", e.Message)
	}
	return e.Code
}

// checkBody is a check request for the records.
func checkBody(recs ...CheckRecord) io.Reader {
	b, _ := json.Marshal(CheckRequest{Records: recs})
	return bytes.NewReader(b)
}

type checkResult struct {
	Dictionary string           `json:"dictionary"`
	Results    []map[string]any `json:"results"`
}

// TestCheckAgreesWithTheLabelledCases checks the labelled cases through
// the API: each verdict is the label's.
func TestCheckAgreesWithTheLabelledCases(t *testing.T) {
	s := newServer(t, Config{})
	f, err := os.Open("../fixtures/labelled.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []CheckRecord
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if strings.HasPrefix(sc.Text(), "#") || len(cols) < 5 || cols[0] == "id" || strings.Contains(sc.Text(), `\u`) {
			continue
		}
		recs = append(recs, CheckRecord{ID: cols[0], Name: cols[2], Scope: cols[3]})
		want = append(want, cols[4])
		if len(recs) == 200 {
			break
		}
	}
	r := do(t, s, "POST", "/api/v1/check", checkBody(recs...))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got checkResult
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Dictionary != screener(t).DictVersion() || len(got.Results) != len(recs) {
		t.Fatalf("dictionary %q, %d results for %d records", got.Dictionary, len(got.Results), len(recs))
	}
	for i, res := range got.Results {
		if res["verdict"] != want[i] || res["id"] != recs[i].ID {
			t.Errorf("case %s %q: verdict %v, labelled %s", recs[i].ID, recs[i].Name, res["verdict"], want[i])
		}
	}
}

// TestCheckResultIsTheJSONLObject: the result's keys are scan's JSON
// Lines keys, hits carry positions in the original text, and explain
// adds the explanation.
func TestCheckResultIsTheJSONLObject(t *testing.T) {
	s := newServer(t, Config{})
	name := "宁波某某理財咨询有限公司"
	r := do(t, s, "POST", "/api/v1/check?explain=1", checkBody(CheckRecord{ID: "X1", Name: name, Scope: "投资咨询（不含金融业务）"}))
	var got checkResult
	if err := json.Unmarshal(r.body, &got); err != nil || len(got.Results) != 1 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	res := got.Results[0]
	for _, k := range []string{"file", "line", "id", "name", "verdict", "hits", "dict", "explanation"} {
		if _, ok := res[k]; !ok {
			t.Errorf("result lacks %q: %v", k, res)
		}
	}
	hits := res["hits"].([]any)
	if len(hits) != 2 {
		t.Fatalf("hits %v", hits)
	}
	h := hits[0].(map[string]any)
	runes := []rune(name)
	if h["field"] != "name" || h["text"] != string(runes[int(h["start"].(float64)):int(h["end"].(float64))]) || h["text"] != "理財" {
		t.Errorf("first hit %v does not point at 理財 in the name", h)
	}
	if d := hits[1].(map[string]any); d["field"] != "scope" || d["denied"] != true {
		t.Errorf("金融 in 不含金融业务 should be denied: %v", d)
	}
	if !strings.Contains(res["explanation"].(string), "判定过程") {
		t.Errorf("explanation %q", res["explanation"])
	}
	r = do(t, s, "POST", "/api/v1/check", checkBody(CheckRecord{Name: name}))
	if strings.Contains(string(r.body), "explanation") {
		t.Error("explanation without ?explain=1")
	}
}

func TestCheckLimits(t *testing.T) {
	s := newServer(t, Config{MaxCheckRecs: 3, MaxCheckBody: 1000})
	for _, tc := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"records":[]}`, 422, "record_count"},
		{`{"records":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]}`, 422, "record_count"},
		{`{"records":[{"name":"` + strings.Repeat("理", 400) + `"}]}`, 413, "body_too_large"},
		{`{"records":[{"name":`, 400, "bad_body"},
		{`{"records":[{"name":1}]}`, 400, "bad_body"},
	} {
		r := do(t, s, "POST", "/api/v1/check", strings.NewReader(tc.body))
		if r.status != tc.status || errorCode(t, r) != tc.code {
			t.Errorf("%.40s: status %d %s, want %d %s", tc.body, r.status, r.body, tc.status, tc.code)
		}
	}
	if r := do(t, s, "GET", "/api/v1/check", nil); r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET check: %d", r.status)
	}
	if r := do(t, s, "GET", "/api/v1/nothing", nil); r.status != 404 || errorCode(t, r) != "not_found" {
		t.Errorf("unknown endpoint: %d %s", r.status, r.body)
	}
}

func TestDictionaryAndHealth(t *testing.T) {
	s := newServer(t, Config{})
	r := do(t, s, "GET", "/api/v1/dictionary", nil)
	var d DictionaryView
	if err := json.Unmarshal(r.body, &d); err != nil || r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if d.Version != screener(t).DictVersion() || len(d.Terms) != len(dict.Default().Terms) || len(d.Cues) == 0 || len(d.Benign) == 0 {
		t.Fatalf("dictionary %s: %d terms, %d cues, %d benign", d.Version, len(d.Terms), len(d.Cues), len(d.Benign))
	}
	for _, term := range d.Terms {
		if term.Group == "" || term.Regulator == "" {
			t.Errorf("term %+v lacks its group or lead", term)
		}
	}
	for _, c := range d.Cues {
		if c.Reach != "after" && c.Reach != "before" && c.Reach != "until" {
			t.Errorf("cue %+v", c)
		}
	}
	r = do(t, s, "GET", "/healthz", nil)
	if r.status != 200 || !strings.Contains(string(r.body), d.Version) {
		t.Errorf("healthz %d %s", r.status, r.body)
	}
}

const export = "统一社会信用代码,企业名称,经营范围\n" +
	"91330205AY4CL12THT,宁波某某理财咨询有限公司,理财咨询\n" +
	"91330205MA2AAAAA1X,宁波某某五金有限公司,五金销售\n" +
	"91330205MA2BBBBB2X,宁波\x00某某有限公司,五金\n" // a NUL byte: rejected

// emptyDir fails unless dir holds nothing: every request's files are gone.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("left behind in %s: %v", dir, left)
	}
}

func TestScanWorkbook(t *testing.T) {
	tmp := t.TempDir()
	s := newServer(t, Config{TempDir: tmp})
	r := do(t, s, "POST", "/api/v1/scan?name=上传.csv", strings.NewReader(export))
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	for k, want := range map[string]string{HeaderRead: "3", HeaderRefer: "1", HeaderClear: "1", HeaderRejected: "1"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(r.header.Get(HeaderLog), "%E6%8B%92%E6%94%B6") { // 拒收
		t.Errorf("the rejected row is not reported: %q", r.header.Get(HeaderLog))
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(report.SheetRefer)
	if !strings.Contains(strings.Join(flatten(rows), "|"), "宁波某某理财咨询有限公司") {
		t.Errorf("送会商 sheet: %v", rows)
	}
	emptyDir(t, tmp)
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestScanTextFormats(t *testing.T) {
	s := newServer(t, Config{})
	r := do(t, s, "POST", "/api/v1/scan?format=jsonl", strings.NewReader(export))
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/x-ndjson") {
		t.Fatalf("%d %v", r.status, r.header)
	}
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"verdict":"refer"`) {
		t.Errorf("jsonl: %q", r.body)
	}
	r = do(t, s, "POST", "/api/v1/scan?format=csv&all=1", strings.NewReader(export))
	if r.status != 200 || strings.Count(strings.TrimSpace(string(r.body)), "\n") != 2 {
		t.Errorf("csv --all: %d %q", r.status, r.body)
	}
	r = do(t, s, "POST", "/api/v1/scan?format=pdf", strings.NewReader(export))
	if r.status != 400 || errorCode(t, r) != "bad_format" {
		t.Errorf("pdf: %d %s", r.status, r.body)
	}
	r = do(t, s, "POST", "/api/v1/scan", strings.NewReader("PK\x03\x04 not really a workbook"))
	if r.status != 422 || errorCode(t, r) != "bad_input" {
		t.Errorf("a broken workbook: %d %s", r.status, r.body)
	}
}

func TestScanLimits(t *testing.T) {
	tmp := t.TempDir()
	s := newServer(t, Config{TempDir: tmp, MaxUpload: 100, MaxScans: 1})
	r := do(t, s, "POST", "/api/v1/scan?format=csv", strings.NewReader(export+strings.Repeat("91330205MA2AAAAA1X,某某五金有限公司,五金\n", 10)))
	if r.status != 413 || errorCode(t, r) != "body_too_large" {
		t.Errorf("too large: %d %s", r.status, r.body)
	}
	emptyDir(t, tmp)
	s.scans <- struct{}{} // the one scan slot is taken
	r = do(t, s, "POST", "/api/v1/scan?format=csv", strings.NewReader("企业名称\n甲\n"))
	if r.status != 503 || r.header.Get("Retry-After") == "" || errorCode(t, r) != "busy" {
		t.Errorf("busy: %d %v %s", r.status, r.header, r.body)
	}
	<-s.scans
	r = do(t, s, "POST", "/api/v1/scan?format=csv", strings.NewReader("企业名称\n甲\n"))
	if r.status != 200 {
		t.Errorf("a slot free again: %d %s", r.status, r.body)
	}
}

// One workbook is built at a time, whatever --max-scans allows: each holds
// about 140 MB until it is written. A CSV scan still runs beside it, and a
// refused workbook scan gives its scan slot back.
func TestOneWorkbookScanAtATime(t *testing.T) {
	s := newServer(t, Config{TempDir: t.TempDir(), MaxScans: 2})
	s.books <- struct{}{} // a workbook is being built
	r := do(t, s, "POST", "/api/v1/scan?format=xlsx", strings.NewReader(export))
	if r.status != 503 || r.header.Get("Retry-After") == "" || errorCode(t, r) != "busy" {
		t.Errorf("a second workbook: %d %v %s", r.status, r.header, r.body)
	}
	if n := len(s.scans); n != 0 {
		t.Errorf("%d scan slots held after a refusal", n)
	}
	if r := do(t, s, "POST", "/api/v1/scan?format=csv", strings.NewReader(export)); r.status != 200 {
		t.Errorf("a CSV scan beside the workbook: %d %s", r.status, r.body)
	}
	<-s.books
	if r := do(t, s, "POST", "/api/v1/scan?format=xlsx", strings.NewReader(export)); r.status != 200 {
		t.Errorf("the workbook slot free again: %d %s", r.status, r.body)
	}
}

// slowBody gives the export's first rows, then blocks until released.
type slowBody struct {
	first   io.Reader
	release chan struct{}
	started chan struct{}
	once    sync.Once
}

func (b *slowBody) Read(p []byte) (int, error) {
	n, err := b.first.Read(p)
	if err == io.EOF {
		b.once.Do(func() { close(b.started) })
		<-b.release
		return 0, io.EOF
	}
	return n, nil
}

// TestDisconnectCancelsTheScan: a client that goes away mid-upload ends
// its run, and the run's files are removed.
func TestDisconnectCancelsTheScan(t *testing.T) {
	tmp := t.TempDir()
	s := newServer(t, Config{TempDir: tmp})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/v1/scan", pr)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	go pw.Write([]byte(export))
	for i := 0; i < 500 && len(dirEntries(tmp)) == 0; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if len(dirEntries(tmp)) == 0 {
		t.Fatal("the scan never started")
	}
	cancel()
	pw.CloseWithError(context.Canceled) // the client's body ends with it
	<-done
	for i := 0; i < 500 && (len(dirEntries(tmp)) > 0 || s.metrics.inFlight.Load() > 0); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	emptyDir(t, tmp)
	if n := s.metrics.inFlight.Load(); n != 0 {
		t.Errorf("%d requests still running after the client left", n)
	}
}

func dirEntries(dir string) []os.DirEntry {
	es, _ := os.ReadDir(dir)
	return es
}

// TestScanDeadline: an upload that stalls past the scan's deadline is
// answered 504 and leaves nothing behind.
func TestScanDeadline(t *testing.T) {
	tmp := t.TempDir()
	s := newServer(t, Config{TempDir: tmp, ScanTimeout: 300 * time.Millisecond})
	ts := httptest.NewUnstartedServer(s.Handler())
	ts.Config = s.HTTPServer()
	ts.Start()
	defer ts.Close()
	body := &slowBody{first: strings.NewReader(export), release: make(chan struct{}), started: make(chan struct{})}
	defer close(body.release)
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/scan?format=csv", body)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusGatewayTimeout && resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("stalled upload: %d %s %v", resp.StatusCode, b, resp.Header)
	}
	for i := 0; i < 200 && len(dirEntries(tmp)) > 0; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	emptyDir(t, tmp)
}

// TestHeaderTimeout: a client that never finishes its headers is cut off.
func TestHeaderTimeout(t *testing.T) {
	s := newServer(t, Config{HeaderTimeout: 200 * time.Millisecond})
	ts := httptest.NewUnstartedServer(s.Handler())
	ts.Config = s.HTTPServer()
	ts.Start()
	defer ts.Close()
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n"))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	b, _ := io.ReadAll(c)
	if time.Since(start) > 4*time.Second || strings.Contains(string(b), "200 OK") {
		t.Errorf("slow headers not cut off: %q after %v", b, time.Since(start))
	}
}

func TestTokenRequiredOffLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.168.1.5:80"} {
		if _, err := New(Config{Addr: addr}, screener(t)); err == nil {
			t.Errorf("%s without a token was accepted", addr)
		}
		if _, err := New(Config{Addr: addr, Token: "t"}, screener(t)); err != nil {
			t.Errorf("%s with a token: %v", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:8080", "localhost:1", "[::1]:8080"} {
		if _, err := New(Config{Addr: addr}, screener(t)); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
	if _, err := New(Config{CertFile: "a.pem"}, screener(t)); err == nil {
		t.Error("--cert without --key was accepted")
	}
}

func TestToken(t *testing.T) {
	s := newServer(t, Config{Addr: "0.0.0.0:8080", Token: "s3cret"})
	for _, path := range []string{"/api/v1/dictionary", "/metrics", "/app.js"} {
		r := do(t, s, "GET", path, nil)
		if r.status != 401 || errorCode(t, r) != "unauthorized" {
			t.Errorf("%s without the token: %d", path, r.status)
		}
		if r := do(t, s, "GET", path, nil, "Authorization", "Bearer wrong"); r.status != 401 {
			t.Errorf("%s with a wrong token: %d", path, r.status)
		}
		if r := do(t, s, "GET", path, nil, "Authorization", "Bearer s3cret"); r.status != 200 {
			t.Errorf("%s with the token: %d", path, r.status)
		}
	}
	if r := do(t, s, "GET", "/healthz", nil); r.status != 200 {
		t.Errorf("healthz is for load balancers: %d", r.status)
	}
	// A page asks for the token once and keeps a session cookie.
	if r := do(t, s, "GET", "/", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Errorf("page without the token: %d %v", r.status, r.header)
	}
	r := do(t, s, "POST", "/login", strings.NewReader("token=wrong"), "Content-Type", "application/x-www-form-urlencoded")
	if len(r.header.Values("Set-Cookie")) != 0 {
		t.Error("a wrong token got a cookie")
	}
	if page := do(t, s, "GET", r.header.Get("Location"), nil); !strings.Contains(string(page.body), `<p class="error" id="wrong">`) {
		t.Errorf("after a wrong token (%s) the page does not say so", r.header.Get("Location"))
	}
	if page := do(t, s, "GET", "/login", nil); !strings.Contains(string(page.body), `id="wrong" hidden`) {
		t.Error("the login page says the token was wrong before one was given")
	}
	r = do(t, s, "POST", "/login", strings.NewReader("token=s3cret"), "Content-Type", "application/x-www-form-urlencoded")
	cookie := r.header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") || strings.Contains(cookie, "s3cret") {
		t.Fatalf("session cookie %q", cookie)
	}
	kv := strings.SplitN(cookie, ";", 2)[0]
	if r := do(t, s, "GET", "/", nil, "Cookie", kv); r.status != 200 || !strings.Contains(string(r.body), "名称核查") {
		t.Errorf("page with the cookie: %d", r.status)
	}
	if r := do(t, s, "POST", "/api/v1/check", checkBody(CheckRecord{Name: "甲"}), "Cookie", kv); r.status != 200 {
		t.Errorf("API with the cookie: %d", r.status)
	}
}

func TestOtherOriginRefused(t *testing.T) {
	s := newServer(t, Config{})
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"},
		{"Origin", "http://evil.example"},
	} {
		for _, path := range []string{"/api/v1/check", "/api/v1/scan", "/login"} {
			r := do(t, s, "POST", path, checkBody(CheckRecord{Name: "甲"}), h...)
			if r.status != 403 || errorCode(t, r) != "cross_origin" {
				t.Errorf("%s with %v: %d", path, h, r.status)
			}
		}
	}
	// The same origin, and programs that send no Origin, are served.
	if r := do(t, s, "POST", "/api/v1/check", checkBody(CheckRecord{Name: "甲"}), "Sec-Fetch-Site", "same-origin"); r.status != 200 {
		t.Errorf("same origin: %d", r.status)
	}
	if r := do(t, s, "POST", "http://127.0.0.1:8080/api/v1/check", checkBody(CheckRecord{Name: "甲"}), "Origin", "http://127.0.0.1:8080"); r.status != 200 {
		t.Errorf("same origin by Origin: %d %s", r.status, r.body)
	}
}

// TestHostileNameStaysText: a name that is markup comes back as a JSON
// string, pages insert text only with textContent, and pages forbid
// inline script.
func TestHostileNameStaysText(t *testing.T) {
	s := newServer(t, Config{})
	name := `<script>alert("x")</script>理财公司<img src=x onerror=alert(1)>`
	r := do(t, s, "POST", "/api/v1/check", checkBody(CheckRecord{Name: name}))
	var got checkResult
	if err := json.Unmarshal(r.body, &got); err != nil || got.Results[0]["name"] != name {
		t.Fatalf("%s", r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("content type %q", ct)
	}
	js, _ := pages.ReadFile("pages/app.js")
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if bytes.Contains(js, []byte(sink)) {
			t.Errorf("app.js uses %s", sink)
		}
	}
	page := do(t, s, "GET", "/", nil)
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
}

func TestPagesAreAFixedList(t *testing.T) {
	s := newServer(t, Config{})
	for _, p := range []string{"/", "/app.js", "/style.css", "/login"} {
		if r := do(t, s, "GET", p, nil); r.status != 200 || len(r.body) == 0 {
			t.Errorf("%s: %d", p, r.status)
		}
	}
	for _, p := range []string{"/pages/app.js", "/../web.go", "/index.html", "/app.js/", "/%2e%2e/go.mod"} {
		if r := do(t, s, "GET", p, nil); r.status == 200 {
			t.Errorf("%s served", p)
		}
	}
}

// TestAccessLogAndMetrics: the log has method, path, status and records
// but never record text or the query; /metrics counts the requests.
func TestAccessLogAndMetrics(t *testing.T) {
	var log bytes.Buffer
	s := newServer(t, Config{AccessLog: &log, Store: filepath.Join(t.TempDir(), "none.db")})
	do(t, s, "POST", "/api/v1/check", checkBody(CheckRecord{Name: "机密理财有限公司"}, CheckRecord{Name: "乙"}))
	do(t, s, "GET", "/api/v1/history?q=机密理财有限公司", nil)
	l := log.String()
	if !strings.Contains(l, "POST /api/v1/check 200") || !strings.Contains(l, "records=2") || !strings.Contains(l, "GET /api/v1/history") {
		t.Errorf("access log %q", l)
	}
	if strings.Contains(l, "机密") || strings.Contains(l, "q=") || strings.Contains(l, "%E6") {
		t.Errorf("record text in the access log: %q", l)
	}
	m := string(do(t, s, "GET", "/metrics", nil).body)
	for _, want := range []string{
		`regscreen_http_requests_total{route="/api/v1/check",status="200"} 1`,
		`regscreen_records_screened_total{route="/api/v1/check"} 2`,
		`regscreen_http_request_duration_seconds_count{route="/api/v1/check"} 1`,
		"# TYPE regscreen_http_requests_total counter",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
}

// TestGracefulShutdown: a request in flight when the signal comes is
// finished, then Serve returns.
func TestGracefulShutdown(t *testing.T) {
	s := newServer(t, Config{Addr: "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, 10*time.Second, func(a string) { addrc <- a }) }()
	addr := <-addrc
	body := &slowBody{first: strings.NewReader(export), release: make(chan struct{}), started: make(chan struct{})}
	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/scan?format=csv", body)
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{0, err}
			return
		}
		resp.Body.Close()
		got <- result{resp.StatusCode, nil}
	}()
	<-body.started
	for i := 0; i < 500 && s.metrics.inFlight.Load() == 0; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	time.Sleep(100 * time.Millisecond)
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("still taking connections after the signal")
	}
	close(body.release)
	if r := <-got; r.err != nil || r.status != 200 {
		t.Errorf("request in flight: %v %d", r.err, r.status)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}
