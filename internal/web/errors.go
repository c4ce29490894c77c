package web

import (
	"context"
	"errors"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
)

// apiError is an error the web layer itself raises, with what the client
// sees.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

var (
	errNoRoute = &apiError{http.StatusNotFound, "not_found",
		"Cette adresse n’existe pas. L’API est sous /api/v1 (documents, missions, search)."}
	errNoMethod = &apiError{http.StatusMethodNotAllowed, "method_not_allowed",
		"Cette méthode n’est pas permise à cette adresse."}
	errUnauthorized = &apiError{http.StatusUnauthorized, "unauthorized",
		"Cette action demande le jeton d’accès : ajoutez l’en-tête « Authorization: Bearer JETON »."}
	errNoFile = &apiError{http.StatusBadRequest, "no_file",
		"Aucun fichier reçu : envoyez le rapport dans le champ « file » d’un formulaire multipart/form-data."}
	errBadForm = &apiError{http.StatusBadRequest, "bad_request",
		"Le formulaire envoyé est illisible : envoyez une requête multipart/form-data avec le fichier dans le champ « file »."}
	errBadPatch = &apiError{http.StatusUnsupportedMediaType, "bad_request",
		"La correction doit être envoyée en JSON (Content-Type: application/merge-patch+json ou application/json)."}
	errPanic = &apiError{http.StatusInternalServerError, "internal",
		"Erreur interne du serveur. Réessayez ; si l’erreur persiste, signalez-la avec l’heure de la demande."}
)

// fail answers a request with the error's status, stable code and French
// message: the one place that decides them. The real error goes to the log
// once, here; 5xx only for our own faults.
func (s *Server) fail(c *gin.Context, err error) {
	status, code, message := classify(err)
	switch {
	case status >= 500 && status != http.StatusServiceUnavailable:
		s.log.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "status", status, "err", err)
	default:
		s.log.Info("request refused", "method", c.Request.Method, "path", c.Request.URL.Path, "status", status, "code", code, "detail", err.Error())
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", strconv.Itoa(int(s.cfg.RetryAfter.Seconds())))
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="escale"`)
	}
	c.AbortWithStatusJSON(status, gin.H{"error": gin.H{"code": code, "message": message}})
}

// classify maps an error to what the client sees.
func classify(err error) (status int, code, message string) {
	var api *apiError
	var invalid *service.InvalidError
	var tooBig *http.MaxBytesError
	if r, ok := mission.RefusalOf(err); ok {
		return refusalStatus(r), r.Code, r.Message
	}
	switch {
	case errors.As(err, &api):
		return api.status, api.code, api.message
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, mission.ErrTooLarge.Code, mission.ErrTooLarge.Message
	case errors.As(err, &invalid):
		return http.StatusBadRequest, "invalid", invalid.Message
	case errors.Is(err, index.ErrBadQuery):
		msg := err.Error()
		if i := strings.Index(msg, index.ErrBadQuery.Error()+": "); i >= 0 {
			msg = msg[i+len(index.ErrBadQuery.Error())+2:]
		}
		return http.StatusBadRequest, "bad_query", msg
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "not_found",
			"Aucune mission ne porte cet identifiant : elle a peut-être été supprimée. Cherchez-la dans /api/v1/search."
	case errors.Is(err, service.ErrBusy):
		return http.StatusServiceUnavailable, "busy",
			"Le serveur lit déjà beaucoup de fichiers. Réessayez dans quelques secondes."
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "canceled",
			"La demande a été interrompue avant la fin. Réessayez."
	}
	return errPanic.status, errPanic.code, errPanic.message
}

// refusalStatus is the HTTP status of a refused file.
func refusalStatus(r *mission.Refusal) int {
	switch r {
	case mission.ErrTooLarge:
		return http.StatusRequestEntityTooLarge
	case mission.ErrUnsupported:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusUnprocessableEntity
}

func stack() []byte { return debug.Stack() }
