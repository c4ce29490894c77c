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

// maxFilterRunes bounds one filter value: no city, theme or organization
// name comes near it.
const maxFilterRunes = 200

// queryLimits bound what one search may ask (Config.MaxQuery and
// MaxFilterValues).
type queryLimits struct {
	text   int // characters of q
	values int // values of one filter
}

// query reads the request's search with the server's limits.
func (s *Server) query(c *gin.Context) (index.Query, error) {
	return parseQueryWithin(c.Request.URL.Query(), queryLimits{text: s.cfg.MaxQuery, values: s.cfg.MaxFilterValues})
}

// parseQueryWithin reads a search from URL parameters: q, filters named as
// the facets (each repeatable), year_from, year_to, sort, page, size, and
// advanced=1 for the explicit syntax. Text longer than a query (a paste) and
// more filter values than a person ticks are refused, not cut.
func parseQueryWithin(v url.Values, lim queryLimits) (index.Query, error) {
	q := index.Query{Text: strings.TrimSpace(v.Get("q")), Filters: map[string][]string{}, Sort: v.Get("sort")}
	if utf8.RuneCountInString(q.Text) > lim.text {
		return q, badQuery("La recherche est trop longue (%d caractères au plus) : gardez les mots importants.", lim.text)
	}
	for _, f := range index.Facets {
		for _, val := range v[f] {
			if val = strings.TrimSpace(val); val == "" {
				continue
			}
			if utf8.RuneCountInString(val) > maxFilterRunes {
				return q, badQuery("Le filtre %s « %s… » est trop long (%d caractères au plus).", f, clip(val), maxFilterRunes)
			}
			q.Filters[f] = append(q.Filters[f], val)
		}
		if len(q.Filters[f]) > lim.values {
			return q, badQuery("Trop de valeurs pour le filtre %s (%d au plus) : retirez-en, ou cherchez sans ce filtre.", f, lim.values)
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
	q, err := s.query(c)
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
	q, err := s.query(c)
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
	q, err := s.query(c)
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
