package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"escale/index"
)

// maxQueryRunes bounds the text of a search: longer is a paste, not a query.
const maxQueryRunes = 1000

// parseQuery reads a search from URL parameters: q, filters named as the
// facets (each repeatable), year_from, year_to, sort, page, size, and
// advanced=1 for the explicit syntax.
func parseQuery(v url.Values) (index.Query, error) {
	q := index.Query{Text: strings.TrimSpace(v.Get("q")), Filters: map[string][]string{}, Sort: v.Get("sort")}
	if utf8.RuneCountInString(q.Text) > maxQueryRunes {
		return q, badQuery("La recherche est trop longue (%d caractères au plus) : gardez les mots importants.", maxQueryRunes)
	}
	for _, f := range index.Facets {
		for _, val := range v[f] {
			if val = strings.TrimSpace(val); val != "" {
				q.Filters[f] = append(q.Filters[f], val)
			}
		}
	}
	ints := []struct {
		name string
		dst  *int
		what string
	}{
		{"page", &q.Page, "le numéro de page, par exemple page=2"},
		{"size", &q.Size, "le nombre de résultats par page, par exemple size=20"},
		{"year_from", &q.YearFrom, "une année, par exemple year_from=2018"},
		{"year_to", &q.YearTo, "une année, par exemple year_to=2024"},
	}
	for _, p := range ints {
		s := strings.TrimSpace(v.Get(p.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return q, badQuery("Le paramètre %s « %s » n’est pas un nombre : indiquez %s.", p.name, clip(s), p.what)
		}
		*p.dst = n
	}
	switch strings.ToLower(v.Get("advanced")) {
	case "", "0", "false", "non":
	default:
		q.Advanced = true
	}
	return q, nil
}

func badQuery(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, "bad_query", sprintf(format, args...)}
}

// searchMissions is GET /api/v1/search.
func (s *Server) searchMissions(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.search.Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// searchOutcomes is GET /api/v1/outcomes: the outcomes matching the query
// and filters, each with its mission's year, places, category and themes.
func (s *Server) searchOutcomes(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.search.Outcomes(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// compareParams reads by (default year) and split (default category).
func compareParams(v url.Values) (by, split string) {
	by, split = v.Get("by"), v.Get("split")
	if by == "" {
		by = index.FacetYear
	}
	if split == "" {
		split = index.FacetCategory
	}
	return by, split
}

// compare is GET /api/v1/compare?by=year&split=category|theme: the counts
// of outcomes for the query and filters, by year and category or theme.
func (s *Server) compare(c *gin.Context) {
	q, err := parseQuery(c.Request.URL.Query())
	if err != nil {
		s.fail(c, err)
		return
	}
	by, split := compareParams(c.Request.URL.Query())
	m, err := s.search.Compare(c.Request.Context(), q, by, split)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}
