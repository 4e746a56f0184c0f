package review

import (
	"crypto/subtle"
	"net/http"
	"net/url"
)

// tokenCookie carries the token after the first visit, so links need not repeat it.
const tokenCookie = "ferry_review"

// csp allows only the page's own scripts, styles, images and connections: no inline script,
// no eval, no frames, forms only to itself.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func setSecurityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// hostAllowed refuses requests whose Host is not the address the server listens on, so a
// web page that rebinds its own name to 127.0.0.1 cannot reach it.
func (s *Server) hostAllowed(r *http.Request) bool {
	return s.cfg.Host == "" || r.Host == s.cfg.Host
}

// authorised checks the token (query or cookie). A valid ?token= on a GET sets the cookie and
// redirects to the same URL without it, so the token does not stay in the address bar.
func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	if q := r.URL.Query().Get("token"); q != "" && equal(q, s.token) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.token, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode})
		if r.Method == http.MethodGet {
			u := *r.URL
			v := u.Query()
			v.Del("token")
			u.RawQuery = v.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return false
		}
		return true
	}
	if c, err := r.Cookie(tokenCookie); err == nil && equal(c.Value, s.token) {
		return true
	}
	http.Error(w, "this page needs the token ferry review printed: open the URL it printed", http.StatusUnauthorized)
	return false
}

// csrfOK checks a POST: the form's csrf field (or the X-CSRF-Token header) must match, and
// the Origin, when the browser sends one, must be this server.
func (s *Server) csrfOK(r *http.Request) bool {
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf")
	}
	if !equal(tok, s.csrf) {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
