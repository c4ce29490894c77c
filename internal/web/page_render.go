package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"escale/index"
	"escale/internal/mission"
	"escale/internal/taxonomy"
)

// The pages: French, server-rendered, usable without JavaScript. Templates
// and assets are embedded, so the binary runs from any directory.
//
//go:embed templates/*.html static/*
var pageFiles embed.FS

// pageNames are the templates under templates/ that are whole pages; the
// others (layout.html, parts.html) are shared by every page.
var pageNames = []string{"search", "mission", "upload", "compare", "login", "error"}

// ui is what the pages need besides the API's parts: their templates, the
// key of their session cookies and the themes' labels.
type ui struct {
	pages  map[string]*template.Template
	key    []byte // signs session cookies and derives CSRF tokens
	themes []taxonomy.Theme
	static http.Handler
	thumbs chan struct{} // thumbnails being drawn
}

// newUI parses every template once. A broken template is a bug of the
// binary, so it panics at start-up rather than on a user's request.
func newUI(cfg Config) *ui {
	pages, err := parsePages()
	if err != nil {
		panic(err)
	}
	tx := cfg.Taxonomy
	if tx == nil {
		tx = taxonomy.Default()
	}
	static, err := fs.Sub(pageFiles, "static")
	if err != nil {
		panic(err)
	}
	return &ui{pages: pages, key: sessionKey(cfg.Token), themes: tx.Themes, static: http.FileServerFS(static),
		thumbs: make(chan struct{}, thumbsAtOnce)}
}

// sessionKey derives the cookie key from the token, so that sessions
// survive a restart and die when the token changes; without a token the
// key is random (sessions then only carry CSRF tokens).
func sessionKey(token string) []byte {
	if token != "" {
		k := hmacSum([]byte("escale page sessions"), []byte(token))
		return k[:]
	}
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

// parsePages parses the layout and parts with each page.
func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(pageFuncs).ParseFS(pageFiles, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(pageFiles, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// page is what every page's template receives.
type page struct {
	Title  string // of the page, before « — Escale »
	Nav    string // the menu entry to mark as current
	CSRF   string // token for the forms that post
	Authed bool   // the visitor gave the token, or none is needed
	// Token says a token is configured (the menu then offers to log in or out).
	Token bool
	// State is the current search's URL parameters, carried from page to
	// page (search, compare).
	State url.Values
	// SearchURL and CompareURL are the menu's links, carrying State.
	SearchURL, CompareURL string
	Flash                 string // a message after a redirect
	Error                 string // what went wrong, in French
	Status                int
	Data                  any // the page's own data
}

// render writes a page. Templates execute into a buffer first so that an
// error leaves the client a clean error page, not half a page.
func (s *Server) render(c *gin.Context, status int, name string, p *page) {
	sess := s.session(c)
	p.CSRF = s.csrfToken(sess)
	p.Authed = s.cfg.Token == "" || sess.authed
	p.Token = s.cfg.Token != ""
	p.Status = status
	p.SearchURL, p.CompareURL = link("/", p.State), link("/comparer", p.State)
	var buf bytes.Buffer
	if err := s.ui.pages[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("page render", "page", name, "err", err)
		status, buf = http.StatusInternalServerError, bytes.Buffer{}
		ep := &page{Title: "Erreur", Error: errPanic.message, Status: status, Token: p.Token, Authed: p.Authed}
		if err := s.ui.pages["error"].ExecuteTemplate(&buf, "layout.html", ep); err != nil {
			c.String(status, errPanic.message)
			return
		}
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// failPage shows an error as a page: the same classification as the API's
// (status and French message), the real error logged once.
func (s *Server) failPage(c *gin.Context, err error) {
	status, code, message := classify(err)
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.log.Error("page failed", "path", c.Request.URL.Path, "status", status, "err", err)
	} else {
		s.log.Info("page refused", "path", c.Request.URL.Path, "status", status, "code", code, "detail", err.Error())
	}
	if code == "not_found" {
		message = "Aucune mission ne porte cet identifiant : elle a peut-être été supprimée. Cherchez-la depuis la page de recherche."
	}
	s.render(c, status, "error", &page{Title: "Erreur", Error: message})
}

// noRoute answers an unknown address: the API's error body under /api/,
// a page elsewhere.
func (s *Server) noRoute(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.fail(c, errNoRoute)
		return
	}
	s.render(c, http.StatusNotFound, "error", &page{Title: "Page introuvable",
		Error: "Cette page n’existe pas. Cherchez les missions depuis la page de recherche."})
}

// staticFile serves the embedded assets; they change only with the binary.
func (s *Server) staticFile(c *gin.Context) {
	file := c.Param("file")
	if strings.HasSuffix(file, "/") { // no listing of the folder
		s.noRoute(c)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Request.URL.Path = file
	s.ui.static.ServeHTTP(c.Writer, c.Request)
}

// French labels of the facets, in the order the sidebar lists them.
var facetLabels = map[string]string{
	index.FacetCity:         "Destination",
	index.FacetCountry:      "Pays",
	index.FacetYear:         "Année",
	index.FacetTheme:        "Thème",
	index.FacetCategory:     "Catégorie de retombée",
	index.FacetSection:      "Section",
	index.FacetOrganization: "Organisation",
}

var sectionLabels = map[string]string{
	mission.KindObjectives: "Objectifs",
	mission.KindOutcomes:   "Retombées",
	mission.KindContext:    "Contexte",
	mission.KindProgram:    "Programme",
	mission.KindDelegation: "Délégation",
	mission.KindFollowup:   "Suivi",
	mission.KindCosts:      "Coûts",
	mission.KindOther:      "Autres sections",
}

var months = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// frDate writes an ISO date the French way: 13 mai 2024.
func frDate(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return iso
	}
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// dates writes a trip's dates: « du 10 au 13 juin 2025 » style, simply.
func dates(start, end *string) string {
	switch {
	case start == nil && end == nil:
		return ""
	case start != nil && (end == nil || *end == *start):
		return frDate(*start)
	case start == nil:
		return "jusqu’au " + frDate(*end)
	}
	return "du " + frDate(*start) + " au " + frDate(*end)
}

// highlight turns an index fragment into HTML. The index escapes the text
// and leaves only <mark> raw; this is the one place where report text goes
// into a page unescaped, so it trusts nothing: every piece between the
// marks is unescaped and escaped again, and only balanced <mark> tags pass.
func highlight(fragment string) template.HTML {
	var b strings.Builder
	open := false
	rest := fragment
	for rest != "" {
		i := strings.Index(rest, "<mark>")
		j := strings.Index(rest, "</mark>")
		next, tag := -1, ""
		switch {
		case i >= 0 && (j < 0 || i < j):
			next, tag = i, "<mark>"
		case j >= 0:
			next, tag = j, "</mark>"
		}
		if next < 0 {
			b.WriteString(html.EscapeString(html.UnescapeString(rest)))
			break
		}
		b.WriteString(html.EscapeString(html.UnescapeString(rest[:next])))
		switch {
		case tag == "<mark>" && !open:
			b.WriteString(tag)
			open = true
		case tag == "</mark>" && open:
			b.WriteString(tag)
			open = false
		}
		rest = rest[next+len(tag):]
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// paragraphs splits a section's text into paragraphs for display.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// number writes an integer with French digit grouping (narrow no-break spaces).
func number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n <= 1 {
		return one
	}
	return many
}

var pageFuncs = template.FuncMap{
	"facetLabel":   func(f string) string { return facetLabels[f] },
	"sectionLabel": sectionLabel,
	"dates":        dates,
	"frDate":       frDate,
	"highlight":    highlight,
	"paragraphs":   paragraphs,
	"number":       number,
	"numberU":      func(n uint64) string { return number(int(n)) },
	"plural":       plural,
	"pluralU":      func(n uint64, one, many string) string { return plural(int(min(n, 2)), one, many) },
	"place":        place,
	"deref":        func(p *string) string { return deref(p) },
	"derefInt": func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	},
	"add": func(a, b int) int { return a + b },
	"pageLink": func(id string, page int) string {
		return "/missions/" + url.PathEscape(id) + "/original#page=" + strconv.Itoa(max(page, 1))
	},
	"missionLink": func(id string) string { return "/missions/" + url.PathEscape(id) },
}

func sectionLabel(kind string) string {
	if l, ok := sectionLabels[kind]; ok {
		return l
	}
	return kind
}

func place(d mission.Destination) string {
	switch {
	case d.City != "" && d.Country != "":
		return d.City + " (" + d.Country + ")"
	case d.City != "":
		return d.City
	}
	return d.Country
}

// themeLabel names a theme id in French.
func (u *ui) themeLabel(id string) string {
	for _, t := range u.themes {
		if t.ID == id {
			return t.Label
		}
	}
	return id
}

// facetValueLabel is how a facet value shows: themes and sections by their
// French names, the rest as stored.
func (u *ui) facetValueLabel(facet, value string) string {
	switch facet {
	case index.FacetTheme:
		return u.themeLabel(value)
	case index.FacetSection:
		return sectionLabel(value)
	case index.FacetCategory:
		if value == "" {
			return "(sans catégorie)"
		}
	}
	return value
}
