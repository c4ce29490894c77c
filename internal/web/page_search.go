package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"escale/index"
)

// The search page (/): one query box, the facets as checkboxes with their
// counts, the active filters as removable chips, a year range, the hits
// with their highlighted passages and « page N » links, sort, pages. Its
// URL parameters are the API's (q, city, year_from, sort, page...), so
// every state is a link, and the CSV export is the same search at
// /recherche.csv.

// facetShown is how many values of a facet show before « plus ».
const facetShown = 8

// suggester is what a Searcher may also do: propose another spelling for a
// query that found nothing. The page asks it only when it is there.
type suggester interface {
	Suggest(ctx context.Context, text string) (string, error)
}

type searchView struct {
	Query    string
	Sort     string
	YearFrom string
	YearTo   string
	Size     string
	Total    uint64
	HasText  bool
	Filtered bool
	Hits     []hitView
	Facets   []facetView
	Chips    []chip
	ClearURL string
	Pager    pager
	Help     *noResults
	CSVURL   string
	Compare  string
	From, To int // hits shown on this page
}

type facetView struct {
	Name, Label string
	Shown       []facetValueView
	More        []facetValueView
	Selected    int
}

type facetValueView struct {
	ID, Value, Label string
	Count            int
	Checked          bool
}

type chip struct {
	Facet, Value, Label, Remove string
}

type hitView struct {
	ID, Title, Filename string
	Places              []string
	Dates, Year         string
	Themes              []string
	DuplicateOf         string
	Passages            []passageView
}

type passageView struct {
	Where    string
	Title    string
	Fragment template.HTML
	Page     int
}

type pager struct {
	Prev, Next string
	Pages      []pageRef
	Current    int
	Last       int
}

type pageRef struct {
	N       int
	URL     string
	Current bool
	Gap     bool // an ellipsis before this page
}

type noResults struct {
	Suggestion    string
	SuggestionURL string
	Drops         []drop
	Everywhere    *drop // the text without any filter
}

type drop struct {
	Label string
	URL   string
	Total uint64
}

// state writes a query back as URL parameters, the same the API reads,
// leaving out defaults so that links stay short.
func state(q index.Query) url.Values {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	for _, f := range index.Facets {
		for _, val := range q.Filters[f] {
			v.Add(f, val)
		}
	}
	if q.YearFrom != 0 {
		v.Set("year_from", strconv.Itoa(q.YearFrom))
	}
	if q.YearTo != 0 {
		v.Set("year_to", strconv.Itoa(q.YearTo))
	}
	if q.Sort != "" && q.Sort != index.SortRelevance {
		v.Set("sort", q.Sort)
	}
	if q.Size != 0 && q.Size != index.DefaultSize {
		v.Set("size", strconv.Itoa(q.Size))
	}
	if q.Advanced {
		v.Set("advanced", "1")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

// link is path with the parameters.
func link(path string, v url.Values) string {
	if e := v.Encode(); e != "" {
		return path + "?" + e
	}
	return path
}

// without returns the query less one filter value (or the year range when
// facet is "years"), back on page 1.
func without(q index.Query, facet, value string) index.Query {
	out := q
	out.Page = 0
	out.Filters = map[string][]string{}
	for f, vs := range q.Filters {
		if f == facet {
			vs = slices.DeleteFunc(slices.Clone(vs), func(v string) bool { return v == value })
		}
		if len(vs) > 0 {
			out.Filters[f] = vs
		}
	}
	if facet == "years" {
		out.YearFrom, out.YearTo = 0, 0
	}
	return out
}

func filtered(q index.Query) bool {
	for _, vs := range q.Filters {
		if len(vs) > 0 {
			return true
		}
	}
	return q.YearFrom != 0 || q.YearTo != 0
}

// searchPage is GET /.
func (s *Server) searchPage(c *gin.Context) {
	p := &page{Title: "Recherche", Nav: "search"}
	q, err := s.query(c)
	if err != nil {
		s.searchError(c, p, q, err)
		return
	}
	if q.Size == 0 {
		q.Size = index.DefaultSize
	}
	res, err := s.search.Search(c.Request.Context(), q)
	if err != nil {
		s.searchError(c, p, q, err)
		return
	}
	v := s.searchView(q, res)
	if res.Total == 0 {
		v.Help = s.noResults(c.Request.Context(), q)
	}
	if q.Text != "" {
		p.Title = "« " + q.Text + " » — Recherche"
	}
	st := state(q)
	st.Del("page")
	p.State = st
	p.Data = v
	s.render(c, http.StatusOK, "search", p)
}

// searchError shows a query the index refused on the search page itself,
// so that it can be corrected; anything else is an error page.
func (s *Server) searchError(c *gin.Context, p *page, q index.Query, err error) {
	status, _, message := classify(err)
	if status != http.StatusBadRequest {
		s.failPage(c, err)
		return
	}
	var api *apiError
	if !errors.As(err, &api) {
		message = "La recherche n’a pas pu être lue : " + message
	}
	p.Error = message
	p.Data = &searchView{Query: q.Text, Sort: q.Sort, Facets: []facetView{}, Pager: pager{}}
	s.render(c, http.StatusBadRequest, "search", p)
}

func (s *Server) searchView(q index.Query, res *index.Result) *searchView {
	v := &searchView{
		Query: q.Text, Sort: q.Sort, Total: res.Total, HasText: q.Text != "", Filtered: filtered(q),
		Facets: []facetView{}, Hits: []hitView{},
	}
	if q.YearFrom != 0 {
		v.YearFrom = strconv.Itoa(q.YearFrom)
	}
	if q.YearTo != 0 {
		v.YearTo = strconv.Itoa(q.YearTo)
	}
	if q.Size != index.DefaultSize {
		v.Size = strconv.Itoa(q.Size)
	}
	base := q
	base.Page = 0
	v.CSVURL = link("/recherche.csv", state(base))
	v.Compare = link("/comparer", state(index.Query{Text: q.Text, Filters: q.Filters, YearFrom: q.YearFrom, YearTo: q.YearTo}))
	v.ClearURL = link("/", state(index.Query{Text: q.Text, Sort: q.Sort}))

	for _, f := range index.Facets {
		fv := facetView{Name: f, Label: facetLabels[f]}
		values := slices.Clone(res.Facets[f])
		// A selected value stays listed (to be unticked) even when the other
		// filters leave it no result.
		for _, sel := range q.Filters[f] {
			if !slices.ContainsFunc(values, func(x index.FacetValue) bool { return index.Fold(x.Value) == index.Fold(sel) }) {
				values = append(values, index.FacetValue{Value: sel, Selected: true})
			}
		}
		if f == index.FacetYear {
			slices.SortStableFunc(values, func(a, b index.FacetValue) int { return strings.Compare(b.Value, a.Value) })
		}
		for i, x := range values {
			checked := x.Selected || slices.ContainsFunc(q.Filters[f], func(sel string) bool { return index.Fold(sel) == index.Fold(x.Value) })
			val := facetValueView{ID: fmt.Sprintf("f-%s-%d", f, i), Value: x.Value, Label: s.ui.facetValueLabel(f, x.Value), Count: x.Count, Checked: checked}
			if checked {
				fv.Selected++
			}
			if i < facetShown || checked {
				fv.Shown = append(fv.Shown, val)
			} else {
				fv.More = append(fv.More, val)
			}
		}
		if len(fv.Shown) > 0 {
			v.Facets = append(v.Facets, fv)
		}
		for _, sel := range q.Filters[f] {
			v.Chips = append(v.Chips, chip{Facet: f, Value: sel, Label: facetLabels[f] + " : " + s.ui.facetValueLabel(f, sel),
				Remove: link("/", state(without(q, f, sel)))})
		}
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		label := "Années : "
		switch {
		case q.YearFrom != 0 && q.YearTo != 0:
			label += strconv.Itoa(q.YearFrom) + " à " + strconv.Itoa(q.YearTo)
		case q.YearFrom != 0:
			label += "depuis " + strconv.Itoa(q.YearFrom)
		default:
			label += "jusqu’à " + strconv.Itoa(q.YearTo)
		}
		v.Chips = append(v.Chips, chip{Facet: "years", Label: label, Remove: link("/", state(without(q, "years", "")))})
	}

	for _, h := range res.Hits {
		hv := hitView{ID: h.MissionID, Filename: h.Filename, Title: deref(h.Title), Dates: dates(h.StartDate, h.EndDate), DuplicateOf: h.DuplicateOf}
		if h.Year != nil {
			hv.Year = strconv.Itoa(*h.Year)
		}
		for _, d := range h.Destinations {
			hv.Places = append(hv.Places, place(d))
		}
		for _, t := range h.Themes {
			hv.Themes = append(hv.Themes, s.ui.themeLabel(t))
		}
		for _, ps := range h.Passages {
			where := []string{sectionLabel(ps.Section)}
			if ps.Heading != "" && index.Fold(ps.Heading) != index.Fold(where[0]) {
				where = append(where, ps.Heading)
			}
			if ps.Category != nil && *ps.Category != "" {
				where = append(where, *ps.Category)
			}
			hv.Passages = append(hv.Passages, passageView{Where: strings.Join(where, " › "), Title: deref(ps.Title),
				Fragment: highlight(ps.Fragment), Page: ps.Page})
		}
		v.Hits = append(v.Hits, hv)
	}
	if len(res.Hits) > 0 {
		v.From = (max(q.Page, 1)-1)*q.Size + 1
		v.To = v.From + len(res.Hits) - 1
	}
	v.Pager = makePager(q, res.Total)
	return v
}

// makePager lists the pages around the current one, the first and the last.
func makePager(q index.Query, total uint64) pager {
	size := max(q.Size, 1)
	last := int((total + uint64(size) - 1) / uint64(size))
	last = min(last, 10000/size+1) // the index serves no deeper
	cur := max(q.Page, 1)
	p := pager{Current: cur, Last: last}
	if last <= 1 {
		return p
	}
	at := func(n int) string {
		qq := q
		qq.Page = n
		return link("/", state(qq))
	}
	if cur > 1 {
		p.Prev = at(cur - 1)
	}
	if cur < last {
		p.Next = at(cur + 1)
	}
	prev := 0
	for n := 1; n <= last; n++ {
		if n != 1 && n != last && (n < cur-2 || n > cur+2) {
			continue
		}
		p.Pages = append(p.Pages, pageRef{N: n, URL: at(n), Current: n == cur, Gap: prev != 0 && n > prev+1})
		prev = n
	}
	return p
}

// noResults finds what would help a search that found nothing: each
// filter dropped, with what remains; the words without any filter; another
// spelling when the index can propose one.
func (s *Server) noResults(ctx context.Context, q index.Query) *noResults {
	h := &noResults{}
	count := func(qq index.Query) uint64 {
		qq.Page, qq.Size = 1, 1
		res, err := s.search.Search(ctx, qq)
		if err != nil {
			return 0
		}
		return res.Total
	}
	const maxDrops = 8
	for _, f := range index.Facets {
		for _, val := range q.Filters[f] {
			if len(h.Drops) == maxDrops {
				break
			}
			qq := without(q, f, val)
			if n := count(qq); n > 0 {
				h.Drops = append(h.Drops, drop{Label: facetLabels[f] + " : " + s.ui.facetValueLabel(f, val), URL: link("/", state(qq)), Total: n})
			}
		}
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		qq := without(q, "years", "")
		if n := count(qq); n > 0 {
			h.Drops = append(h.Drops, drop{Label: "les bornes d’années", URL: link("/", state(qq)), Total: n})
		}
	}
	if q.Text != "" && filtered(q) {
		qq := index.Query{Text: q.Text, Sort: q.Sort, Advanced: q.Advanced}
		if n := count(qq); n > 0 {
			h.Everywhere = &drop{URL: link("/", state(qq)), Total: n}
		}
	}
	if sg, ok := s.search.(suggester); ok && q.Text != "" {
		if alt, err := sg.Suggest(ctx, q.Text); err == nil && alt != "" && index.Fold(alt) != index.Fold(q.Text) {
			qq := q
			qq.Text, qq.Page = alt, 0
			h.Suggestion, h.SuggestionURL = alt, link("/", state(qq))
		}
	}
	return h
}
