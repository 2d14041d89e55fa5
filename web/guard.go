package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// apiError is every error the API returns: a stable code for programs
// and a Chinese message for people.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(apiError{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // the content type is JSON; pages insert text with textContent
	enc.Encode(v)
}

// sessionCookie is the cookie a page keeps after it gave the token.
const sessionCookie = "regscreen_session"

// sessionValue is the cookie's value for a token: a keyed hash, so the
// token itself is never in the cookie.
func sessionValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("regscreen session v1"))
	return hex.EncodeToString(m.Sum(nil))
}

// authorized reports whether r carries the token, as a bearer token or
// a session cookie. Without a token (loopback only) everyone is.
func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.Token == "" {
		return true
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return subtle.ConstantTimeCompare([]byte(strings.TrimPrefix(h, "Bearer ")), []byte(s.cfg.Token)) == 1
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return subtle.ConstantTimeCompare([]byte(c.Value), []byte(sessionValue(s.cfg.Token))) == 1
	}
	return false
}

// guard wraps a handler: another origin's POST is refused, and without
// the token an API call gets 401 and a page is sent to the login page.
func (s *Server) guard(page bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.cop.Check(r); err != nil {
			writeError(w, http.StatusForbidden, "cross_origin", "拒绝来自其他网站的请求；请直接在本服务的页面上操作")
			return
		}
		if !s.authorized(r) {
			if page {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="regscreen"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "缺少或错误的访问令牌；请在请求头中加上 Authorization: Bearer 令牌")
			return
		}
		h(w, r)
	}
}

// loggedWriter remembers the status for the access log and metrics.
type loggedWriter struct {
	http.ResponseWriter
	status  int
	records int // set by handlers that screen records
}

func (w *loggedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *loggedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *loggedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// setRecords tells the access log how many records a request screened.
func setRecords(w http.ResponseWriter, n int) {
	if lw, ok := w.(*loggedWriter); ok {
		lw.records = n
	}
}

// observe logs each request and counts it: method, path (never the query,
// which can hold a company name), status, duration and records.
func (s *Server) observe(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &loggedWriter{ResponseWriter: w}
		s.metrics.inFlight.Add(1)
		defer func() {
			s.metrics.inFlight.Add(-1)
			if lw.status == 0 {
				lw.status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.observe(route, lw.status, d, lw.records)
			if s.cfg.AccessLog != nil {
				fmt.Fprintf(s.cfg.AccessLog, "%s %s %s %d %.1fms records=%d\n", start.Format(time.RFC3339),
					r.Method, route, lw.status, float64(d.Microseconds())/1000, lw.records)
			}
		}()
		h.ServeHTTP(lw, r)
	})
}

// metrics are the request counters /metrics serves.
type metrics struct {
	inFlight atomic.Int64
	mu       sync.Mutex
	requests map[[2]string]int64
	duration map[string]*histogram
	records  map[string]int64
}

type histogram struct {
	counts []int64 // per bucket, cumulative when written
	sum    float64
	n      int64
}

var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]int64{},
		duration: map[string]*histogram{}, records: map[string]int64{}}
}

func (m *metrics) observe(route string, status int, d time.Duration, recs int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, strconv.Itoa(status)}]++
	h := m.duration[route]
	if h == nil {
		h = &histogram{counts: make([]int64, len(buckets))}
		m.duration[route] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
		}
	}
	h.sum += sec
	h.n++
	m.records[route] += int64(recs)
}

// write writes the Prometheus text format (version 0.0.4).
func (m *metrics) write(w http.ResponseWriter) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintln(w, "# HELP regscreen_http_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE regscreen_http_requests_total counter")
	for k, n := range m.requests {
		fmt.Fprintf(w, "regscreen_http_requests_total{route=%q,status=%q} %d\n", k[0], k[1], n)
	}
	fmt.Fprintln(w, "# HELP regscreen_http_request_duration_seconds Time to serve a request.")
	fmt.Fprintln(w, "# TYPE regscreen_http_request_duration_seconds histogram")
	for route, h := range m.duration {
		for i, b := range buckets {
			fmt.Fprintf(w, "regscreen_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", route, b, h.counts[i])
		}
		fmt.Fprintf(w, "regscreen_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, h.n)
		fmt.Fprintf(w, "regscreen_http_request_duration_seconds_sum{route=%q} %g\n", route, h.sum)
		fmt.Fprintf(w, "regscreen_http_request_duration_seconds_count{route=%q} %d\n", route, h.n)
	}
	fmt.Fprintln(w, "# HELP regscreen_records_screened_total Records screened, by route.")
	fmt.Fprintln(w, "# TYPE regscreen_records_screened_total counter")
	for route, n := range m.records {
		fmt.Fprintf(w, "regscreen_records_screened_total{route=%q} %d\n", route, n)
	}
	fmt.Fprintln(w, "# HELP regscreen_http_requests_in_flight Requests being served.")
	fmt.Fprintln(w, "# TYPE regscreen_http_requests_in_flight gauge")
	fmt.Fprintf(w, "regscreen_http_requests_in_flight %d\n", m.inFlight.Load())
}
