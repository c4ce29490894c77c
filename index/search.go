package index

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"escale/internal/mission"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date" // newest first
)

// Page sizes.
const (
	DefaultSize = 10
	MaxSize     = 100
	maxOffset   = 10000 // deeper pages cost more than anyone reads
)

// Query is a search as staff type it.
type Query struct {
	Text     string              // words, "phrases"; more syntax when Advanced
	Filters  map[string][]string // facet name -> values: OR within, AND across
	YearFrom int                 // inclusive; 0: open
	YearTo   int                 // inclusive; 0: open
	Sort     string              // SortRelevance (default with text) or SortDate
	Page     int                 // from 1
	Size     int                 // hits per page; 0: DefaultSize
	Advanced bool                // +word -word AND OR NOT word* field:value
}

// Result is one page of missions with the facet counts of the whole result.
type Result struct {
	Total  uint64                  `json:"total"`
	Page   int                     `json:"page"`
	Size   int                     `json:"size"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets"`
	Years  []YearCount             `json:"years"`
}

// Hit is one mission found.
type Hit struct {
	MissionID    string                `json:"mission_id"`
	Filename     string                `json:"filename"`
	Title        *string               `json:"title"`
	Score        float64               `json:"score"`
	Destinations []mission.Destination `json:"destinations"`
	StartDate    *string               `json:"start_date"`
	EndDate      *string               `json:"end_date"`
	Year         *int                  `json:"year"`
	Themes       []string              `json:"themes"`
	DuplicateOf  string                `json:"duplicate_of,omitempty"`
	Passages     []Passage             `json:"passages"`
}

// Passage is a part of a mission that matched, highlighted.
type Passage struct {
	Kind     string  `json:"kind"`              // objective, outcome or section
	Section  string  `json:"section"`           // the section kind it belongs to
	Heading  string  `json:"heading,omitempty"` // the section's heading
	Category *string `json:"category,omitempty"`
	Title    *string `json:"title,omitempty"`
	Fragment string  `json:"fragment"` // HTML: escaped text, matches in <mark>
	Page     int     `json:"page"`
	Score    float64 `json:"score"`
}

// FacetValue is one value of a facet and how many results have it.
type FacetValue struct {
	Value    string `json:"value"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected,omitempty"`
}

// YearCount is one bar of the year histogram.
type YearCount struct {
	Year  int `json:"year"`
	Count int `json:"count"`
}

// allFacetValues bounds the distinct facet values one request counts.
const allFacetValues = 1 << 20

// facetSize is how many values each facet lists.
var facetSize = map[string]int{
	FacetCity: 50, FacetCountry: 50, FacetYear: 200, FacetTheme: 50,
	FacetCategory: 50, FacetSection: len(mission.Kinds), FacetOrganization: 50,
}

// passagesPerHit is how many highlighted passages a hit shows.
const passagesPerHit = 3

// normPage checks and fills in paging.
func normPage(q *Query) error {
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	switch {
	case q.Page < 1:
		return fmt.Errorf("%w: page %d invalide : les pages commencent à 1", ErrBadQuery, q.Page)
	case q.Size < 1 || q.Size > MaxSize:
		return fmt.Errorf("%w: taille %d invalide : choisissez entre 1 et %d résultats par page", ErrBadQuery, q.Size, MaxSize)
	case (q.Page-1)*q.Size > maxOffset:
		return fmt.Errorf("%w: page %d trop loin : affinez la recherche avec des filtres", ErrBadQuery, q.Page)
	case q.Sort != "" && q.Sort != SortRelevance && q.Sort != SortDate:
		return fmt.Errorf("%w: tri « %s » inconnu (relevance ou date)", ErrBadQuery, q.Sort)
	case q.YearFrom != 0 && !isYear(strconv.Itoa(q.YearFrom)), q.YearTo != 0 && !isYear(strconv.Itoa(q.YearTo)):
		return fmt.Errorf("%w: bornes d’années invalides : indiquez des années sur quatre chiffres", ErrBadQuery)
	}
	return nil
}

// Search finds missions. Hits are whole missions, each at most once; facet
// counts cover every hit, each facet ignoring its own selection so that a
// page can offer its other values (multi-select).
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := normPage(&q); err != nil {
		return nil, err
	}
	p, err := ix.newPlan(q)
	if err != nil {
		return nil, err
	}
	st := ix.stats.Load()
	snap, ok, err := ix.openSnapshot()
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	if !ok {
		return ix.searchBleve(ctx, q, p, st)
	}
	defer snap.close()
	return ix.searchEngine(ctx, snap, q, p, st)
}

// searchBleve is Search through Bleve's own searchers, collector and facets:
// what the engine (engine.go) replaces, kept for an index that is not a
// scorch index and as the reference the engine's tests compare with.
func (ix *Index) searchBleve(ctx context.Context, q Query, p *plan, st *stats) (*Result, error) {
	text := rankedQuery(p, missionProfile, st.averages(missionProfile), true)
	var stems []string
	if text != nil {
		stems = p.stems()
	}
	build := func(skip string) query.Query {
		qs := filterQuery(p, q, skip, stems)
		if text != nil {
			qs = append([]query.Query{text}, qs...)
		}
		if len(qs) == 0 {
			return query.NewMatchAllQuery()
		}
		return and(qs...)
	}

	req := bleve.NewSearchRequestOptions(build(""), q.Size, (q.Page-1)*q.Size, false)
	req.Fields = []string{fMeta}
	if text == nil || q.Sort == SortDate {
		req.SortByCustom(search.SortOrder{
			&search.SortField{Field: fDate, Type: search.SortFieldAsString, Desc: true, Missing: search.SortFieldMissingLast},
			&search.SortScore{Desc: true},
		})
	}
	if text == nil {
		req.Score = "none"
	}
	sides := addFacets(req, Facets, func(f string) bool { return f == FacetSection && text != nil }, p, q, build)
	var sectionReqs []*bleve.SearchRequest
	if text != nil {
		// With plain words, "the text matches in a section of kind K" is "one
		// of its stems is in K's text" (the words are alternatives), which is
		// far cheaper than running the whole query again.
		cheap := len(p.phrases) == 0 && len(p.must) == 0 && len(p.not) == 0 && len(p.prefix) == 0 && len(p.fields) == 0
		for _, k := range mission.Kinds {
			var alts []query.Query
			for _, s := range stems {
				alts = append(alts, filterTerm(fSecPfx+k, s))
			}
			qs := filterQuery(p, q, FacetSection, stems)
			if !cheap {
				qs = append(qs, text)
			}
			if len(alts) == 0 {
				alts = []query.Query{query.NewMatchNoneQuery()}
			}
			qs = append(qs, or(alts...))
			r := bleve.NewSearchRequestOptions(and(qs...), 0, 0, false)
			r.Score = "none"
			sectionReqs = append(sectionReqs, r)
		}
	}
	reqs := []*bleve.SearchRequest{req}
	for _, s := range sides {
		reqs = append(reqs, s.req)
	}
	reqs = append(reqs, sectionReqs...)
	all, err := searchAll(ctx, ix.missions, reqs)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	res, secRes := all[0], all[1+len(sides):]

	out := &Result{Total: res.Total, Page: q.Page, Size: q.Size, Hits: []Hit{}}
	out.Facets = collectFacets(Facets, res, sides, all[1:1+len(sides)], p)
	if text != nil {
		var sv []FacetValue
		for i, k := range mission.Kinds {
			if n := secRes[i].Total; n > 0 {
				sv = append(sv, FacetValue{Value: k, Count: int(n), Selected: slices.ContainsFunc(p.filters[FacetSection], func(v string) bool { return Fold(v) == k })})
			}
		}
		sortFacet(sv)
		out.Facets[FacetSection] = nonNil(sv)
	}
	out.Years = years(out.Facets[FacetYear])

	var counts []int
	for _, h := range res.Hits {
		var m missionMeta
		if s, ok := h.Fields[fMeta].(string); ok {
			if err := json.Unmarshal([]byte(s), &m); err != nil {
				return nil, fmt.Errorf("index: search: hit %s: %w", h.ID, err)
			}
		}
		score := h.Score
		if text == nil {
			score = 0
		}
		out.Hits = append(out.Hits, Hit{
			MissionID: h.ID, Filename: m.Filename, Title: m.Title, Score: score,
			Destinations: nonNil(m.Destinations), StartDate: m.StartDate, EndDate: m.EndDate,
			Year: m.Year, Themes: nonNil(m.Themes), DuplicateOf: m.DuplicateOf, Passages: []Passage{},
		})
		counts = append(counts, m.Passages)
	}
	if text != nil && len(out.Hits) > 0 {
		if err := ix.highlight(ctx, p, st, out.Hits, counts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// side is a facet counted by a request of its own: the result without the
// facet's own selection.
type side struct {
	facet string
	req   *bleve.SearchRequest
}

// addFacets asks for the facets names on main, except those whose own
// selection is not empty (multi-select, as Solr's tag/exclude): each of those
// gets a side request built without it. skip names facets counted otherwise.
func addFacets(main *bleve.SearchRequest, names []string, skip func(string) bool, p *plan, q Query, build func(skip string) query.Query) []side {
	var sides []side
	onMain := false
	for _, f := range names {
		selected := len(p.filters[f]) > 0 || f == FacetYear && (q.YearFrom != 0 || q.YearTo != 0)
		switch {
		case skip(f):
		case !selected:
			onMain = true
		default:
			r := bleve.NewSearchRequestOptions(build(f), 0, 0, false)
			r.Score = "none"
			fr := bleve.NewFacetRequest(fFacets, allFacetValues)
			fr.SetPrefixFilter(f + pairSep)
			r.AddFacet(fFacets, fr)
			sides = append(sides, side{f, r})
		}
	}
	if onMain {
		main.AddFacet(fFacets, bleve.NewFacetRequest(fFacets, allFacetValues))
	}
	return sides
}

// facetTerms splits the counts of fFacets by facet name.
func facetTerms(res *bleve.SearchResult) map[string][]*search.TermFacet {
	out := map[string][]*search.TermFacet{}
	fr := res.Facets[fFacets]
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		if f, v, ok := strings.Cut(t.Term, pairSep); ok {
			out[f] = append(out[f], &search.TermFacet{Term: v, Count: t.Count})
		}
	}
	return out
}

// collectFacets gathers the facets of names from the main result and the
// sides, each cut to its facetSize.
func collectFacets(names []string, main *bleve.SearchResult, sides []side, sideRes []*bleve.SearchResult, p *plan) map[string][]FacetValue {
	got := facetTerms(main)
	for i, s := range sides {
		got[s.facet] = facetTerms(sideRes[i])[s.facet]
	}
	out := map[string][]FacetValue{}
	for _, f := range names {
		vs := facetList(got[f], p.filters[f])
		out[f] = vs[:min(len(vs), facetSize[f])]
	}
	return out
}

// searchAll runs requests side by side on idx; results come in their order.
func searchAll(ctx context.Context, idx bleve.Index, reqs []*bleve.SearchRequest) ([]*bleve.SearchResult, error) {
	out := make([]*bleve.SearchResult, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i := 1; i < len(reqs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = guarded(func() (err error) {
				out[i], err = idx.SearchInContext(ctx, reqs[i])
				return err
			})
		}()
	}
	if len(reqs) > 0 {
		// Guarded too: a panic here must not unwind past wg.Wait.
		errs[0] = guarded(func() (err error) {
			out[0], err = idx.SearchInContext(ctx, reqs[0])
			return err
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// facetList turns Bleve's term counts into facet values, merging values
// that differ only by case or accents (« Quebec », « Québec »): the most
// frequent spelling names them.
func facetList(terms []*search.TermFacet, selected []string) []FacetValue {
	out := []FacetValue{}
	type group struct {
		value     string
		best, sum int
	}
	groups := map[string]*group{}
	var order []string
	for _, t := range terms {
		k := Fold(t.Term)
		g, ok := groups[k]
		if !ok {
			g = &group{}
			groups[k] = g
			order = append(order, k)
		}
		g.sum += t.Count
		if t.Count > g.best {
			g.best, g.value = t.Count, t.Term
		}
	}
	for _, k := range order {
		g := groups[k]
		sel := slices.ContainsFunc(selected, func(v string) bool { return Fold(v) == k })
		out = append(out, FacetValue{Value: g.value, Count: g.sum, Selected: sel})
	}
	sortFacet(out)
	return out
}

func sortFacet(vs []FacetValue) {
	slices.SortStableFunc(vs, func(a, b FacetValue) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}

// years is the year facet as a histogram, oldest first.
func years(vs []FacetValue) []YearCount {
	out := []YearCount{}
	for _, v := range vs {
		if y, err := strconv.Atoi(v.Value); err == nil {
			out = append(out, YearCount{Year: y, Count: v.Count})
		}
	}
	slices.SortFunc(out, func(a, b YearCount) int { return cmp.Compare(a.Year, b.Year) })
	return out
}

// highlight fills each hit's best passages, one passage search per hit (run
// side by side), so that one long report cannot crowd out the others.
func (ix *Index) highlight(ctx context.Context, p *plan, st *stats, hits []Hit, counts []int) error {
	text := rankedQuery(p, passageProfile, st.averages(passageProfile), false)
	if text == nil {
		return nil
	}
	// The hits' passages by id (a mission's are id/0 … id/n−1): two searches
	// over them, whatever the index's size, rather than one per hit.
	var ids []string
	for i, h := range hits {
		for j := range counts[i] {
			ids = append(ids, passageID(h.MissionID, j))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	qs := []query.Query{filter(query.NewDocIDQuery(ids)), text}
	// Within the hit, the passage filters that concern passages: the section kind.
	if vs := p.filters[FacetSection]; len(vs) > 0 {
		var alts []query.Query
		for _, v := range vs {
			alts = append(alts, filterTerm(FacetSection+keySuffix, Fold(v)))
		}
		qs = append(qs, or(alts...))
	}
	// First the scores alone, to keep each hit's best passages...
	res, err := ix.passages.SearchInContext(ctx, bleve.NewSearchRequestOptions(and(qs...), len(ids), 0, false))
	if err != nil {
		return fmt.Errorf("index: highlight: %w", err)
	}
	per := map[string]int{}
	var best []string
	for _, h := range res.Hits {
		m := h.ID[:max(0, strings.LastIndexByte(h.ID, '/'))]
		if per[m] < passagesPerHit {
			per[m]++
			best = append(best, h.ID)
		}
	}
	if len(best) == 0 {
		return nil
	}
	// ...then only those, loaded and highlighted.
	qs[0] = filter(query.NewDocIDQuery(best))
	req := bleve.NewSearchRequestOptions(and(qs...), len(best), 0, false)
	req.Fields = []string{fMeta}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField(fText)
	req.Highlight.AddField(fTitle)
	if res, err = ix.passages.SearchInContext(ctx, req); err != nil {
		return fmt.Errorf("index: highlight: %w", err)
	}
	at := map[string]int{}
	for i, h := range hits {
		at[h.MissionID] = i
	}
	for _, h := range res.Hits {
		m := h.ID[:max(0, strings.LastIndexByte(h.ID, '/'))]
		if i, ok := at[m]; ok {
			hits[i].Passages = append(hits[i].Passages, passagesOf([]*search.DocumentMatch{h})...)
		}
	}
	return nil
}

func passagesOf(dms []*search.DocumentMatch) []Passage {
	out := []Passage{}
	for _, h := range dms {
		var sp storedPassage
		if s, ok := h.Fields[fMeta].(string); ok {
			if json.Unmarshal([]byte(s), &sp) != nil {
				continue
			}
		}
		pm := sp.Passage
		score := h.Score
		if math.IsNaN(score) || math.IsInf(score, 0) {
			// Bleve's score of a query that only selects (« port* »): no
			// ranking, and JSON has no NaN.
			score = 0
		}
		out = append(out, Passage{
			Kind: pm.Kind, Section: pm.Section, Heading: pm.Heading, Category: pm.Category,
			Title: pm.Title, Fragment: fragment(h, pm.Kind), Page: pm.Page, Score: score,
		})
	}
	return out
}

// fragment is what a passage shows: the best piece of its text, led by its
// title (or heading) when the match is there, as the report writes an
// outcome's lead phrase before its text.
func fragment(h *search.DocumentMatch, kind string) string {
	first := func(f string) string {
		if fs := h.Fragments[f]; len(fs) > 0 {
			return fs[0]
		}
		return ""
	}
	text, title := first(fText), first(fTitle)
	if !strings.Contains(title, "<mark>") {
		return text
	}
	sep := " — "
	if kind == KindOutcome {
		sep = " "
		if !strings.HasSuffix(strings.TrimSpace(title), ".") {
			sep = ". "
		}
	}
	if text == "" {
		return title
	}
	return title + sep + text
}
