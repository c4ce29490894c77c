package render

import (
	"bytes"
	"math"
	"strconv"

	"github.com/ledongthuc/pdf"
)

// matrix is a PDF transformation [a b c d e f]: x' = a x + c y + e,
// y' = b x + d y + f.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m then n (m × n in PDF's row-vector convention).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

func (m matrix) finite() bool {
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// placement is one image XObject drawn on a page, with the matrix that maps
// its unit square onto the page.
type placement struct {
	x   pdf.Value
	ctm matrix
}

// area is the placement's area on the page, in square points.
func (p placement) area() float64 {
	return math.Abs(p.ctm[0]*p.ctm[3] - p.ctm[1]*p.ctm[2])
}

// drawing is what a page's content draws, as far as finding its picture
// goes.
type drawing struct {
	images []placement
	inline int  // inline images (BI ... EI): not extracted
	text   bool // shows text
	paths  bool // fills or strokes paths
}

// scanner walks content streams for image placements. It understands just
// q, Q, cm, Do and the operators that show text or paint paths; everything
// else passes by.
type scanner struct {
	doc   *Doc
	out   drawing
	forms []string
	ops   int
}

const maxOps = 1 << 20

// scan reads a page's content (and the forms it draws) into s.out.
func (s *scanner) scan(content []byte, res pdf.Value, ctm matrix) {
	var stack []matrix
	var args []string
	lx := lexer{b: content}
	for s.ops < maxOps {
		tok, kind := lx.next()
		if kind == tokEOF {
			return
		}
		if kind != tokOp {
			args = append(args, tok)
			if len(args) > 64 {
				args = args[1:]
			}
			continue
		}
		s.ops++
		switch tok {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, ctm)
			}
		case "Q":
			if len(stack) > 0 {
				ctm, stack = stack[len(stack)-1], stack[:len(stack)-1]
			}
		case "cm":
			if m, ok := numbers(args); ok {
				if c := m.mul(ctm); c.finite() {
					ctm = c
				}
			}
		case "Do":
			if len(args) > 0 && len(args[len(args)-1]) > 1 && args[len(args)-1][0] == '/' {
				s.do(res, args[len(args)-1][1:], ctm)
			}
		case "BI":
			s.out.inline++
			lx.skipInlineImage()
		case "Tj", "TJ", "'", "\"":
			s.out.text = true
		case "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh":
			s.out.paths = true
		}
		args = args[:0]
	}
}

// do handles one Do: an image is recorded, a form is scanned with its own
// matrix and resources, a bounded number of levels deep.
func (s *scanner) do(res pdf.Value, name string, ctm matrix) {
	x := res.Key("XObject").Key(name)
	if x.Kind() != pdf.Stream {
		return
	}
	switch x.Key("Subtype").Name() {
	case "Image":
		s.out.images = append(s.out.images, placement{x: x, ctm: ctm})
	case "Form":
		key := x.String()
		if len(s.forms) >= maxForms {
			return
		}
		for _, k := range s.forms {
			if k == key {
				return
			}
		}
		data, err := decoded(x, maxContent)
		if err != nil {
			return
		}
		if m := x.Key("Matrix"); m.Len() == 6 {
			var fm matrix
			for i := range fm {
				fm[i] = m.Index(i).Float64()
			}
			if c := fm.mul(ctm); c.finite() {
				ctm = c
			}
		}
		r := x.Key("Resources")
		if r.Kind() != pdf.Dict {
			r = res
		}
		s.forms = append(s.forms, key)
		s.scan(data, r, ctm)
		s.forms = s.forms[:len(s.forms)-1]
	}
}

// numbers reads the last six operands as a matrix.
func numbers(args []string) (matrix, bool) {
	var m matrix
	if len(args) < 6 {
		return m, false
	}
	for i, a := range args[len(args)-6:] {
		v, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return m, false
		}
		m[i] = v
	}
	return m, true
}

// Token kinds of the content lexer.
const (
	tokEOF = iota
	tokOperand
	tokOp
)

// lexer splits a content stream into operands and operators. Strings,
// arrays and dictionaries come back as one opaque operand each.
type lexer struct {
	b []byte
	i int
}

func (l *lexer) next() (string, int) {
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case isSpace(c):
			l.i++
		case c == '%':
			for l.i < len(l.b) && l.b[l.i] != '\n' && l.b[l.i] != '\r' {
				l.i++
			}
		case c == '(':
			l.skipString()
			return "()", tokOperand
		case c == '<' && l.i+1 < len(l.b) && l.b[l.i+1] == '<':
			l.skipNested('<', '>')
			return "<<>>", tokOperand
		case c == '<':
			for l.i < len(l.b) && l.b[l.i] != '>' {
				l.i++
			}
			l.i++
			return "<>", tokOperand
		case c == '[':
			l.skipArray()
			return "[]", tokOperand
		case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
			l.i++
		case c == '/':
			start := l.i
			l.i++
			for l.i < len(l.b) && !isSpace(l.b[l.i]) && !isDelim(l.b[l.i]) {
				l.i++
			}
			return string(l.b[start:l.i]), tokOperand
		default:
			start := l.i
			for l.i < len(l.b) && !isSpace(l.b[l.i]) && !isDelim(l.b[l.i]) {
				l.i++
			}
			if l.i == start {
				l.i++
				continue
			}
			w := string(l.b[start:l.i])
			if c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9') {
				return w, tokOperand
			}
			if w == "true" || w == "false" || w == "null" {
				return w, tokOperand
			}
			return w, tokOp
		}
	}
	return "", tokEOF
}

// skipString passes a literal string, with nested parentheses and escapes.
func (l *lexer) skipString() {
	depth := 0
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case '\\':
			l.i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				l.i++
				return
			}
		}
		l.i++
	}
}

// skipNested passes a dictionary, which may hold others.
func (l *lexer) skipNested(open, close byte) {
	depth := 0
	for l.i < len(l.b) {
		switch {
		case l.b[l.i] == '(':
			l.skipString()
			continue
		case l.b[l.i] == open && l.i+1 < len(l.b) && l.b[l.i+1] == open:
			depth++
			l.i += 2
			continue
		case l.b[l.i] == close && l.i+1 < len(l.b) && l.b[l.i+1] == close:
			depth--
			l.i += 2
			if depth <= 0 {
				return
			}
			continue
		}
		l.i++
	}
}

// skipArray passes an array, which may hold strings and others.
func (l *lexer) skipArray() {
	depth := 0
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case '(':
			l.skipString()
			continue
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				l.i++
				return
			}
		}
		l.i++
	}
}

// skipInlineImage passes the data of an inline image, from after BI to
// after EI: the data may hold any byte, so EI counts only as a word on its
// own.
func (l *lexer) skipInlineImage() {
	id := bytes.Index(l.b[l.i:], []byte("ID"))
	if id < 0 {
		l.i = len(l.b)
		return
	}
	l.i += id + 2
	for l.i < len(l.b) {
		j := bytes.Index(l.b[l.i:], []byte("EI"))
		if j < 0 {
			l.i = len(l.b)
			return
		}
		end := l.i + j + 2
		if l.i+j > 0 && isSpace(l.b[l.i+j-1]) && (end == len(l.b) || isSpace(l.b[end])) {
			l.i = end
			return
		}
		l.i = end
	}
}

func isSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
