package web

import (
	"bytes"
	"crypto/subtle"
	"embed"
	"net/http"
)

//go:embed pages
var pages embed.FS

// pageFiles are the only files served: a fixed list, never a path from
// the request.
var pageFiles = map[string]struct{ file, ctype string }{
	"/":          {"pages/index.html", "text/html; charset=utf-8"},
	"/app.js":    {"pages/app.js", "text/javascript; charset=utf-8"},
	"/style.css": {"pages/style.css", "text/css; charset=utf-8"},
}

// contentSecurity keeps the pages to their own scripts: no inline script,
// no other origin, so injected markup could not run even if it got in.
const contentSecurity = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (s *Server) pageRoutes(handle func(pattern, route string, h http.HandlerFunc)) {
	for path, f := range pageFiles {
		pattern := "GET " + path
		if path == "/" {
			pattern = "GET /{$}"
		}
		handle(pattern, path, s.guard(path == "/", func(w http.ResponseWriter, r *http.Request) {
			s.servePage(w, f.file, f.ctype)
		}))
	}
	// The login page and its style are open: they are how a token is given.
	handle("GET /login", "/login", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("wrong") { // after a wrong token: the page says so, without a script
			s.servePage(w, "pages/login.html", "text/html; charset=utf-8", `id="wrong" hidden`, `id="wrong"`)
			return
		}
		s.servePage(w, "pages/login.html", "text/html; charset=utf-8")
	})
	handle("GET /login.css", "/login.css", func(w http.ResponseWriter, r *http.Request) {
		s.servePage(w, "pages/style.css", "text/css; charset=utf-8")
	})
	handle("POST /login", "/login", s.login)
	handle("POST /logout", "/logout", s.logout)
}

// servePage sends an embedded file; edit, if given, is an old and a new
// string to replace in it.
func (s *Server) servePage(w http.ResponseWriter, file, ctype string, edit ...string) {
	b, err := pages.ReadFile(file)
	if err != nil {
		http.Error(w, "页面缺失", http.StatusInternalServerError)
		return
	}
	if len(edit) == 2 {
		b = bytes.Replace(b, []byte(edit[0]), []byte(edit[1]), 1)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.Write(b)
}

// login takes the token from the login form and keeps a session cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := s.cop.Check(r); err != nil {
		writeError(w, http.StatusForbidden, "cross_origin", "拒绝来自其他网站的请求；请直接在本服务的页面上操作")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	token := r.PostFormValue("token")
	if s.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.Token)) != 1 {
		http.Redirect(w, r, "/login?wrong=1", http.StatusSeeOther)
		return
	}
	if s.cfg.Token != "" {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sessionValue(s.cfg.Token), Path: "/",
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.cop.Check(r); err != nil {
		writeError(w, http.StatusForbidden, "cross_origin", "拒绝来自其他网站的请求；请直接在本服务的页面上操作")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
