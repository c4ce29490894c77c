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

// maxSeries is how many columns the chart colours one by one; beyond, the
// smallest share one grey segment (the table shows them all).
const maxSeries = 12

// Chart geometry, in SVG user units.
const (
	plotHeight = 240.0
	barWidth   = 30.0
	barGap     = 16.0
	marginL    = 40.0
	marginT    = 16.0
	marginB    = 40.0
	marginR    = 8.0
)

type compareView struct {
	Query    string
	YearFrom string
	YearTo   string
	By       string
	Split    string
	Chips    []chip
	M        *index.Matrix
	Chart    *chart
	Table    []tableRow // one per column of the matrix: the table is transposed
	CSVURL   string
	Search   string
}

// tableRow is one category or theme of the table, with its count per row
// of the matrix (year, city or country).
type tableRow struct {
	Label  string
	Class  string // its colour in the chart; "" when it is among « autres »
	Counts []int
	Total  int
}

// chart is a stacked bar chart ready for the template: every number is
// computed here, the template only writes them out.
type chart struct {
	Width, Height float64
	PlotTop       float64
	PlotBottom    float64
	PlotLeft      float64
	PlotRight     float64
	Unit          float64 // height of one outcome
	Ticks         []tick
	Stacks        []barStack
	Legend        []legendItem
	Rotate        bool // row labels slanted (long names)
	Overlap       bool // an outcome may count in several segments (themes)
}

type tick struct {
	Y     float64
	Label string
}

// barStack is one row of the matrix: a bar of segments, one per column.
type barStack struct {
	Label  string
	X      float64 // label anchor
	LabelY float64
	Top    float64 // y of the bar's top, for its total
	Total  int
	Bars   []bar
}

type bar struct {
	X, Y, W, H float64
	Class      string
	Row, Col   string
	Others     bool // the columns past maxSeries, together
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
	var names []string
	for _, col := range v.M.Cols {
		names = append(names, s.ui.facetValueLabel(split, col))
	}
	v.Chart = drawChart(v.M, names)
	v.Table = table(v.M, names, v.Chart)
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

// drawChart stacks, for each row, one segment per column that has outcomes
// in that row. Heights are proportional to the counts: Unit per outcome, the
// axis rounded up to a readable step.
func drawChart(m *index.Matrix, names []string) *chart {
	if m == nil || len(m.Rows) == 0 || len(m.Cols) == 0 {
		return nil
	}
	// The columns coloured one by one: the largest, in the matrix's order.
	cols := make([]int, len(m.Cols))
	for j := range cols {
		cols[j] = j
	}
	var rest []int
	if len(cols) > maxSeries {
		slices.SortStableFunc(cols, func(a, b int) int { return cmp.Compare(m.ColTotals[b], m.ColTotals[a]) })
		cols, rest = cols[:maxSeries-1], cols[maxSeries-1:]
		slices.Sort(cols)
	}
	ch := &chart{PlotTop: marginT, PlotBottom: marginT + plotHeight, PlotLeft: marginL,
		Rotate: m.By != index.FacetYear, Overlap: m.Split == index.FacetTheme}
	peak := 0
	for i := range m.Rows {
		sum := 0
		for _, n := range m.Counts[i] {
			sum += n
		}
		peak = max(peak, sum)
	}
	step, top := niceAxis(peak)
	ch.Unit = plotHeight / float64(top)
	ch.Width = marginL + float64(len(m.Rows))*(barWidth+barGap) + marginR
	ch.PlotRight = ch.Width - marginR
	ch.Height = marginT + plotHeight + marginB
	if ch.Rotate {
		ch.Height += 60
	}
	for t := 0; t <= top; t += step {
		ch.Ticks = append(ch.Ticks, tick{Y: round2(ch.PlotBottom - float64(t)*ch.Unit), Label: number(t)})
	}
	for k, j := range cols {
		ch.Legend = append(ch.Legend, legendItem{Class: seriesClass(k), Label: names[j]})
	}
	if len(rest) > 0 {
		ch.Legend = append(ch.Legend, legendItem{Class: "others", Label: "autres (" + number(len(rest)) + ")"})
	}
	for i, row := range m.Rows {
		x := round2(marginL + barGap/2 + float64(i)*(barWidth+barGap))
		st := barStack{Label: row, X: round2(x + barWidth/2), LabelY: ch.PlotBottom + 16}
		y := ch.PlotBottom
		add := func(n int, b bar) {
			h := round2(float64(n) * ch.Unit)
			y -= float64(n) * ch.Unit
			b.X, b.Y, b.W, b.H, b.Count, b.Row = x, round2(y), barWidth, h, n, row
			st.Bars = append(st.Bars, b)
			st.Total += n
		}
		for k, j := range cols {
			if n := m.Counts[i][j]; n > 0 {
				add(n, bar{Class: seriesClass(k), Col: m.Cols[j],
					Title: row + " — " + names[j] + " : " + number(n) + " " + plural(n, "retombée", "retombées")})
			}
		}
		others := 0
		for _, j := range rest {
			others += m.Counts[i][j]
		}
		if others > 0 {
			add(others, bar{Class: "others", Others: true,
				Title: row + " — autres : " + number(others) + " " + plural(others, "retombée", "retombées")})
		}
		st.Top = round2(y - 4)
		ch.Stacks = append(ch.Stacks, st)
	}
	return ch
}

func seriesClass(k int) string { return "s" + strconv.Itoa(k) }

// table transposes the matrix for reading: one line per column (category
// or theme), one cell per row (year...), with the chart's colours.
func table(m *index.Matrix, names []string, ch *chart) []tableRow {
	class := map[string]string{}
	if ch != nil {
		for _, l := range ch.Legend {
			class[l.Label] = l.Class
		}
	}
	var out []tableRow
	for j := range m.Cols {
		r := tableRow{Label: names[j], Class: class[names[j]], Total: m.ColTotals[j]}
		for i := range m.Rows {
			r.Counts = append(r.Counts, m.Counts[i][j])
		}
		out = append(out, r)
	}
	return out
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
