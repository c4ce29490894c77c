package web

import (
	"cmp"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"escale/index"
)

// The compare page (/comparer), for analysts: the outcomes of the current
// query and filters counted by year (or place) and split by category or
// theme, drawn as an SVG bar chart on the server (no chart script), the
// same numbers as a table beside it, and the CSV of them.

// maxSeries is how many columns the chart draws; the table shows them all.
const maxSeries = 12

// Chart geometry, in SVG user units.
const (
	plotHeight = 240.0
	barWidth   = 12.0
	groupGap   = 18.0
	marginL    = 44.0
	marginT    = 12.0
	marginB    = 64.0
	marginR    = 12.0
)

type compareView struct {
	Query    string
	YearFrom string
	YearTo   string
	By       string
	Split    string
	Chips    []chip
	M        *index.Matrix
	ColNames []string
	Chart    *chart
	CSVURL   string
	Search   string
	Others   int // columns folded into « autres »
}

// chart is a grouped bar chart ready for the template: every number is
// computed here, the template only writes them out.
type chart struct {
	Width, Height float64
	PlotTop       float64
	PlotBottom    float64
	PlotLeft      float64
	PlotRight     float64
	Unit          float64 // height of one outcome
	Ticks         []tick
	Groups        []group
	Legend        []legendItem
	Rotate        bool // row labels slanted (long names)
}

type tick struct {
	Y     float64
	Label string
}

type group struct {
	Label  string
	X      float64 // label anchor
	LabelY float64
	Bars   []bar
}

type bar struct {
	X, Y, W, H float64
	Class      string
	Row, Col   string
	Count      int
	Title      string
}

type legendItem struct {
	Class, Label string
}

// comparePage is GET /comparer.
func (s *Server) comparePage(c *gin.Context) {
	p := &page{Title: "Comparer les retombées", Nav: "compare"}
	vals := c.Request.URL.Query()
	q, err := s.query(c)
	v := &compareView{}
	by, split := compareParams(vals)
	v.By, v.Split = by, split
	if err == nil {
		v.M, err = s.search.Compare(c.Request.Context(), q, by, split)
	}
	v.Query = q.Text
	if q.YearFrom != 0 {
		v.YearFrom = strconv.Itoa(q.YearFrom)
	}
	if q.YearTo != 0 {
		v.YearTo = strconv.Itoa(q.YearTo)
	}
	st := state(index.Query{Text: q.Text, Filters: q.Filters, YearFrom: q.YearFrom, YearTo: q.YearTo, Advanced: q.Advanced})
	p.State = st
	v.Search = link("/", st)
	for _, f := range index.Facets {
		for _, val := range q.Filters[f] {
			rest := state(without(q, f, val))
			rest.Del("sort")
			rest.Del("size")
			setCompare(rest, by, split)
			v.Chips = append(v.Chips, chip{Facet: f, Value: val, Label: facetLabels[f] + " : " + s.ui.facetValueLabel(f, val), Remove: link("/comparer", rest)})
		}
	}
	if err != nil {
		status, _, message := classify(err)
		if status != http.StatusBadRequest {
			s.failPage(c, err)
			return
		}
		p.Error = message
		p.Data = v
		s.render(c, status, "compare", p)
		return
	}
	csv := url.Values{}
	for k, vs := range st {
		csv[k] = vs
	}
	setCompare(csv, by, split)
	v.CSVURL = link("/comparer.csv", csv)
	for _, col := range v.M.Cols {
		v.ColNames = append(v.ColNames, s.ui.facetValueLabel(split, col))
	}
	v.Chart, v.Others = s.drawChart(v.M, v.ColNames)
	p.Data = v
	s.render(c, http.StatusOK, "compare", p)
}

func setCompare(v url.Values, by, split string) {
	if by != index.FacetYear {
		v.Set("by", by)
	}
	if split != index.FacetCategory {
		v.Set("split", split)
	}
}

// drawChart lays out one group of bars per row, one bar per column that has
// outcomes in that row. Heights are proportional to the counts: one unit
// per outcome, the axis rounded up to a readable step. When there are more
// columns than colours, the smallest are left to the table (others says
// how many).
func (s *Server) drawChart(m *index.Matrix, names []string) (*chart, int) {
	if m == nil || len(m.Rows) == 0 || len(m.Cols) == 0 {
		return nil, 0
	}
	cols := make([]int, len(m.Cols)) // the columns drawn, largest first
	for j := range cols {
		cols[j] = j
	}
	others := 0
	if len(cols) > maxSeries {
		// Keep the largest totals; stable so that ties keep the index's order.
		slices.SortStableFunc(cols, func(a, b int) int { return cmp.Compare(m.ColTotals[b], m.ColTotals[a]) })
		others = len(cols) - maxSeries
		cols = cols[:maxSeries]
		slices.Sort(cols)
	}
	peak := 0
	for i := range m.Rows {
		for _, j := range cols {
			peak = max(peak, m.Counts[i][j])
		}
	}
	step, top := niceAxis(peak)
	ch := &chart{PlotTop: marginT, PlotBottom: marginT + plotHeight, PlotLeft: marginL}
	ch.Unit = plotHeight / float64(top)
	groupW := float64(len(cols))*barWidth + groupGap
	ch.Width = marginL + float64(len(m.Rows))*groupW + marginR
	ch.PlotRight = ch.Width - marginR
	ch.Height = marginT + plotHeight + marginB
	ch.Rotate = m.By != index.FacetYear
	for t := 0; t <= top; t += step {
		ch.Ticks = append(ch.Ticks, tick{Y: round2(ch.PlotBottom - float64(t)*ch.Unit), Label: number(t)})
	}
	for k, j := range cols {
		ch.Legend = append(ch.Legend, legendItem{Class: "s" + strconv.Itoa(k), Label: names[j]})
	}
	for i, row := range m.Rows {
		x0 := marginL + groupGap/2 + float64(i)*groupW
		g := group{Label: row, X: round2(x0 + float64(len(cols))*barWidth/2), LabelY: ch.PlotBottom + 16}
		for k, j := range cols {
			n := m.Counts[i][j]
			if n == 0 {
				continue
			}
			h := round2(float64(n) * ch.Unit)
			g.Bars = append(g.Bars, bar{
				X: round2(x0 + float64(k)*barWidth), Y: round2(ch.PlotBottom - h), W: barWidth - 2, H: h,
				Class: "s" + strconv.Itoa(k), Row: row, Col: m.Cols[j], Count: n,
				Title: row + " — " + names[j] + " : " + number(n) + " " + plural(n, "retombée", "retombées"),
			})
		}
		ch.Groups = append(ch.Groups, g)
	}
	return ch, others
}

// niceAxis returns a tick step of 1, 2 or 5 times a power of ten giving at
// most six ticks, and the axis top, the first multiple of it at or above peak.
func niceAxis(peak int) (step, top int) {
	if peak <= 0 {
		return 1, 1
	}
	for p := 1; ; p *= 10 {
		for _, f := range []int{1, 2, 5} {
			step = f * p
			if (peak+step-1)/step <= 5 {
				return step, (peak + step - 1) / step * step
			}
		}
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
