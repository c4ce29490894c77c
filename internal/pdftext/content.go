package pdftext

import (
	"math"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// matrix is an affine transform [a b c d e f], applied to row vectors as
// PDF does: (x, y) -> (ax + cy + e, bx + dy + f).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m then n: the transform that applies m first.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

func (m matrix) finite() bool {
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e9 {
			return false
		}
	}
	return true
}

// gstate is the part of the graphics state that places text.
type gstate struct {
	ctm       matrix
	font      *font
	fontSize  float64
	charSpace float64
	wordSpace float64
	hscale    float64 // Tz / 100
	leading   float64
	rise      float64
	render    int
}

// glyph is one shown character code, placed on the displayed page (origin
// top-left, y down).
type glyph struct {
	text   string
	x, y   float64 // origin on the baseline
	ex, ey float64 // end of the advance
	size   float64 // effective font size
	font   *font
	bold   bool
	seq    int // order in the content stream
}

// Limits of one page's interpretation: past them the page is cut short
// with a warning, so that hostile content cannot take unbounded time or
// memory.
const (
	maxGlyphsPerPage = 200_000
	maxOpsPerPage    = 5_000_000
	maxFormDepth     = 12
	maxStateDepth    = 256
)

// walker interprets the content streams of one page.
type walker struct {
	rd      *reader
	display matrix // user space to the displayed page
	gs      gstate
	stack   []gstate
	tm, tlm matrix
	glyphs  []glyph
	ops     int
	forms   []string // keys of the forms being drawn, to stop cycles
	stopped bool
	drawn   map[uint64]int  // glyphs by character and rounded position
	resKey  string          // identity of the resources in use, "" until needed
	missing map[string]bool // fonts not found on this page, by resources and name
	codes   []code          // the codes of the string shown last
}

// Glyphs drawn again at almost the same place (fake bold: text drawn
// twice, slightly offset; shadows) come out once. drawn indexes glyphs by
// character and position rounded to the point.
func dupKey(r rune, x, y int) uint64 {
	return uint64(r)<<42 | uint64(uint32(x)&0x1fffff)<<21 | uint64(uint32(y)&0x1fffff)
}

// duplicate reports whether g repeats a glyph already drawn within a fifth
// of its size, and makes that glyph bold.
func (w *walker) duplicate(g glyph) bool {
	if w.drawn == nil {
		w.drawn = map[uint64]int{}
	}
	fx, fy := math.Floor(g.x), math.Floor(g.y)
	x, y := int(fx), int(fy)
	// The neighbours on the side of the fractional part are enough: a
	// duplicate lies within a point.
	nx, ny := x+1, y+1
	if g.x-fx < 0.5 {
		nx = x - 1
	}
	if g.y-fy < 0.5 {
		ny = y - 1
	}
	r, _ := utf8.DecodeRuneInString(g.text)
	for _, c := range [4][2]int{{x, y}, {nx, y}, {x, ny}, {nx, ny}} {
		i, ok := w.drawn[dupKey(r, c[0], c[1])]
		if !ok {
			continue
		}
		o := &w.glyphs[i]
		if o.text == g.text && math.Abs(o.x-g.x) < 0.2*g.size && math.Abs(o.y-g.y) < 0.2*g.size && math.Abs(o.size-g.size) < 0.1*g.size {
			if o.x != g.x || o.y != g.y {
				o.bold = true // drawn twice, offset: fake bold
			}
			return true
		}
	}
	w.drawn[dupKey(r, x, y)] = len(w.glyphs)
	return false
}

// run interprets content with its resources.
func (w *walker) run(content []byte, res pdf.Value) {
	savedKey := w.resKey
	w.resKey = ""
	defer func() { w.resKey = savedKey }()
	l := &lexer{data: content}
	var args, arena []obj // arena holds the elements of args' arrays
	for !w.stopped {
		var t obj
		t, arena = l.operand(arena)
		if t.k == kEOF {
			return
		}
		if t.k != kOp {
			if len(args) < 64 {
				args = append(args, t)
			}
			continue
		}
		w.ops++
		if w.ops > maxOpsPerPage {
			w.rd.warn("Une page contient trop d’instructions : sa lecture a été interrompue.")
			w.stopped = true
			return
		}
		if t.str == "ID" { // inline image data follows
			length := 0
			for i := 0; i+1 < len(args); i++ {
				if args[i].k == kName && (args[i].str == "L" || args[i].str == "Length") && args[i+1].k == kNum {
					length = int(args[i+1].num)
				}
			}
			l.skipInlineImage(length)
			args, arena = args[:0], arena[:0]
			continue
		}
		w.op(t.str, args, res)
		args, arena = args[:0], arena[:0]
	}
}

func num(args []obj, i int) float64 {
	if i < len(args) && args[i].k == kNum {
		return args[i].num
	}
	return 0
}

// nums reports whether the last n operands are numbers and returns them.
func nums(args []obj, n int) ([]float64, bool) {
	if len(args) < n {
		return nil, false
	}
	args = args[len(args)-n:]
	out := make([]float64, n)
	for i, a := range args {
		if a.k != kNum {
			return nil, false
		}
		out[i] = a.num
	}
	return out, true
}

func (w *walker) op(op string, args []obj, res pdf.Value) {
	switch op {
	case "q":
		if len(w.stack) < maxStateDepth {
			w.stack = append(w.stack, w.gs)
		}
	case "Q":
		if n := len(w.stack); n > 0 { // an unbalanced Q is ignored
			w.gs = w.stack[n-1]
			w.stack = w.stack[:n-1]
		}
	case "cm":
		if v, ok := nums(args, 6); ok {
			m := matrix{v[0], v[1], v[2], v[3], v[4], v[5]}.mul(w.gs.ctm)
			if m.finite() {
				w.gs.ctm = m
			}
		}
	case "BT":
		w.tm, w.tlm = identity, identity
	case "ET":
	case "Tc":
		if v, ok := nums(args, 1); ok {
			w.gs.charSpace = v[0]
		}
	case "Tw":
		if v, ok := nums(args, 1); ok {
			w.gs.wordSpace = v[0]
		}
	case "Tz":
		if v, ok := nums(args, 1); ok {
			w.gs.hscale = v[0] / 100
		}
	case "TL":
		if v, ok := nums(args, 1); ok {
			w.gs.leading = v[0]
		}
	case "Ts":
		if v, ok := nums(args, 1); ok {
			w.gs.rise = v[0]
		}
	case "Tr":
		if v, ok := nums(args, 1); ok {
			w.gs.render = int(v[0])
		}
	case "Tf":
		if len(args) >= 2 && args[len(args)-2].k == kName {
			w.gs.font = w.font(res, args[len(args)-2].str)
			w.gs.fontSize = num(args, len(args)-1)
		}
	case "Td", "TD":
		if v, ok := nums(args, 2); ok {
			if op == "TD" {
				w.gs.leading = -v[1]
			}
			w.nextLine(v[0], v[1])
		}
	case "Tm":
		if v, ok := nums(args, 6); ok {
			m := matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
			if m.finite() {
				w.tm, w.tlm = m, m
			}
		}
	case "T*":
		w.nextLine(0, -w.gs.leading)
	case "Tj":
		if len(args) >= 1 && args[len(args)-1].k == kStr {
			w.show(args[len(args)-1].str)
		}
	case "'":
		w.nextLine(0, -w.gs.leading)
		if len(args) >= 1 && args[len(args)-1].k == kStr {
			w.show(args[len(args)-1].str)
		}
	case "\"":
		if len(args) >= 3 && args[len(args)-1].k == kStr {
			w.gs.wordSpace = num(args, len(args)-3)
			w.gs.charSpace = num(args, len(args)-2)
			w.nextLine(0, -w.gs.leading)
			w.show(args[len(args)-1].str)
		}
	case "TJ":
		if len(args) >= 1 && args[len(args)-1].k == kArray {
			for _, e := range args[len(args)-1].arr {
				switch e.k {
				case kStr:
					w.show(e.str)
				case kNum:
					tx := -e.num / 1000 * w.gs.fontSize * w.gs.hscale
					w.tm = matrix{1, 0, 0, 1, tx, 0}.mul(w.tm)
				}
				if w.stopped {
					return
				}
			}
		}
	case "Do":
		if len(args) >= 1 && args[len(args)-1].k == kName {
			w.doXObject(res, args[len(args)-1].str)
		}
	}
}

func (w *walker) nextLine(tx, ty float64) {
	m := matrix{1, 0, 0, 1, tx, ty}.mul(w.tlm)
	if m.finite() {
		w.tlm = m
		w.tm = m
	}
}

// font finds a font resource, parsed once per font object for the whole
// document: the same resource name may stand for different fonts on
// different pages, so a font is found by its name in resources written
// alike. A font found is kept for the document; one missing or unreadable
// is looked for again on each page, where it counts as a failure again.
func (w *walker) font(res pdf.Value, name string) *font {
	if w.resKey == "" {
		w.resKey = res.String()
	}
	k := w.resKey + "\x00" + name
	if f, ok := w.rd.fontsByName[k]; ok {
		return f
	}
	if w.missing[k] {
		return nil
	}
	f := w.fontUncached(res, name)
	if f != nil {
		w.rd.fontsByName[k] = f
		return f
	}
	if w.missing == nil {
		w.missing = map[string]bool{}
	}
	w.missing[k] = true
	return nil
}

func (w *walker) fontUncached(res pdf.Value, name string) (f *font) {
	defer func() {
		if x := recover(); x != nil {
			w.rd.failures++
			w.rd.warn("Une police est illisible : une partie du texte peut manquer.")
			f = nil
		}
	}()
	v := res.Key("Font").Key(name)
	if v.Kind() != pdf.Dict {
		w.rd.warn("Une police est introuvable : une partie du texte peut manquer.")
		return nil
	}
	return w.rd.font(v)
}

func (w *walker) show(s string) {
	f := w.gs.font
	if f == nil {
		f = w.rd.defaultFont()
	}
	if f.noText {
		w.rd.warn("Une police ne permet pas de retrouver le texte (pas de table ToUnicode) : une partie du texte est illisible.")
	}
	size := w.gs.fontSize
	w.codes = f.appendCodes(w.codes[:0], s)
	for _, c := range w.codes {
		adv := f.width(c)
		trm := w.tm.mul(w.gs.ctm)
		text := ""
		if !f.noText {
			text = f.decode(c)
		}
		if text != "" {
			if len(w.glyphs) >= maxGlyphsPerPage {
				w.rd.warn("Une page contient trop de caractères : la suite de la page a été ignorée.")
				w.stopped = true
				return
			}
			full := trm.mul(w.display)
			x0, y0 := full.apply(0, w.gs.rise)
			x1, y1 := full.apply(adv*size*w.gs.hscale, w.gs.rise)
			eff := math.Abs(size) * math.Hypot(full[2], full[3])
			g := glyph{
				text: text, x: x0, y: y0, ex: x1, ey: y1, size: eff, font: f,
				bold: f.bold || w.gs.render == 2, seq: len(w.glyphs),
			}
			if !w.duplicate(g) {
				w.glyphs = append(w.glyphs, g)
			}
		}
		tx := adv*size + w.gs.charSpace
		if c.n == 1 && c.v == 32 {
			tx += w.gs.wordSpace
		}
		tx *= w.gs.hscale
		w.tm = matrix{1, 0, 0, 1, tx, 0}.mul(w.tm)
	}
}

// doXObject draws a form XObject: its content runs with its own matrix and
// resources (or the current ones), a bounded number of levels deep.
func (w *walker) doXObject(res pdf.Value, name string) {
	defer func() {
		if x := recover(); x != nil {
			w.rd.failures++
			w.rd.warn("Un élément graphique du PDF est endommagé : une partie du texte peut manquer.")
		}
	}()
	x := res.Key("XObject").Key(name)
	if x.Kind() != pdf.Stream || x.Key("Subtype").Name() != "Form" {
		return
	}
	key := x.String()
	if len(w.forms) >= maxFormDepth {
		w.rd.warn("Des formulaires imbriqués trop profondément ont été ignorés.")
		return
	}
	for _, k := range w.forms {
		if k == key {
			w.rd.warn("Un formulaire qui se contient lui-même a été ignoré.")
			return
		}
	}
	data, err := w.rd.formContent(x, key)
	if err != nil {
		return
	}
	saved, savedStack, savedForms, tm, tlm := w.gs, len(w.stack), len(w.forms), w.tm, w.tlm
	defer func() { // restored even when the form's objects fail
		w.forms = w.forms[:savedForms]
		w.gs, w.tm, w.tlm = saved, tm, tlm
		if len(w.stack) > savedStack {
			w.stack = w.stack[:savedStack]
		}
	}()
	if m := x.Key("Matrix"); m.Len() == 6 {
		fm := matrix{}
		for i := range fm {
			fm[i] = m.Index(i).Float64()
		}
		if c := fm.mul(w.gs.ctm); c.finite() {
			w.gs.ctm = c
		}
	}
	r := x.Key("Resources")
	if r.Kind() != pdf.Dict {
		r = res
	}
	w.forms = append(w.forms, key)
	w.run(data, r)
}
