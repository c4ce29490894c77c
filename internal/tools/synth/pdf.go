package synth

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"

	"escale/internal/mission"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// metrics holds the advance widths of the two fonts at 1 pt, so layout needs
// no PDF object.
type metrics struct {
	adv [2][]float64 // [regular, bold][rune]
}

const maxRune = 0x2600

func newMetrics() (*metrics, error) {
	m := &metrics{}
	for i, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("synth: parse Go font: %w", err)
		}
		var buf sfnt.Buffer
		upem := f.UnitsPerEm()
		m.adv[i] = make([]float64, maxRune)
		for r := rune(0); r < maxRune; r++ {
			gi, err := f.GlyphIndex(&buf, r)
			if err != nil || gi == 0 {
				continue
			}
			a, err := f.GlyphAdvance(&buf, gi, fixed.I(int(upem)), font.HintingNone)
			if err != nil {
				continue
			}
			m.adv[i][r] = float64(a) / 64 / float64(upem)
		}
	}
	return m, nil
}

func (m *metrics) width(s string, bold bool, size float64) float64 {
	t := m.adv[0]
	if bold {
		t = m.adv[1]
	}
	w := 0.0
	for _, r := range s {
		if r < maxRune {
			w += t[r]
		}
	}
	return w * size
}

// pdfStyle is one report's page design.
type pdfStyle struct {
	w, h                float64
	ml, mr, mt, mb      float64
	size, leading       float64
	titleSize, headSize float64
	subSize, catSize    float64
	titleCenter         bool
	justify, hyphen     bool
	cols                int
	colsFrom            string // the section whose heading starts the columns, "" for the first
	gap                 float64
	paraGap             float64
	indent, markerGap   float64
	bullet              string
	headColor           [3]int
	rules               bool // table rules
	header              string
	headerAlign         string
	headerFirst         bool // the header is on page 1 too
	footer              int  // 0 none, then the page number styles
	footerAlign         string
	catBoldOnly         bool
}

var footerStyles = []func(i, n int) string{
	nil,
	func(i, n int) string { return fmt.Sprintf("Page %d de %d", i, n) },
	func(i, n int) string { return fmt.Sprint(i) },
	func(i, n int) string { return fmt.Sprintf("– %d –", i) },
	func(i, n int) string { return fmt.Sprintf("%d/%d", i, n) },
	func(i, n int) string { return fmt.Sprintf("Page %d", i) },
}

func (b *builder) choosePDFStyle(twoCols bool) pdfStyle {
	r := b.r
	s := pdfStyle{w: 612, h: 792}
	if r.chance(0.3) {
		s.w, s.h = 595.28, 841.89
	}
	s.ml = float64(r.between(54, 80))
	s.mr = s.ml
	if r.chance(0.3) {
		s.mr = float64(r.between(54, 80))
	}
	s.mt = float64(r.between(60, 80))
	s.mb = float64(r.between(60, 80))
	s.size = []float64{10, 10.5, 11, 11, 12}[r.IntN(5)]
	s.leading = 1.18 + 0.17*r.Float64()
	s.titleSize = s.size + float64(r.between(5, 10))
	s.headSize = s.size + float64(r.between(1, 4))
	s.subSize = s.size + float64(r.between(0, 2))
	s.catSize = s.size + float64(r.between(0, 1))
	s.titleCenter = r.chance(0.3)
	s.justify = r.chance(0.5)
	s.hyphen = r.chance(0.35)
	s.cols = 1
	if twoCols {
		s.cols = 2
		s.gap = float64(r.between(16, 28))
		s.size = min(s.size, 10.5)
		s.hyphen = r.chance(0.7)
		if r.chance(0.3) {
			s.colsFrom = mission.KindOutcomes
		}
	}
	if b.p.size > 10 && !twoCols {
		// The longest reports are also the airiest.
		s.size, s.leading = 12, 1.3+0.15*r.Float64()
	}
	s.paraGap = s.size * (0.3 + 0.6*r.Float64())
	s.indent = float64(r.between(0, 18))
	s.markerGap = float64(r.between(12, 20))
	s.bullet = []string{"•", "–", "▪"}[r.weighted(6, 1, 1)]
	if r.chance(0.35) {
		s.headColor = [3]int{r.between(0, 40), r.between(40, 90), r.between(100, 160)}
	}
	s.rules = r.chance(0.6)
	s.catBoldOnly = r.chance(0.5)
	if r.chance(0.6) {
		s.footer = r.weighted(4, 2, 1, 1, 1) + 1
		s.footerAlign = pick(r, []string{"C", "C", "R"})
	}
	return s
}

// pword is a word placed on a line.
type pword struct {
	text string
	bold bool
	size float64
	x    float64
	head bool // coloured like headings
}

// pline is a line placed on a page; y is its baseline.
type pline struct {
	y      float64
	words  []pword
	spaced bool // words were spread (justified): draw them one by one
}

type prule struct{ x1, y1, x2, y2 float64 }

type ppage struct {
	lines []pline
	rules []prule
}

// layouter flows blocks into pages and columns.
type layouter struct {
	m      *metrics
	s      *pdfStyle
	pages  []ppage
	col    int
	colTop float64
	y      float64 // top of the next line
	full   bool    // still in the full-width title block
}

func (l *layouter) bottom() float64 { return l.s.h - l.s.mb }

func (l *layouter) frame() (x0, w float64) {
	inner := l.s.w - l.s.ml - l.s.mr
	if l.s.cols == 1 || l.full {
		return l.s.ml, inner
	}
	cw := (inner - l.s.gap) / 2
	return l.s.ml + float64(l.col)*(cw+l.s.gap), cw
}

func (l *layouter) newPage() {
	l.pages = append(l.pages, ppage{})
	l.col = 0
	l.colTop = l.s.mt
	l.y = l.s.mt
}

func (l *layouter) nextFrame() {
	if l.s.cols == 2 && !l.full && l.col == 0 {
		l.col = 1
		l.y = l.colTop
		return
	}
	l.newPage()
}

// need moves on when h points do not fit in the current frame.
func (l *layouter) need(h float64) {
	if l.y+h > l.bottom() && l.y > l.colTop+1 {
		l.nextFrame()
	}
}

func (l *layouter) page() *ppage { return &l.pages[len(l.pages)-1] }

// token is a word with its style, before placement.
type token struct {
	text string
	bold bool
}

func tokens(text string, bold bool) []token {
	var out []token
	for _, w := range strings.Split(text, " ") {
		if w != "" {
			out = append(out, token{w, bold})
		}
	}
	return out
}

// flow places words from x0+first (first line) or x0+rest (others) within
// width w, breaking and hyphenating as the style says.
func (l *layouter) flow(toks []token, size float64, first, rest float64, align string, head, body bool) {
	x0, w := l.frame()
	lh := size * l.s.leading
	space := func(bold bool) float64 { return l.m.width(" ", bold, size) }
	var line []pword
	lineStart := x0 + first
	cx := lineStart
	emitLine := func(last bool) {
		if len(line) == 0 {
			return
		}
		l.need(lh)
		x0n, _ := l.frame()
		dx := x0n - x0 // the frame may have moved to the other column
		pl := pline{y: l.y + size*0.82}
		end := line[len(line)-1].x + l.m.width(line[len(line)-1].text, line[len(line)-1].bold, size)
		extra := (x0 + w) - end
		switch {
		case align == "J" && !last && len(line) > 1 && extra < w*0.25:
			per := extra / float64(len(line)-1)
			for i := range line {
				line[i].x += per * float64(i)
			}
			pl.spaced = true
		case align == "C":
			for i := range line {
				line[i].x += extra / 2
			}
		}
		for i := range line {
			line[i].x += dx
		}
		pl.words = line
		l.page().lines = append(l.page().lines, pl)
		l.y += lh
		x0 += dx
		line = nil
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		tw := l.m.width(t.text, t.bold, size)
		gap := 0.0
		if len(line) > 0 {
			gap = space(t.bold)
		}
		if cx+gap+tw > x0+w && len(line) > 0 {
			if l.s.hyphen && body {
				if pre, post, ok := l.hyphenate(t, size, x0+w-(cx+gap)); ok {
					line = append(line, pword{text: pre, bold: t.bold, size: size, x: cx + gap, head: head})
					emitLine(false)
					cx = x0 + rest
					toks[i].text = post
					i--
					continue
				}
			}
			emitLine(false)
			cx = x0 + rest
			gap = 0
		}
		line = append(line, pword{text: t.text, bold: t.bold, size: size, x: cx + gap, head: head})
		cx += gap + tw
	}
	emitLine(true)
}

// hyphenate splits a word so that its first part and a hyphen fit in room,
// at a French syllable boundary.
func (l *layouter) hyphenate(t token, size, room float64) (string, string, bool) {
	rs := []rune(t.text)
	if len(rs) < 7 || strings.ContainsAny(t.text, "0123456789/@.") {
		return "", "", false
	}
	for k := len(rs) - 3; k >= 3; k-- {
		if !syllableBreak(rs, k) {
			continue
		}
		pre := string(rs[:k]) + "-"
		if l.m.width(pre, t.bold, size) <= room {
			return pre, string(rs[k:]), true
		}
	}
	return "", "", false
}

func isVowel(r rune) bool {
	return strings.ContainsRune("aeiouyàâäéèêëîïôöûùüœAEIOUYÀÂÉÈÊÎÔÛ", r)
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r <= 0x17F
}

// syllableBreak reports whether a word may be cut before rs[k]: between two
// consonants not forming a cluster, or between a vowel and a consonant+vowel.
func syllableBreak(rs []rune, k int) bool {
	p, c := rs[k-1], rs[k]
	if !isLetter(p) || !isLetter(c) || k+1 >= len(rs) {
		return false
	}
	for _, r := range rs[:k] {
		if !isLetter(r) && r != '’' && r != '\'' {
			return false
		}
	}
	// Not right after an elision (« l’ »).
	if k >= 2 && (rs[k-2] == '’' || rs[k-2] == '\'') {
		return false
	}
	n := rs[k+1]
	switch {
	case isVowel(p) && !isVowel(c) && isVowel(n):
		return true
	case isVowel(p) && !isVowel(c) && !isVowel(n) && k+2 < len(rs) && isVowel(rs[k+2]):
		return cluster(c, n) // pa-trimoine
	case !isVowel(p) && !isVowel(c) && isVowel(n):
		return !cluster(p, c) && k >= 2 && isVowel(rs[k-2])
	}
	return false
}

// cluster reports whether two consonants stay together at a syllable break.
func cluster(a, b rune) bool {
	pair := strings.ToLower(string([]rune{a, b}))
	for _, cl := range []string{"ch", "ph", "th", "gn", "qu", "bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "tr", "vr"} {
		if pair == cl {
			return true
		}
	}
	return false
}

// place lays one block out.
func (l *layouter) place(bl block, first bool) {
	s := l.s
	lh := s.size * s.leading
	switch bl.kind {
	case bTitle:
		align := "L"
		if s.titleCenter {
			align = "C"
		}
		l.flow(tokens(bl.text, true), s.titleSize, 0, 0, align, true, false)
		l.y += s.titleSize * 0.6
	case bSubtitle:
		l.flow(tokens(bl.text, false), s.subSize, 0, 0, "L", false, false)
		l.y += s.paraGap
	case bMeta:
		l.flow(append(tokens(bl.lead, true), tokens(bl.text, false)...), s.size, 0, 0, "L", false, false)
		l.y += s.paraGap
	case bHeading:
		if l.full {
			// Columns begin with the first section, or a later one (a
			// section break in the middle of a page).
			if s.cols == 2 && (s.colsFrom == "" || s.colsFrom == bl.section) {
				l.full = false
				l.y += s.size
				l.colTop = l.y
			}
		}
		if !first {
			l.y += lh * 0.8
		}
		l.need(s.headSize*s.leading + 3*lh)
		l.flow(tokens(bl.text, true), s.headSize, 0, 0, "L", true, false)
		l.y += lh * 0.3
	case bCategory:
		l.y += lh * 0.4
		l.need(s.catSize*s.leading + 2*lh)
		l.flow(tokens(bl.text, true), s.catSize, 0, 0, "L", !s.catBoldOnly, false)
		l.y += lh * 0.2
	case bPara:
		l.flow(tokens(bl.text, false), s.size, 0, 0, l.align(), false, true)
		l.y += s.paraGap
	case bItem:
		indent := 0.0
		if bl.marker != "" {
			indent = s.indent + s.markerGap
			marker := bl.marker
			if marker == "•" {
				marker = s.bullet
			}
			l.need(lh)
			x0, _ := l.frame()
			l.page().lines = append(l.page().lines, pline{y: l.y + s.size*0.82,
				words: []pword{{text: marker, size: s.size, x: x0 + s.indent}}})
		}
		if bl.ownLine {
			l.flow(tokens(bl.lead, true), s.size, indent, indent, "L", false, false)
			l.flow(tokens(bl.text, false), s.size, indent, indent, l.align(), false, true)
		} else {
			l.flow(append(tokens(bl.lead, true), tokens(bl.text, false)...), s.size, indent, indent, l.align(), false, true)
		}
		l.y += s.paraGap * 0.7
	case bTable:
		l.table(bl.rows)
		l.y += s.paraGap
	}
}

func (l *layouter) align() string {
	if l.s.justify {
		return "J"
	}
	return "L"
}

// table lays out rows of cells, the first row bold, wrapping each cell.
func (l *layouter) table(rows [][]string) {
	s := l.s
	x0, w := l.frame()
	fr := []float64{0.3, 0.7}
	if len(rows) > 0 && rows[0][0] == "Poste" {
		fr = []float64{0.7, 0.3}
	}
	lh := s.size * s.leading
	pad := 4.0
	for ri, row := range rows {
		// Measure the row by laying each cell out in a scratch layouter.
		cells := make([][]pline, len(row))
		height := 0.0
		for ci, cell := range row {
			cw := w*fr[ci] - 2*pad
			sub := &layouter{m: l.m, s: &pdfStyle{w: cw, h: 1e6, leading: s.leading, hyphen: false, cols: 1}, full: true}
			sub.newPage()
			sub.flow(tokens(cell, ri == 0), s.size, 0, 0, "L", false, false)
			cells[ci] = sub.pages[0].lines
			height = max(height, sub.y)
		}
		rowH := height + 2*pad
		l.need(rowH)
		x0, _ = l.frame()
		top := l.y
		cx := x0
		for ci := range row {
			for _, pl := range cells[ci] {
				pl.y += top + pad
				for k := range pl.words {
					pl.words[k].x += cx + pad
				}
				l.page().lines = append(l.page().lines, pl)
			}
			cx += w * fr[ci]
		}
		if s.rules {
			p := l.page()
			p.rules = append(p.rules, prule{x0, top, x0 + w, top})
			if ri == len(rows)-1 {
				p.rules = append(p.rules, prule{x0, top + rowH, x0 + w, top + rowH})
			}
		}
		l.y += rowH
		_ = lh
	}
}

// layout places the whole document.
func layoutDoc(m *metrics, s *pdfStyle, d *doc) []ppage {
	l := &layouter{m: m, s: s, full: true}
	l.newPage()
	for i, bl := range d.blocks {
		l.place(bl, i == 0)
	}
	return l.pages
}

// renderPDF draws laid-out pages with fpdf.
func renderPDF(s *pdfStyle, pages []ppage, d *doc, producer string) ([]byte, error) {
	p := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: s.w, Ht: s.h}})
	p.SetCatalogSort(true)
	p.SetCreationDate(d.created)
	p.SetModificationDate(d.created)
	p.SetProducer(producer, true)
	if d.infoTitle != "" {
		p.SetTitle(d.infoTitle, true)
	}
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(0, 0, 0)
	p.AddUTF8FontFromBytes("Go", "", goregular.TTF)
	p.AddUTF8FontFromBytes("Go", "B", gobold.TTF)
	n := len(pages)
	fontKey := func(bold bool, size float64) {
		if bold {
			p.SetFont("Go", "B", size)
		} else {
			p.SetFont("Go", "", size)
		}
	}
	for i, pg := range pages {
		p.AddPage()
		hs := s.size - 2
		if s.header != "" && (i > 0 || s.headerFirst) {
			fontKey(false, hs)
			w := p.GetStringWidth(s.header)
			x := s.ml
			if s.headerAlign == "R" {
				x = s.w - s.mr - w
			}
			p.Text(x, s.mt-hs*2, s.header)
		}
		if f := footerStyles[s.footer]; f != nil {
			t := f(i+1, n)
			fontKey(false, hs)
			w := p.GetStringWidth(t)
			x := (s.w - w) / 2
			if s.footerAlign == "R" {
				x = s.w - s.mr - w
			}
			p.Text(x, s.h-s.mb+hs*2.5, t)
		}
		for _, ln := range pg.lines {
			drawLine(p, s, ln, fontKey)
		}
		if len(pg.rules) > 0 {
			p.SetLineWidth(0.5)
			for _, r := range pg.rules {
				p.Line(r.x1, r.y1, r.x2, r.y2)
			}
		}
	}
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, fmt.Errorf("synth: write PDF: %w", err)
	}
	return out.Bytes(), nil
}

// drawLine draws a line's words: runs of one style at once when the spacing
// is natural, word by word when the line was justified.
func drawLine(p *fpdf.Fpdf, s *pdfStyle, ln pline, fontKey func(bool, float64)) {
	colour := func(w pword) {
		if w.head {
			p.SetTextColor(s.headColor[0], s.headColor[1], s.headColor[2])
		} else {
			p.SetTextColor(0, 0, 0)
		}
	}
	if ln.spaced {
		for _, w := range ln.words {
			fontKey(w.bold, w.size)
			colour(w)
			p.Text(w.x, ln.y, w.text)
		}
		return
	}
	for i := 0; i < len(ln.words); {
		j := i + 1
		for j < len(ln.words) && ln.words[j].bold == ln.words[i].bold && ln.words[j].size == ln.words[i].size {
			j++
		}
		var parts []string
		for _, w := range ln.words[i:j] {
			parts = append(parts, w.text)
		}
		fontKey(ln.words[i].bold, ln.words[i].size)
		colour(ln.words[i])
		p.Text(ln.words[i].x, ln.y, strings.Join(parts, " "))
		i = j
	}
}
