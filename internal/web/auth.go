package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"github.com/gin-gonic/gin"
)

// auth returns the middleware that asks for the bearer token when one is
// configured and required is true. Tokens are compared in constant time (as
// hashes, so that not even their length leaks) and never logged.
func (s *Server) auth(required bool) gin.HandlerFunc {
	if s.cfg.Token == "" || !required {
		return func(c *gin.Context) { c.Next() }
	}
	want := sha256.Sum256([]byte(s.cfg.Token))
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		scheme, token, _ := strings.Cut(h, " ")
		got := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			s.fail(c, errUnauthorized)
			return
		}
		c.Next()
	}
}
