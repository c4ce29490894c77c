package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Page sessions. A page cannot send the bearer token the API asks for, so
// when a token is configured a page that writes asks for it once and keeps
// a signed session cookie instead (HttpOnly, SameSite=Strict). Every form
// that posts carries a CSRF token derived from the session. Sessions are
// stateless: the cookie holds an id, a flag and a time, signed with a key
// derived from the token.

const (
	sessionCookie = "escale_session"
	// sessionLife bounds a logged-in session even if the browser stays open.
	sessionLife = 12 * time.Hour
	csrfField   = "csrf"
)

// session is a visitor's page session.
type session struct {
	id     [16]byte
	authed bool // the visitor gave the token
	issued time.Time
}

func hmacSum(key, msg []byte) [32]byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	var out [32]byte
	copy(out[:], m.Sum(nil))
	return out
}

func (s *Server) encodeSession(ss session) string {
	buf := make([]byte, 25)
	copy(buf, ss.id[:])
	if ss.authed {
		buf[16] = 1
	}
	binary.BigEndian.PutUint64(buf[17:], uint64(ss.issued.Unix()))
	mac := hmacSum(s.ui.key, buf)
	return base64.RawURLEncoding.EncodeToString(buf) + "." + base64.RawURLEncoding.EncodeToString(mac[:])
}

func (s *Server) decodeSession(v string) (session, bool) {
	var ss session
	body, sig, ok := strings.Cut(v, ".")
	if !ok {
		return ss, false
	}
	buf, err1 := base64.RawURLEncoding.DecodeString(body)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || len(buf) != 25 {
		return ss, false
	}
	want := hmacSum(s.ui.key, buf)
	if !hmac.Equal(mac, want[:]) {
		return ss, false
	}
	copy(ss.id[:], buf[:16])
	ss.authed = buf[16] == 1
	ss.issued = time.Unix(int64(binary.BigEndian.Uint64(buf[17:])), 0)
	if ss.authed && time.Since(ss.issued) > sessionLife {
		return ss, false
	}
	return ss, true
}

// session returns the visitor's session, starting an anonymous one (set
// as a cookie) when there is none or it is no longer valid. It is stored in
// the request's context so that a page sees the session it set.
func (s *Server) session(c *gin.Context) session {
	if v, ok := c.Get(sessionCookie); ok {
		return v.(session)
	}
	if v, err := c.Cookie(sessionCookie); err == nil {
		if ss, ok := s.decodeSession(v); ok {
			c.Set(sessionCookie, ss)
			return ss
		}
	}
	return s.startSession(c, false)
}

// startSession sets a new session cookie: a new id, so that logging in
// gives new CSRF tokens too.
func (s *Server) startSession(c *gin.Context, authed bool) session {
	ss := session{authed: authed, issued: time.Now()}
	rand.Read(ss.id[:])
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     sessionCookie,
		Value:    s.encodeSession(ss),
		Path:     "/",
		HttpOnly: true,
		Secure:   c.Request.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
	c.Set(sessionCookie, ss)
	return ss
}

func (s *Server) csrfToken(ss session) string {
	mac := hmacSum(s.ui.key, append([]byte("csrf\x00"), ss.id[:]...))
	return base64.RawURLEncoding.EncodeToString(mac[:])
}

// checkCSRF says whether a posted form's token belongs to the visitor's
// session. A request another site sent has no session cookie (SameSite)
// or not its token.
func (s *Server) checkCSRF(c *gin.Context, token string) bool {
	if site := c.GetHeader("Sec-Fetch-Site"); site == "cross-site" {
		return false
	}
	v, err := c.Cookie(sessionCookie)
	if err != nil {
		return false
	}
	ss, ok := s.decodeSession(v)
	if !ok {
		return false
	}
	c.Set(sessionCookie, ss)
	want := s.csrfToken(ss)
	return subtle.ConstantTimeCompare([]byte(token), []byte(want)) == 1
}

// authed says whether the visitor may use pages that need the token.
func (s *Server) authed(c *gin.Context) bool {
	return s.cfg.Token == "" || s.session(c).authed
}

// pageAuth guards pages: when required and a token is configured, a
// visitor without a logged-in session gets the form asking for the token
// (200, as the contract says), then comes back here.
func (s *Server) pageAuth(required bool) gin.HandlerFunc {
	if !required {
		return func(c *gin.Context) { c.Next() }
	}
	return func(c *gin.Context) {
		if s.authed(c) {
			c.Next()
			return
		}
		next := c.Request.URL.RequestURI()
		if c.Request.Method != http.MethodGet {
			next = c.Request.URL.Path
		}
		s.render(c, http.StatusOK, "login", &page{Title: "Jeton d’accès", Data: loginData{Next: next}})
		c.Abort()
	}
}

// loginData is the token form's.
type loginData struct {
	Next string
}

// msgBadCSRF is what a form gets when its token does not match.
const msgBadCSRF = "Ce formulaire a expiré ou ne vient pas d’Escale. Rechargez la page puis envoyez-le de nouveau."

// loginPage is GET /connexion.
func (s *Server) loginPage(c *gin.Context) {
	if s.cfg.Token == "" { // nothing to ask
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("suite")))
		return
	}
	s.render(c, http.StatusOK, "login", &page{Title: "Jeton d’accès", Data: loginData{Next: safeNext(c.Query("suite"))}})
}

// login is POST /connexion: checks the token (in constant time, as the
// API does) and starts a logged-in session.
func (s *Server) login(c *gin.Context) {
	next := safeNext(c.PostForm("suite"))
	if !s.checkCSRF(c, c.PostForm(csrfField)) {
		s.render(c, http.StatusForbidden, "login", &page{Title: "Jeton d’accès", Error: msgBadCSRF, Data: loginData{Next: next}})
		return
	}
	if s.cfg.Token == "" {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(c.PostForm("jeton"))))
	want := sha256.Sum256([]byte(s.cfg.Token))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		s.log.Info("page login refused", "remote", c.ClientIP())
		s.render(c, http.StatusForbidden, "login", &page{Title: "Jeton d’accès",
			Error: "Ce jeton n’est pas le bon. Vérifiez-le auprès de la personne qui administre Escale, puis réessayez.",
			Data:  loginData{Next: next}})
		return
	}
	s.startSession(c, true)
	c.Redirect(http.StatusSeeOther, next)
}

// logout is POST /deconnexion.
func (s *Server) logout(c *gin.Context) {
	if !s.checkCSRF(c, c.PostForm(csrfField)) {
		s.render(c, http.StatusForbidden, "error", &page{Title: "Erreur", Error: msgBadCSRF})
		return
	}
	s.startSession(c, false)
	c.Redirect(http.StatusSeeOther, "/")
}

// safeNext keeps a redirect target on this site: a path, never another host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
