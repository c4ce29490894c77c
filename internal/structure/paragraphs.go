package structure

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// para is one paragraph, list item, heading or table row: lines joined the
// way a reader reads them.
type para struct {
	text    string
	marker  string  // list marker, "" if none
	lead    string  // the bold run-in title that opens it, "" if none
	bold    bool    // every line bold
	size    float64 // font size of its first line
	heading int     // Markdown heading level
	page    int
	x       float64
	gap     float64 // space above: blank lines (text) or line pitches (PDF)
	lines   int
	table   bool    // a table row, cells separated by tabs
	ocr     bool    // recognised from a page image: no reliable font style
	right   float64 // where its widest line ends (PDF)

	// While the paragraph is built: its text so far, its last line, and
	// whether its bold lead still covers all of it.
	buf      []byte
	last     string
	leadOpen bool
}

// body is the paragraph's text without its list marker.
func (p *para) body() string {
	return strings.TrimSpace(strings.TrimPrefix(p.text, p.marker))
}

func (p *para) words() int { return len(strings.Fields(p.body())) }

// newPara starts a paragraph with its first line.
func newPara(l *line) para {
	return para{
		text: l.text, marker: l.marker, lead: l.lead, bold: l.allBold(), size: l.size, heading: l.heading,
		page: l.page, x: l.x, lines: 1, last: l.text, right: l.x + l.w, leadOpen: l.lead != "" && l.lead == l.body(), ocr: l.ocr,
	}
}

// extend appends a line to the paragraph; a bold run-in title that fills
// the paragraph so far goes on with the line's own bold lead. The text grows
// in a buffer so that a paragraph of many lines costs linear time.
func (p *para) extend(l *line, v vocabulary) {
	if p.leadOpen {
		p.leadOpen = false
		if l.marker == "" && l.lead != "" {
			p.lead = v.join(p.lead, l.lead)
			p.leadOpen = l.lead == l.body()
		}
	}
	if p.buf == nil {
		p.buf = append(make([]byte, 0, 4*len(p.text)), p.text...)
	}
	drop, sep := v.glue(p.last, l.text)
	p.buf = append(append(p.buf[:len(p.buf)-drop], sep...), l.text...)
	p.last = l.text
	p.right = max(p.right, l.x+l.w)
	p.lines++
	p.bold = p.bold && l.allBold()
}

// finish settles the paragraph's text once its last line is in.
func (p *para) finish() {
	if p.buf != nil {
		p.text = string(p.buf)
		p.buf = nil
	}
}

// textParagraphs joins the lines of a text or Markdown file. A blank line
// ends a paragraph, except in files copied from a PDF with a blank line
// after every visual line; wrapped lines are recognised by their length
// against the file's wrap width, by a lowercase start or by a cut word.
func textParagraphs(ls []line, v vocabulary, markdown bool) []para {
	width := wrapWidth(ls)
	double := doubleSpaced(ls)
	var out []para
	var cur *para
	var prev *line
	for i := range ls {
		l := &ls[i]
		if cur != nil && textContinues(cur, prev, l, width, double, markdown) {
			cur.extend(l, v)
			prev = l
			continue
		}
		if cur != nil {
			cur.finish()
		}
		np := newPara(l)
		np.gap, np.table = float64(l.blank), strings.Contains(l.text, "\t")
		out = append(out, np)
		cur = &out[len(out)-1]
		prev = l
	}
	if cur != nil {
		cur.finish()
	}
	return out
}

func textContinues(cur *para, a, b *line, width int, double, markdown bool) bool {
	switch {
	case a.heading > 0 || b.heading > 0, b.marker != "", cur.table,
		strings.Contains(b.text, "\t"), isBareURL(a.text), isBareURL(b.text):
		return false
	case b.blank >= 2, b.blank == 1 && !(double && width > 0):
		return false
	case endsWithHyphen(a.text):
		return true
	case cur.marker != "" && b.blank == 0 && b.indent >= 2 && b.indent > a.indent:
		return true // an indented line under a list item goes on with it
	case terminal(a.text):
		// A sentence ends with the line; the paragraph goes on only if the
		// line was full: the next word would not have fitted on it.
		return startsLower(b.text) && continuesSentence(a.text) ||
			cur.lines >= 2 && width > 0 && !double &&
				utf8.RuneCountInString(a.text)+1+utf8.RuneCountInString(firstWord(b.text)) > width
	case startsLower(b.text), endsOpen(a.text):
		return true
	case width > 0 && utf8.RuneCountInString(a.text) >= width*6/10:
		return true
	case markdown && b.blank == 0 && b.lead == "" && !b.bold:
		return true
	}
	return false
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// wrapWidth estimates the column at which a hard-wrapped text file was cut,
// or 0 when lines are whole paragraphs: wrapped files have most of their
// lines close to one length.
func wrapWidth(ls []line) int {
	var lens []int
	for _, l := range ls {
		if !isBareURL(l.text) {
			lens = append(lens, utf8.RuneCountInString(l.text))
		}
	}
	if len(lens) < 6 {
		return 0
	}
	slices.Sort(lens)
	w := lens[len(lens)*8/10]
	if w < 30 {
		return 0
	}
	near := 0
	for _, n := range lens {
		if n >= w*85/100 && n <= w*115/100 {
			near++
		}
	}
	if near*10 < len(lens)*4 {
		return 0
	}
	return lens[len(lens)*95/100]
}

// doubleSpaced reports whether nearly every line is followed by one blank
// line: a text copied from a PDF, where blank lines say nothing.
func doubleSpaced(ls []line) bool {
	if len(ls) < 6 {
		return false
	}
	n := 0
	for _, l := range ls[1:] {
		if l.blank >= 1 {
			n++
		}
	}
	return n*10 >= (len(ls)-1)*7
}

// pdfParagraphs joins the positioned lines of a PDF into paragraphs using
// geometry: the line pitch of the text, indentation, list markers, changes
// of size or weight, sentence ends on short lines; and table rows from cells
// laid side by side.
func pdfParagraphs(pages [][]line, v vocabulary) []para {
	var all []line
	for _, ls := range pages {
		all = append(all, ls...)
	}
	g := newGeometry(all)
	var out []para
	var cur *para
	var first, prev *line
	for i := 0; i < len(all); i++ {
		if row, n := tableRow(all, i, v); n > 0 {
			if cur != nil {
				cur.finish()
			}
			out = append(out, row)
			cur, prev = nil, nil
			i += n - 1
			continue
		}
		l := &all[i]
		if cur != nil && g.continues(cur, first, prev, l) {
			cur.extend(l, v)
			prev = l
			continue
		}
		gap := 0.0
		if prev != nil && prev.page == l.page && l.y > prev.y {
			gap = (l.y - prev.y) / g.pitch(l.size)
		} else if prev == nil && len(out) > 0 {
			gap = 2
		}
		if cur != nil {
			cur.finish()
		}
		np := newPara(l)
		np.gap = gap
		out = append(out, np)
		cur = &out[len(out)-1]
		first, prev = l, l
	}
	if cur != nil {
		cur.finish()
	}
	return out
}

// geometry holds what a document's lines say about its layout.
type geometry struct {
	pitches map[float64]float64 // usual baseline distance per font size
	samples map[float64]int     // how many line pairs measured it
	ocrBody map[int]float64     // body size of each recognised page
	edges   map[edgeKey][]edge  // where lines end, per page and left edge
}

// ocrSizeStep is the least relative difference between the body size and
// that of a recognised line set in other type: internal/ocr snaps sizes
// within 12 % of the body's to it, and measures headings a few points
// larger (13 against 11). Sizes other than the body's stray more: capitals
// with accents or parentheses make a line look taller.
const ocrSizeStep = 0.08

// atBody reports whether a recognised line has its page's body size.
func (g *geometry) atBody(l *line) bool {
	b := g.ocrBody[l.page]
	return b > 0 && math.Abs(l.size-b) < 0.05
}

// ocrHeading reports whether recognised line h reads as a heading next to
// body line l: larger than the body by a size step, short, not filling its
// column, ending no sentence or word. A body line that Tesseract measured
// too tall fills its column or ends on punctuation, and stays in its
// paragraph.
func (g *geometry) ocrHeading(h, l *line) bool {
	if !g.atBody(l) || g.atBody(h) || h.size < l.size*(1+ocrSizeStep) {
		return false
	}
	if len(strings.Fields(h.text)) > 12 || endsWithHyphen(h.text) {
		return false
	}
	switch lastRune(h.text) {
	case '.', ',', ';', '!', '?':
		return false
	}
	right := g.columnRight(h.page, h.x, h.y)
	return h.x+h.w < right-0.15*(right-h.x)
}

// ocrPitch is the usual distance between the lines of one recognised
// paragraph in this size: measured when enough lines of that size follow
// each other, not from two headings that happen to (« Faits saillants »
// above « Retombées institutionnelles »).
func (g *geometry) ocrPitch(size float64) float64 {
	if g.samples[round1(size)] >= 3 {
		return g.pitch(size)
	}
	return 1.25 * size
}

type edgeKey struct {
	page int
	x    float64
}

type edge struct{ y, right float64 }

func newGeometry(all []line) *geometry {
	g := &geometry{pitches: map[float64]float64{}, samples: map[float64]int{}, ocrBody: map[int]float64{}, edges: map[edgeKey][]edge{}}
	// The size most text of a recognised page has, which internal/ocr
	// snapped its body lines to.
	chars := map[int]map[float64]int{}
	for _, l := range all {
		if !l.ocr {
			continue
		}
		if chars[l.page] == nil {
			chars[l.page] = map[float64]int{}
		}
		chars[l.page][l.size] += len(l.text)
		if n := chars[l.page][l.size]; n > chars[l.page][g.ocrBody[l.page]] {
			g.ocrBody[l.page] = l.size
		}
	}
	deltas := map[float64][]float64{}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.page != b.page || math.Abs(a.size-b.size) > 0.3 || math.Abs(a.x-b.x) > 20 {
			continue
		}
		d := b.y - a.y
		if d > 0.9*a.size && d < 2.5*a.size {
			deltas[round1(a.size)] = append(deltas[round1(a.size)], d)
		}
	}
	for s, ds := range deltas {
		slices.Sort(ds)
		g.pitches[s] = ds[len(ds)/4] // the tight quartile: lines within a paragraph
		g.samples[s] = len(ds)
	}
	for _, l := range all {
		k := edgeKey{l.page, math.Round(l.x)}
		g.edges[k] = append(g.edges[k], edge{l.y, l.x + l.w})
	}
	return g
}

func round1(f float64) float64 { return math.Round(f*2) / 2 }

// pitch is the usual distance between the baselines of two lines of one
// paragraph in this font size.
func (g *geometry) pitch(size float64) float64 {
	if p, ok := g.pitches[round1(size)]; ok {
		return p
	}
	if size <= 0 {
		return 14
	}
	return 1.25 * size
}

// columnRight is where the lines of a column starting at x end, near y on
// this page: near, because a page may hold one column above and two below.
func (g *geometry) columnRight(page int, x, y float64) float64 {
	const near = 160 // points above and below
	r := 0.0
	for dx := -3.0; dx <= 3; dx++ {
		for _, e := range g.edges[edgeKey{page, math.Round(x) + dx}] {
			if math.Abs(e.y-y) < near {
				r = max(r, e.right)
			}
		}
	}
	return r
}

// lineEnd is where the lines around a end: those of its paragraph so far
// and the next one, b; the whole column's when that is all there is. Local,
// because a page may change from one to two columns.
func (g *geometry) lineEnd(cur *para, a, b *line) float64 {
	r := cur.right
	if b != nil && b.page == a.page && b.y > a.y && math.Abs(b.x-a.x) < 40 {
		r = max(r, b.x+b.w)
	}
	if cur.lines == 1 && (b == nil || r <= a.x+a.w) {
		return g.columnRight(a.page, a.x, a.y)
	}
	return r
}

// continues decides whether line b goes on the paragraph cur whose first
// line is first and last line a.
func (g *geometry) continues(cur *para, first, a, b *line) bool {
	// Recognised text has positions and sizes measured on pixels: looser,
	// except that its body lines are snapped to one size, so that a short
	// line a size step larger next to one of them is a heading.
	sizeTol, pitchTol, pitch := 0.6, 1.35, g.pitch(a.size)
	if a.ocr || b.ocr {
		sizeTol, pitchTol, pitch = 0.2*max(a.size, b.size), 1.6, g.ocrPitch(a.size)
		if g.ocrHeading(a, b) || g.ocrHeading(b, a) {
			return false // a heading above or below the body text
		}
	}
	if cur.table || math.Abs(a.size-b.size) > sizeTol {
		return false
	}
	if b.marker != "" {
		// A dash that opens a continuation line of a list item, while the
		// sentence goes on, is punctuation (« d’ICLEI / – Gouvernements
		// locaux... »), not a new item.
		dash := b.marker == "–" || b.marker == "—" || b.marker == "-"
		if !dash || cur.marker == "" || b.x <= first.x+4 || terminal(a.text) || b.page != a.page || b.y < a.y {
			return false
		}
	}
	startsBold := b.bold || b.lead != ""
	p := b.y - a.y
	switch {
	case a.ocr || b.ocr:
		// Weight guessed from pixels says too little to split on.
	case a.allBold() && !startsBold && !terminal(a.text):
		return false // a heading above its text
	case b.allBold() && !a.allBold() && !(a.lead != "" && a.lead == a.body()):
		return false // a heading below a paragraph
	case a.allBold() && b.allBold() && startsUpper(b.text) && !endsOpen(a.text) && !endsWithHyphen(a.text) &&
		(isCaps(a.text) != isCaps(b.text) && len(strings.Fields(a.text)) > 1 && len(strings.Fields(b.text)) > 1 ||
			headingKind(a.text) != "" || b.page == a.page && p > 1.12*g.pitch(a.size)):
		return false // a section heading above a sub-heading or a title
	}
	if b.page != a.page || b.y < a.y-1 {
		// Next column or next page: a paragraph goes on only where the
		// sentence visibly does.
		if terminal(a.text) && !(startsLower(b.text) && continuesSentence(a.text)) {
			// Unless the sentence ended a full line of a paragraph that goes
			// on at the same left edge on the next page.
			full := a.x+a.w >= g.lineEnd(cur, a, nil)-0.05*max(a.w, 100)
			return full && b.page != a.page && math.Abs(b.x-a.x) < 4 && !b.allBold() && b.marker == ""
		}
		return startsLower(b.text) || endsWithHyphen(a.text) || endsOpen(a.text) ||
			a.x+a.w >= g.lineEnd(cur, a, nil)-0.12*max(a.w, 100)
	}
	if p > pitchTol*pitch || p < 0.5*a.size {
		return false
	}
	// A short line that leaves its sentence open is a heading or a label
	// when the next one starts anew (« Programme » / « Lundi 2 juin : ... »).
	if right := b.x + b.w; a.w < 0.5*(right-a.x) && !terminal(a.text) &&
		!endsOpen(a.text) && !endsWithHyphen(a.text) && startsUpper(b.text) {
		return false
	}
	// Indentation: continuation lines share one left edge; the first line
	// may be indented (first-line indent) or carry a hanging marker.
	// Centred lines (a title) share their middle instead.
	centred := math.Abs((a.x+a.w/2)-(b.x+b.w/2)) < 3 && math.Abs(a.x-b.x) > 4
	switch {
	case centred:
	case first == a && cur.marker != "":
		if b.x < a.x-4 {
			return false
		}
	case first == a:
		if b.x > a.x+4 || b.x < a.x-40 {
			return false
		}
	default:
		if math.Abs(b.x-a.x) > 4 {
			return false
		}
	}
	if terminal(a.text) {
		if startsLower(b.text) && continuesSentence(a.text) {
			return true
		}
		if !a.ocr && !b.ocr && p > 1.12*g.pitch(a.size) {
			return false // a sentence ends and a little more space follows
		}
		if b.lead != "" && !a.allBold() && !b.ocr {
			return false // a bold run-in title opens the next item
		}
		// A sentence that ends well before the column's edge ends the paragraph.
		right := g.lineEnd(cur, a, b)
		if a.x+a.w < right-0.2*(right-a.x) {
			return false
		}
	}
	return true
}

// tableRow recognises, at lines[i], a row of table cells: cells side by
// side, each one or a few lines, the next cell starting back up at the row's
// top further right. It returns the row as a paragraph and the number of
// lines used, or 0.
func tableRow(ls []line, i int, v vocabulary) (para, int) {
	const maxCellLines = 8
	top := ls[i]
	cellEnd := func(j int) int {
		k := j + 1
		for k < len(ls) && k-j < maxCellLines && ls[k].page == ls[j].page &&
			math.Abs(ls[k].x-ls[j].x) < 2 && ls[k].y > ls[k-1].y && ls[k].y-ls[k-1].y < 2*max(ls[k].size, 6) &&
			ls[k].marker == "" {
			k++
		}
		return k
	}
	var cells []string
	bold := true
	j := i
	x := -1.0
	for j < len(ls) && ls[j].page == top.page && math.Abs(ls[j].y-top.y) < 2.5 && ls[j].x > x+10 {
		end := cellEnd(j)
		text := ""
		for k := j; k < end; k++ {
			text = v.join(text, ls[k].text)
			bold = bold && ls[k].bold
		}
		cells = append(cells, text)
		x = ls[j].x
		j = end
	}
	if len(cells) < 2 {
		return para{}, 0
	}
	return para{
		text: strings.Join(cells, "\t"), bold: bold, size: top.size, page: top.page, x: top.x,
		lines: j - i, table: true,
	}, j - i
}
