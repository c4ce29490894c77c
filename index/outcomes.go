package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"escale/internal/mission"
)

// OutcomeResult is one page of outcomes ("retombées") with facet counts.
type OutcomeResult struct {
	Total    uint64                  `json:"total"`
	Page     int                     `json:"page"`
	Size     int                     `json:"size"`
	Outcomes []OutcomeHit            `json:"outcomes"`
	Facets   map[string][]FacetValue `json:"facets"`
	Years    []YearCount             `json:"years"`
}

// OutcomeHit is one outcome with what an analyst needs of its mission.
type OutcomeHit struct {
	MissionID    string                `json:"mission_id"`
	Filename     string                `json:"filename"`
	MissionTitle *string               `json:"mission_title"`
	Year         *int                  `json:"year"`
	StartDate    *string               `json:"start_date"`
	Destinations []mission.Destination `json:"destinations"`
	Category     *string               `json:"category"`
	Title        *string               `json:"title"`
	Text         string                `json:"text"`
	Fragment     string                `json:"fragment"` // HTML: the text escaped, matches in <mark>
	Page         int                   `json:"page"`
	Themes       []string              `json:"themes"` // the outcome's own, else its mission's
	Score        float64               `json:"score"`
}

// outcomeFacets are the facets that mean something for outcomes.
var outcomeFacets = []string{FacetCity, FacetCountry, FacetYear, FacetTheme, FacetCategory, FacetOrganization}

// outcomeBase is the query for q's outcomes, each filter except skip.
func (ix *Index) outcomeBase(p *plan, q Query, text query.Query) func(skip string) query.Query {
	return func(skip string) query.Query {
		qs := []query.Query{filterTerm(fKind, KindOutcome)}
		if text != nil {
			qs = append(qs, text)
		}
		return and(append(qs, filterQuery(p, q, skip, nil)...)...)
	}
}

// Outcomes lists the outcomes matching q (text and filters as for Search; a
// theme filter matches an outcome's own themes, a category filter its
// category), best first, or newest first without text or with SortDate.
func (ix *Index) Outcomes(ctx context.Context, q Query) (*OutcomeResult, error) {
	if err := normPage(&q); err != nil {
		return nil, err
	}
	p, err := ix.newPlan(q)
	if err != nil {
		return nil, err
	}
	text := rankedQuery(p, passageProfile, ix.stats.Load().averages(passageProfile), false)
	build := ix.outcomeBase(p, q, text)
	req := bleve.NewSearchRequestOptions(build(""), q.Size, (q.Page-1)*q.Size, false)
	req.Fields = []string{fMeta, fText}
	if text == nil || q.Sort == SortDate {
		req.SortByCustom(search.SortOrder{
			&search.SortField{Field: fDate, Type: search.SortFieldAsString, Desc: true, Missing: search.SortFieldMissingLast},
			&search.SortField{Field: fOrd, Type: search.SortFieldAsNumber},
			&search.SortScore{Desc: true},
		})
	}
	if text == nil {
		req.Score = "none"
	} else {
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField(fText)
	}
	sides := addFacets(req, outcomeFacets, func(string) bool { return false }, p, q, build)
	reqs := []*bleve.SearchRequest{req}
	for _, s := range sides {
		reqs = append(reqs, s.req)
	}
	all, err := searchAll(ctx, ix.passages, reqs)
	if err != nil {
		return nil, fmt.Errorf("index: outcomes: %w", err)
	}
	res := all[0]
	out := &OutcomeResult{Total: res.Total, Page: q.Page, Size: q.Size, Outcomes: []OutcomeHit{}}
	out.Facets = collectFacets(outcomeFacets, res, sides, all[1:], p)
	out.Facets[FacetSection] = []FacetValue{}
	out.Years = years(out.Facets[FacetYear])
	for _, h := range res.Hits {
		var sp storedPassage
		if s, ok := h.Fields[fMeta].(string); ok {
			if err := json.Unmarshal([]byte(s), &sp); err != nil {
				return nil, fmt.Errorf("index: outcomes: %s: %w", h.ID, err)
			}
		}
		body, _ := h.Fields[fText].(string)
		frag := html.EscapeString(body)
		if fs := h.Fragments[fText]; len(fs) > 0 {
			frag = fs[0]
		}
		themes := sp.Passage.Themes
		if len(themes) == 0 {
			themes = sp.Mission.Themes
		}
		score := h.Score
		if text == nil {
			score = 0
		}
		out.Outcomes = append(out.Outcomes, OutcomeHit{
			MissionID: sp.Mission.MissionID, Filename: sp.Mission.Filename, MissionTitle: sp.Mission.Title,
			Year: sp.Mission.Year, StartDate: sp.Mission.StartDate, Destinations: nonNil(sp.Mission.Destinations),
			Category: sp.Passage.Category, Title: sp.Passage.Title, Text: body, Fragment: frag,
			Page: sp.Passage.Page, Themes: nonNil(themes), Score: score,
		})
	}
	return out, nil
}

// Matrix counts outcomes by two facets: Counts[i][j] is the number of
// outcomes with Rows[i] and Cols[j] (an outcome with two themes counts in
// both columns, so a row's total may be less than the sum of its cells).
type Matrix struct {
	By        string   `json:"by"`
	Split     string   `json:"split"`
	Rows      []string `json:"rows"`
	Cols      []string `json:"cols"` // "" is the column of outcomes without a category
	Counts    [][]int  `json:"counts"`
	RowTotals []int    `json:"row_totals"`
	ColTotals []int    `json:"col_totals"`
	Total     uint64   `json:"total"`
}

// maxCells bounds the matrix a comparison returns.
const maxCells = 10000

// Compare counts the outcomes matching q (text and filters) by the values of
// by (year, city or country) and split (category or theme).
func (ix *Index) Compare(ctx context.Context, q Query, by, split string) (*Matrix, error) {
	if !slices.Contains(compareBy, by) {
		return nil, fmt.Errorf("%w: comparaison par « %s » impossible (possibles : %s)", ErrBadQuery, by, strings.Join(compareBy, ", "))
	}
	if !slices.Contains(compareSplit, split) {
		return nil, fmt.Errorf("%w: répartition par « %s » impossible (possibles : %s)", ErrBadQuery, split, strings.Join(compareSplit, ", "))
	}
	q.Page, q.Size = 1, 1
	if err := normPage(&q); err != nil {
		return nil, err
	}
	p, err := ix.newPlan(q)
	if err != nil {
		return nil, err
	}
	text := rankedQuery(p, passageProfile, ix.stats.Load().averages(passageProfile), false)
	req := bleve.NewSearchRequestOptions(ix.outcomeBase(p, q, text)(""), 0, 0, false)
	req.Score = "none"
	req.AddFacet("pairs", bleve.NewFacetRequest(pairField(by, split), maxCells))
	req.AddFacet(fFacets, bleve.NewFacetRequest(fFacets, allFacetValues))
	res, err := ix.passages.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: compare: %w", err)
	}
	m := &Matrix{By: by, Split: split, Total: res.Total, Rows: []string{}, Cols: []string{}, Counts: [][]int{}, RowTotals: []int{}, ColTotals: []int{}}
	terms := facetTerms(res)
	rows := facetList(terms[by], nil)
	cols := facetList(terms[split], nil)
	rowAt, colAt := map[string]int{}, map[string]int{}
	if by == FacetYear {
		slices.SortFunc(rows, func(a, b FacetValue) int { return cmp.Compare(atoi(a.Value), atoi(b.Value)) })
	}
	for _, r := range rows {
		rowAt[Fold(r.Value)] = len(m.Rows)
		m.Rows = append(m.Rows, r.Value)
		m.RowTotals = append(m.RowTotals, r.Count)
	}
	for _, c := range cols {
		colAt[Fold(c.Value)] = len(m.Cols)
		m.Cols = append(m.Cols, c.Value)
		m.ColTotals = append(m.ColTotals, c.Count)
	}
	m.Counts = make([][]int, len(m.Rows))
	for i := range m.Counts {
		m.Counts[i] = make([]int, len(m.Cols))
	}
	if pr := res.Facets["pairs"]; pr != nil && pr.Terms != nil {
		for _, t := range pr.Terms.Terms() {
			a, b, _ := strings.Cut(t.Term, pairSep)
			i, iok := rowAt[Fold(a)]
			j, jok := colAt[Fold(b)]
			if !jok && b == "" {
				// Outcomes without a category: a column of their own.
				j, jok = len(m.Cols), true
				colAt[""] = j
				m.Cols = append(m.Cols, "")
				m.ColTotals = append(m.ColTotals, 0)
				for r := range m.Counts {
					m.Counts[r] = append(m.Counts[r], 0)
				}
			}
			if iok && jok {
				m.Counts[i][j] += t.Count
				if b == "" {
					m.ColTotals[j] += t.Count
				}
			}
		}
	}
	return m, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
