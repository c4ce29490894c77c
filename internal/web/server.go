// Package web is Escale's HTTP face: the JSON API (/api/v1/...) and, beside
// it, the pages staff use (templates/). Gin lives only here. Handlers parse
// their input, call one function of the service or the index, and render;
// one function (fail) decides what an error looks like to the client.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
	"escale/internal/taxonomy"
)

// Missions is what the API asks of the service. *service.Service implements it.
type Missions interface {
	Ingest(ctx context.Context, up service.Upload) (*service.Result, error)
	Refused(ctx context.Context, filename string, size int64, err error) error
	Get(ctx context.Context, id string) (*mission.Mission, error)
	Original(ctx context.Context, id string) (*os.File, *mission.Mission, error)
	Correct(ctx context.Context, id string, cs service.Corrections, by string) (*mission.Mission, error)
	Delete(ctx context.Context, id string) error
	Entry(ctx context.Context, id string) (*store.Entry, error)
	IngestLog(ctx context.Context, limit int) ([]store.LogEntry, error)
	ValidTheme(id string) bool
}

// Searcher is what the API asks of the index. *index.Index implements it.
type Searcher interface {
	// Search finds missions, with facet counts.
	Search(ctx context.Context, q index.Query) (*index.Result, error)
	// Outcomes finds outcomes ("retombées"), with facet counts.
	Outcomes(ctx context.Context, q index.Query) (*index.OutcomeResult, error)
	// Compare counts the outcomes of q by two facets.
	Compare(ctx context.Context, q index.Query, by, split string) (*index.Matrix, error)
}

// Config is what the server needs besides its parts.
type Config struct {
	// Token, when set, is the bearer token every write must carry.
	Token string
	// ProtectReads makes reads need the token too.
	ProtectReads bool
	// MaxUpload is the largest file accepted, in bytes.
	MaxUpload int64
	// RetryAfter is what a client is told to wait when the queue is full.
	RetryAfter time.Duration
	// MaxQuery is the longest search text, in characters.
	MaxQuery int
	// MaxFilterValues is how many values a search may select in one facet
	// (city=A&city=B...).
	MaxFilterValues int
	// RequestTimeout bounds a request's work, queueing and extraction
	// included; past it the client gets a 503 to retry.
	RequestTimeout time.Duration
	// TrustedProxies are the addresses (or CIDR ranges) of reverse proxies
	// whose X-Forwarded-For is believed; none by default, so the client
	// address logged is the peer's.
	TrustedProxies []string
	Logger         *slog.Logger
	// Taxonomy names the themes on the pages; nil: the embedded default.
	Taxonomy *taxonomy.Taxonomy
	// Thumbnails draws PDF pages for the mission page; nil: no pictures.
	Thumbnails Thumbnailer
}

// Server routes HTTP requests to the service and the index.
type Server struct {
	missions Missions
	search   Searcher
	cfg      Config
	log      *slog.Logger
	engine   *gin.Engine
	ui       *ui // the pages' templates and session key
}

// Defaults.
const (
	DefaultMaxUpload       = 50 << 20
	DefaultMaxQuery        = 1000
	DefaultMaxFilterValues = 50
	DefaultRequestTimeout  = 5 * time.Minute
	defaultRetryAfter      = 5 * time.Second
	// formOverhead is what an upload may carry beyond its file: the
	// multipart framing and the metadata fields.
	formOverhead = 1 << 20
)

// New returns the server's handler.
func New(missions Missions, search Searcher, cfg Config) *Server {
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.MaxQuery <= 0 {
		cfg.MaxQuery = DefaultMaxQuery
	}
	if cfg.MaxFilterValues <= 0 {
		cfg.MaxFilterValues = DefaultMaxFilterValues
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = defaultRetryAfter
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{missions: missions, search: search, cfg: cfg, log: cfg.Logger}
	s.ui = newUI(cfg)
	e := gin.New()
	// Client addresses are the peers', not a header's, unless the operator
	// names the proxies in front.
	// The command line checks them first (CheckProxies); a bad entry here
	// trusts none rather than all.
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		s.log.Error("trusted proxies ignored", "err", err)
		e.SetTrustedProxies(nil)
	}
	e.HandleMethodNotAllowed = true
	e.Use(s.accessLog, s.recover, securityHeaders, s.deadline)
	e.NoRoute(s.noRoute)
	e.NoMethod(func(c *gin.Context) { s.fail(c, errNoMethod) })
	s.routes(e)
	s.engine = e
	return s
}

// CheckProxies says whether each entry is an IP address or a CIDR range, as
// Config.TrustedProxies wants them.
func CheckProxies(proxies []string) error {
	for _, p := range proxies {
		if _, err := netip.ParsePrefix(p); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(p); err != nil {
			return fmt.Errorf("« %s » n’est ni une adresse IP ni une plage CIDR", p)
		}
	}
	return nil
}

// routes lists every route of the server, in one place.
func (s *Server) routes(e *gin.Engine) {
	read, write := s.auth(s.cfg.ProtectReads), s.auth(true)
	api := e.Group("/api/v1")
	api.GET("/health", s.health)

	api.POST("/documents", write, s.uploadDocument)
	api.GET("/missions/:id", read, s.getMission)
	api.GET("/missions/:id/file", read, s.getFile)
	api.PATCH("/missions/:id", write, s.patchMission)
	api.DELETE("/missions/:id", write, s.deleteMission)
	api.GET("/missions/:id/corrections", read, s.getCorrections)
	api.GET("/ingest-log", read, s.getIngestLog)

	api.GET("/search", read, s.searchMissions)
	api.GET("/search.csv", read, s.searchCSV)
	api.GET("/outcomes", read, s.searchOutcomes)
	api.GET("/outcomes.csv", read, s.outcomesCSV)
	api.GET("/compare", read, s.compare)
	api.GET("/compare.csv", read, s.compareCSV)

	// The pages (page_*.go): French, server-rendered from templates/,
	// embedded and parsed once in New. Pages that write ask for the token
	// once and keep a session; their forms carry a CSRF token.
	pread, pwrite := s.pageAuth(s.cfg.ProtectReads), s.pageAuth(true)
	e.GET("/", pread, s.searchPage)
	e.GET("/recherche.csv", pread, s.searchCSV)
	e.GET("/missions/:id", pread, s.missionPage)
	e.POST("/missions/:id", pwrite, s.correctMission)
	e.GET("/missions/:id/original", pread, s.getFile)
	e.GET("/missions/:id/pages/:n", pread, s.thumbnail)
	e.GET("/televerser", pwrite, s.uploadPage)
	e.POST("/televerser", pwrite, s.uploadFiles)
	e.GET("/comparer", pread, s.comparePage)
	e.GET("/comparer.csv", pread, s.compareCSV)
	e.GET("/connexion", s.loginPage)
	e.POST("/connexion", s.login)
	e.POST("/deconnexion", s.logout)
	e.GET("/static/*file", s.staticFile)
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// Timeouts bound how long a client may hold a connection.
type Timeouts struct {
	// Header is the time to send the request line and headers: a client
	// that trickles them (slowloris) is cut off.
	Header time.Duration
	// Request is the time to send a whole request, body included, and to
	// get its answer (the handlers' own deadline, Config.RequestTimeout,
	// should be the same).
	Request time.Duration
}

// DefaultHeaderTimeout is Timeouts.Header's default.
const DefaultHeaderTimeout = 10 * time.Second

// NewHTTPServer wraps a handler in an http.Server with these timeouts; zero
// values take the defaults, fit for uploads of a few tens of megabytes and
// extractions of tens of seconds.
func NewHTTPServer(addr string, h http.Handler, t Timeouts, log *slog.Logger) *http.Server {
	if t.Header <= 0 {
		t.Header = DefaultHeaderTimeout
	}
	if t.Request <= 0 {
		t.Request = DefaultRequestTimeout
	}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.Header,
		ReadTimeout:       t.Request,
		// Past the handlers' deadline, time to write the error they answer.
		WriteTimeout:   t.Request + 30*time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

func (s *Server) health(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// accessLog logs one line per request: never the query string's secrets
// (there are none: the token travels in a header) nor any header.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.Info("http",
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"status", c.Writer.Status(),
		"bytes", c.Writer.Size(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"remote", c.ClientIP())
}

// recover turns a panic into a 500 with the usual error body; the stack goes
// to the log, never to the client.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "path", c.Request.URL.Path, "panic", v, "stack", string(stack()))
			if !c.Writer.Written() {
				s.fail(c, errPanic)
			}
			c.Abort()
		}
	}()
	c.Next()
}

// deadline bounds the work of a request: when it runs out, whatever waits
// (the extraction queue, a search) gives up and the client gets a 503 to
// retry. A write already committing finishes regardless (service.Ingest).
func (s *Server) deadline(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// contentSecurityPolicy allows nothing inline (no 'unsafe-inline': scripts
// and styles come from /static files), nothing from elsewhere, and no
// framing at all.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are set on every response, errors included.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	c.Next()
}
