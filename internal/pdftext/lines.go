package pdftext

import (
	"math"
	"slices"
	"sort"
	"strings"

	"escale/internal/layout"
)

// Thresholds of the geometry, as fractions of the font size. A gap wider
// than wordGap between two glyphs is a space (TJ offsets and Td moves space
// words without a space glyph); a baseline move of more than lineShift is a
// new line; a gap wider than fragmentGap splits a line into fragments, so
// that table cells and columns on one baseline stay apart.
const (
	wordGap     = 0.15
	lineShift   = 0.5
	fragmentGap = 1.5
	overlapBack = 0.5
)

// fragment is a run of glyphs on one baseline, in drawing order: a line,
// or the part of a line in one column or table cell.
type fragment struct {
	glyphs []glyph
	spaces []bool // spaces[i]: a space before glyphs[i]
	x0, x1 float64
	base   float64 // baseline
	size   float64 // largest size
	seq    int     // order of the first glyph

	spaceNext bool // a space glyph waits for the next glyph
}

func (f *fragment) top() float64    { return f.base - 0.8*f.size }
func (f *fragment) bottom() float64 { return f.base + 0.25*f.size }

// horizontal reports whether a glyph runs left to right on the page.
func (g glyph) horizontal() bool {
	dx, dy := g.ex-g.x, g.ey-g.y
	if dx == 0 && dy == 0 {
		return true // zero-width glyph: trust the page axes
	}
	return dx > 0 && math.Abs(dy) <= 0.1*dx
}

// buildLines turns a page's glyphs into lines in reading order.
func buildLines(glyphs []glyph) []layout.Line {
	var flat, rotated []glyph
	for _, g := range glyphs {
		if g.horizontal() {
			flat = append(flat, g)
		} else {
			rotated = append(rotated, g)
		}
	}
	frags := fragments(flat)
	frags = order(frags)
	var out []layout.Line
	for _, f := range frags {
		if l, ok := f.line(); ok {
			out = append(out, l)
		}
	}
	// Rotated text (margin notes, vertical labels) comes last, in drawing
	// order, one line per run.
	for _, f := range rotatedRuns(rotated) {
		if l, ok := f.line(); ok {
			out = append(out, l)
		}
	}
	return out
}

// fragments groups glyphs, in drawing order, into runs on one baseline.
func fragments(gs []glyph) []*fragment {
	var out []*fragment
	var cur *fragment
	for _, g := range gs {
		if strings.TrimSpace(g.text) == "" && g.text != "\u00a0" {
			if cur != nil && len(cur.glyphs) > 0 && math.Abs(g.y-cur.base) <= lineShift*cur.size {
				cur.x1 = math.Max(cur.x1, g.ex)
				cur.pendingSpace()
			}
			continue
		}
		if cur != nil && cur.accepts(g) {
			gap := g.x - cur.x1
			space := gap > wordGap*math.Min(g.size, cur.size) || cur.spaceNext
			cur.add(g, space)
			continue
		}
		cur = &fragment{x0: g.x, x1: g.x, base: g.y, size: g.size, seq: g.seq}
		cur.add(g, false)
		out = append(out, cur)
	}
	return out
}

func (f *fragment) pendingSpace() { f.spaceNext = true }

func (f *fragment) accepts(g glyph) bool {
	size := math.Max(g.size, f.size)
	if math.Abs(g.y-f.base) > lineShift*size {
		return false
	}
	gap := g.x - f.x1
	return gap >= -overlapBack*size && gap <= fragmentGap*size
}

func (f *fragment) add(g glyph, space bool) {
	f.glyphs = append(f.glyphs, g)
	f.spaces = append(f.spaces, space && len(f.glyphs) > 1)
	f.spaceNext = false
	f.x1 = math.Max(f.x1, g.ex)
	f.x0 = math.Min(f.x0, g.x)
	if g.size > f.size {
		// The baseline of a line is that of its largest text, so that a
		// superscript does not move it.
		f.size = g.size
		f.base = g.y
	}
}

// line renders a fragment as a layout line of styled spans.
func (f *fragment) line() (layout.Line, bool) {
	var spans []layout.Span
	for i, g := range f.glyphs {
		text := g.text
		if f.spaces[i] {
			text = " " + text
		}
		name := g.font.name
		size := math.Round(g.size*10) / 10
		if n := len(spans); n > 0 {
			s := &spans[n-1]
			if s.Font == name && s.Size == size && s.Bold == g.bold && s.Italic == g.font.italic {
				s.Text += text
				continue
			}
			if f.spaces[i] { // keep the space with the span before
				s.Text += " "
				text = g.text
			}
		}
		spans = append(spans, layout.Span{Text: text, Font: name, Size: size, Bold: g.bold, Italic: g.font.italic})
	}
	if len(spans) == 0 {
		return layout.Line{}, false
	}
	return layout.Line{
		Spans: spans,
		X:     round2(f.x0), Y: round2(f.top()),
		W: round2(f.x1 - f.x0), H: round2(f.bottom() - f.top()),
	}, true
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// rotatedRuns groups non-horizontal glyphs into runs in drawing order.
func rotatedRuns(gs []glyph) []*fragment {
	var out []*fragment
	var cur *fragment
	for _, g := range gs {
		if strings.TrimSpace(g.text) == "" {
			if cur != nil {
				cur.pendingSpace()
			}
			continue
		}
		if cur == nil || len(cur.glyphs) > 0 && math.Hypot(g.x-cur.glyphs[len(cur.glyphs)-1].ex, g.y-cur.glyphs[len(cur.glyphs)-1].ey) > fragmentGap*g.size {
			cur = &fragment{x0: g.x, x1: g.x, base: g.y, size: g.size, seq: g.seq}
			out = append(out, cur)
			cur.add(g, false)
			continue
		}
		last := cur.glyphs[len(cur.glyphs)-1]
		gap := math.Hypot(g.x-last.ex, g.y-last.ey)
		cur.add(g, gap > wordGap*g.size || cur.spaceNext)
	}
	return out
}

// order puts fragments in reading order: the page is cut recursively along
// the widest band of white space, across the page (between blocks) or down
// it (a gutter between columns, when both sides hold real text columns);
// inside a block that cannot be cut, fragments are read line by line.
func order(frags []*fragment) []*fragment {
	if len(frags) < 2 {
		return frags
	}
	sizes := make([]float64, len(frags))
	for i, f := range frags {
		sizes[i] = f.size
	}
	slices.Sort(sizes)
	body := sizes[len(sizes)/2]
	var out []*fragment
	xycut(frags, body, 0, &out)
	return out
}

const maxCutDepth = 64

func xycut(frags []*fragment, body float64, depth int, out *[]*fragment) {
	if len(frags) < 2 || depth > maxCutDepth {
		*out = append(*out, readLines(frags, body)...)
		return
	}
	hy, hgap := horizontalCut(frags)
	vx, vgap := verticalCut(frags, body)
	switch {
	case vgap > 0 && vgap >= hgap:
		var left, right []*fragment
		for _, f := range frags {
			if f.x1 <= vx {
				left = append(left, f)
			} else {
				right = append(right, f)
			}
		}
		xycut(left, body, depth+1, out)
		xycut(right, body, depth+1, out)
	case hgap > 0:
		var top, bottom []*fragment
		for _, f := range frags {
			if f.bottom() <= hy {
				top = append(top, f)
			} else {
				bottom = append(bottom, f)
			}
		}
		xycut(top, body, depth+1, out)
		xycut(bottom, body, depth+1, out)
	default:
		*out = append(*out, readLines(frags, body)...)
	}
}

// horizontalCut finds the widest white band across all fragments and
// returns a y inside it and its height.
func horizontalCut(frags []*fragment) (float64, float64) {
	idx := make([]*fragment, len(frags))
	copy(idx, frags)
	sort.Slice(idx, func(i, j int) bool { return idx[i].top() < idx[j].top() })
	bestY, bestGap := 0.0, 0.0
	reach := idx[0].bottom()
	for _, f := range idx[1:] {
		if gap := f.top() - reach; gap > bestGap {
			bestGap, bestY = gap, reach+gap/2
		}
		reach = math.Max(reach, f.bottom())
	}
	return bestY, bestGap
}

// verticalCut finds the widest gutter: an x band no fragment crosses, with
// enough text on each side to be columns rather than a list's numbers or a
// table's short cells. It returns an x inside it and its width, 0 when none.
func verticalCut(frags []*fragment, body float64) (float64, float64) {
	idx := make([]*fragment, len(frags))
	copy(idx, frags)
	sort.Slice(idx, func(i, j int) bool { return idx[i].x0 < idx[j].x0 })
	minX, maxX := idx[0].x0, idx[0].x1
	for _, f := range idx {
		maxX = math.Max(maxX, f.x1)
	}
	width := maxX - minX
	bestX, bestGap := 0.0, 0.0
	reach := idx[0].x1
	for i, f := range idx[1:] {
		gap := f.x0 - reach
		if gap > bestGap && gap >= minGutter*body {
			x := reach + gap/2
			if columnLike(idx[:i+1], width, body) && columnLike(idx[i+1:], width, body) {
				bestGap, bestX = gap, x
			}
		}
		reach = math.Max(reach, f.x1)
	}
	return bestX, bestGap
}

// minGutter is the narrowest gutter between columns, in font sizes.
const minGutter = 1.0

// columnLike reports whether fragments make a column of text: several lines
// and a width that is a real share of the region.
func columnLike(frags []*fragment, regionWidth, body float64) bool {
	minX, maxX := math.Inf(1), math.Inf(-1)
	lines := map[int]bool{}
	for _, f := range frags {
		minX = math.Min(minX, f.x0)
		maxX = math.Max(maxX, f.x1)
		lines[int(math.Round(f.base/(0.5*body)))] = true
	}
	return len(lines) >= 3 && maxX-minX >= 0.25*regionWidth && maxX-minX >= 10*body
}

// readLines orders a block that has no cut: by baseline, then left to
// right, fragments on one baseline staying in drawing order when they
// touch.
func readLines(frags []*fragment, body float64) []*fragment {
	out := make([]*fragment, len(frags))
	copy(out, frags)
	sort.SliceStable(out, func(i, j int) bool { return out[i].base < out[j].base })
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[j].base-out[i].base <= lineShift*math.Min(out[i].size, out[j].size) {
			j++
		}
		sort.SliceStable(out[i:j], func(a, b int) bool { return out[i+a].x0 < out[i+b].x0 })
		i = j
	}
	return out
}
