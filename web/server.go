// Package web is regscreen's HTTP server: the JSON API a registration
// system calls (check, scan, the dictionary and, with a store, its runs,
// changes, history and the consultation's decisions) and the pages a
// clerk uses in a browser. It screens with the same engine and scans
// through the same run (package run) as the CLI, so verdicts, accounting
// and limits are the CLI's.
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"time"

	"github.com/regscreen/regscreen/screen"
)

// Config is how the server runs; the zero values of the limits take the
// defaults below.
type Config struct {
	Addr     string // host:port; 127.0.0.1:8080 when empty
	Token    string // the access token; required unless Addr is loopback
	CertFile string // TLS, when both are set
	KeyFile  string
	Store    string // the store's path; "" serves no store endpoints

	MaxCheckBody  int64         // bytes of a check request
	MaxCheckRecs  int           // records in one check request
	MaxUpload     int64         // bytes of a scan or decisions upload
	MaxScans      int           // scans at once; the rest get 503
	CheckTimeout  time.Duration // a deadline for each non-scan request
	ScanTimeout   time.Duration // a deadline for each scan and upload
	HeaderTimeout time.Duration // to read a request's headers
	IdleTimeout   time.Duration // a keep-alive connection left idle
	StoreWait     time.Duration // for another regscreen holding the store
	TempDir       string        // where uploads and workbooks are kept while a request runs ("" = os.TempDir())
	Workers       int           // screening goroutines for a scan
	Tool          string        // the tool and version, for a workbook's 说明 sheet
	AccessLog     io.Writer     // nil: no access log
	Now           func() time.Time
}

// Defaults for the limits.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultMaxCheckBody  = 4 << 20
	DefaultMaxCheckRecs  = 1000
	DefaultMaxUpload     = 2 << 30
	DefaultCheckTimeout  = 30 * time.Second
	DefaultScanTimeout   = 60 * time.Minute
	DefaultHeaderTimeout = 10 * time.Second
	DefaultIdleTimeout   = 2 * time.Minute
)

func (c *Config) defaults() {
	set := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	setD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	set(&c.MaxCheckBody, DefaultMaxCheckBody)
	set(&c.MaxUpload, DefaultMaxUpload)
	if c.MaxCheckRecs <= 0 {
		c.MaxCheckRecs = DefaultMaxCheckRecs
	}
	if c.MaxScans <= 0 {
		c.MaxScans = 2
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0) // as scan does; the searcher's own default is one
	}
	setD(&c.CheckTimeout, DefaultCheckTimeout)
	setD(&c.ScanTimeout, DefaultScanTimeout)
	setD(&c.HeaderTimeout, DefaultHeaderTimeout)
	setD(&c.IdleTimeout, DefaultIdleTimeout)
	setD(&c.StoreWait, 30*time.Second)
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Server serves the API and the pages.
type Server struct {
	cfg   Config
	scr   *screen.Screener
	scans chan struct{} // a slot per scan that may run
	// books is the one slot for a scan that builds a workbook: each holds
	// about 140 MB until the workbook is written, and two at once took the
	// server to 294 MB.
	books   chan struct{}
	metrics *metrics
	cop     *http.CrossOriginProtection
	handler http.Handler
}

// ConfigError is a configuration the server refuses to start with.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// New makes a server screening with scr.
func New(cfg Config, scr *screen.Screener) (*Server, error) {
	cfg.defaults()
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, &ConfigError{fmt.Sprintf("监听地址 %q 应为 主机:端口，如 127.0.0.1:8080", cfg.Addr)}
	}
	if cfg.Token == "" && !loopback(host) {
		return nil, &ConfigError{fmt.Sprintf("在 %s 上监听须设访问令牌（--token 或 --token-file），否则同一网络中任何人都能使用", cfg.Addr)}
	}
	if (cfg.CertFile == "") != (cfg.KeyFile == "") {
		return nil, &ConfigError{"--cert 和 --key 须同时给出"}
	}
	s := &Server{cfg: cfg, scr: scr, scans: make(chan struct{}, cfg.MaxScans), books: make(chan struct{}, 1), metrics: newMetrics(),
		cop: http.NewCrossOriginProtection()}
	s.handler = s.routes()
	return s, nil
}

// loopback reports whether host is only reachable from this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Handler is the server's handler (tests drive it through httptest).
func (s *Server) Handler() http.Handler { return s.handler }

// HTTPServer is the http.Server with the configured timeouts. The read
// and write timeouts bound a whole request, so they are the scan's
// deadline plus a margin; handlers set tighter deadlines of their own.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              s.cfg.Addr,
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.HeaderTimeout,
		ReadTimeout:       s.cfg.ScanTimeout + time.Minute,
		WriteTimeout:      s.cfg.ScanTimeout + time.Minute,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(io.Discard, "", 0), // TLS handshake noise; the access log says what matters
	}
}

// Serve listens and serves until ctx is cancelled, then stops taking
// connections and gives the requests in flight grace to finish before
// cancelling them. ready, if set, is called with the address listened on.
func (s *Server) Serve(ctx context.Context, grace time.Duration, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("无法在 %s 上监听（端口被占用或没有权限？）: %w", s.cfg.Addr, err)
	}
	hs := s.HTTPServer()
	reqCtx, cancelReqs := context.WithCancel(context.Background())
	defer cancelReqs()
	hs.BaseContext = func(net.Listener) context.Context { return reqCtx }
	if ready != nil {
		ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() {
		if s.cfg.CertFile != "" {
			done <- hs.ServeTLS(ln, s.cfg.CertFile, s.cfg.KeyFile)
		} else {
			done <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-done:
		return fmt.Errorf("服务意外停止: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		cancelReqs() // the runs still going abort and remove their files
		hs.Close()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// tempDir is where a request keeps its files.
func (s *Server) tempDir() string {
	if s.cfg.TempDir != "" {
		return s.cfg.TempDir
	}
	return os.TempDir()
}
