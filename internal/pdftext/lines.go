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
	flat, rotated := glyphs, []glyph(nil)
	if slices.ContainsFunc(glyphs, func(g glyph) bool { return !g.horizontal() }) {
		flat = nil
		for _, g := range glyphs {
			if g.horizontal() {
				flat = append(flat, g)
			} else {
				rotated = append(rotated, g)
			}
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
	// Only the last fragment grows: the glyphs of each follow those of the
	// one before in kept, which a fragment's glyphs slice and append to.
	kept, used := make([]glyph, len(gs)), 0
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
			used++
			continue
		}
		cur = &fragment{x0: g.x, x1: g.x, base: g.y, size: g.size, seq: g.seq, glyphs: kept[used:used]}
		cur.add(g, false)
		used++
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
	var text strings.Builder // the last span's
	for i, g := range f.glyphs {
		name := g.font.name
		size := math.Round(g.size*10) / 10
		if f.spaces[i] {
			// With the glyph in its span, or at the end of the span before.
			text.WriteByte(' ')
		}
		if n := len(spans); n > 0 {
			s := &spans[n-1]
			if s.Font == name && s.Size == size && s.Bold == g.bold && s.Italic == g.font.italic {
				text.WriteString(g.text)
				continue
			}
			s.Text = text.String()
			text = strings.Builder{}
		}
		spans = append(spans, layout.Span{Font: name, Size: size, Bold: g.bold, Italic: g.font.italic})
		text.WriteString(g.text)
	}
	if len(spans) == 0 {
		return layout.Line{}, false
	}
	spans[len(spans)-1].Text = text.String()
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

// block is a group of fragments stacked line after line with overlapping
// extents: a paragraph, a table cell, a list item's text.
type block struct {
	frags               []*fragment
	x0, x1, top, bottom float64
}

func (b *block) add(f *fragment) {
	if len(b.frags) == 0 {
		b.x0, b.x1, b.top, b.bottom = f.x0, f.x1, f.top(), f.bottom()
	}
	b.frags = append(b.frags, f)
	b.x0, b.x1 = math.Min(b.x0, f.x0), math.Max(b.x1, f.x1)
	b.top, b.bottom = math.Min(b.top, f.top()), math.Max(b.bottom, f.bottom())
}

// Blocks join fragments drawn one after the other whose baselines are at
// most blockLeading font sizes apart (single-spaced lines, not the space
// between paragraphs) and whose extents overlap. Drawing order is what
// tells a table cell's wrapped lines (drawn in a row) from a column of
// one-line cells (drawn across the rows).
const blockLeading = 1.35

// blocks groups fragments, in drawing order, into blocks.
func blocks(frags []*fragment) []*block {
	var out []*block
	var cur *block
	var prev *fragment
	for _, f := range frags {
		if cur != nil && continues(prev, f) {
			cur.add(f)
		} else {
			cur = &block{}
			cur.add(f)
			out = append(out, cur)
		}
		prev = f
	}
	return out
}

// continues reports whether b is the line after a in one block.
func continues(a, b *fragment) bool {
	size := math.Min(a.size, b.size)
	if math.Max(a.size, b.size) > 1.3*size {
		return false
	}
	d := b.base - a.base
	if d <= lineShift*size || d > blockLeading*size {
		return false
	}
	return math.Min(a.x1, b.x1)-math.Max(a.x0, b.x0) > 0
}

// order puts fragments in reading order. Fragments are grouped into blocks
// and the page is cut recursively along bands of white space: first across
// the page where a full-width block borders the band (a title above
// columns), then down a gutter with real columns on both sides, then across
// between any blocks (list items, table rows), then down between any blocks
// (a list number and its text, table cells). A block that cannot be cut is
// read line by line.
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
	xycut(blocks(frags), body, 0, &out)
	return out
}

const maxCutDepth = 200

func xycut(bs []*block, body float64, depth int, out *[]*fragment) {
	if len(bs) < 2 || depth > maxCutDepth {
		*out = append(*out, readLines(bs)...)
		return
	}
	hy, hgap, hstrong := horizontalCut(bs)
	vx, vgap, vstrong := verticalCut(bs, body)
	switch {
	case hstrong > 0:
		splitY(bs, hy, body, depth, out)
	case vstrong > 0:
		splitX(bs, vstrong, body, depth, out)
	case hgap > 0:
		splitY(bs, hy, body, depth, out)
	case vgap > 0:
		splitX(bs, vx, body, depth, out)
	default:
		*out = append(*out, readLines(bs)...)
	}
}

func splitY(bs []*block, y, body float64, depth int, out *[]*fragment) {
	var top, bottom []*block
	for _, b := range bs {
		if b.bottom <= y {
			top = append(top, b)
		} else {
			bottom = append(bottom, b)
		}
	}
	xycut(top, body, depth+1, out)
	xycut(bottom, body, depth+1, out)
}

func splitX(bs []*block, x, body float64, depth int, out *[]*fragment) {
	var left, right []*block
	for _, b := range bs {
		if b.x1 <= x {
			left = append(left, b)
		} else {
			right = append(right, b)
		}
	}
	xycut(left, body, depth+1, out)
	xycut(right, body, depth+1, out)
}

// horizontalCut finds the widest white band across all blocks and returns
// a y inside it and its height; strong is set (to that y) when a block
// next to the band spans most of the region, as a title or a full-width
// paragraph does.
func horizontalCut(bs []*block) (y, gap, strong float64) {
	idx := slices.Clone(bs)
	sort.Slice(idx, func(i, j int) bool { return idx[i].top < idx[j].top })
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, b := range bs {
		minX, maxX = math.Min(minX, b.x0), math.Max(maxX, b.x1)
	}
	wide := 0.6 * (maxX - minX)
	strongGap := 0.0
	reach := idx[0].bottom
	var last *block = idx[0]
	for _, b := range idx[1:] {
		if g := b.top - reach; g > 0 {
			mid := reach + g/2
			if g > gap {
				gap, y = g, mid
			}
			if (last.x1-last.x0 >= wide || b.x1-b.x0 >= wide) && g > strongGap {
				strongGap, strong = g, mid
			}
		}
		if b.bottom > reach {
			reach, last = b.bottom, b
		}
	}
	return y, gap, strong
}

// verticalCut finds the widest gutter: an x band no block crosses. strong
// is set (to an x in it) for the widest gutter with columns of text on
// both sides.
func verticalCut(bs []*block, body float64) (x, gap, strong float64) {
	idx := slices.Clone(bs)
	sort.Slice(idx, func(i, j int) bool { return idx[i].x0 < idx[j].x0 })
	minX, maxX := idx[0].x0, idx[0].x1
	for _, b := range idx {
		maxX = math.Max(maxX, b.x1)
	}
	width := maxX - minX
	strongGap := 0.0
	reach := idx[0].x1
	for i, b := range idx[1:] {
		if g := b.x0 - reach; g > 0 {
			mid := reach + g/2
			if g > gap {
				gap, x = g, mid
			}
			if g > strongGap && g >= minGutter*body && columnLike(idx[:i+1], width, body) && columnLike(idx[i+1:], width, body) {
				strongGap, strong = g, mid
			}
		}
		reach = math.Max(reach, b.x1)
	}
	return x, gap, strong
}

// minGutter is the narrowest gutter between columns, in font sizes.
const minGutter = 1.0

// columnLike reports whether blocks make a column of text: several lines
// and a width that is a real share of the region.
func columnLike(bs []*block, regionWidth, body float64) bool {
	minX, maxX := math.Inf(1), math.Inf(-1)
	lines := map[int]bool{}
	for _, b := range bs {
		minX = math.Min(minX, b.x0)
		maxX = math.Max(maxX, b.x1)
		for _, f := range b.frags {
			lines[int(math.Round(f.base/(0.5*body)))] = true
		}
	}
	return len(lines) >= 3 && maxX-minX >= 0.25*regionWidth && maxX-minX >= 10*body
}

// readLines orders blocks that cannot be cut: by baseline, then left to
// right.
func readLines(bs []*block) []*fragment {
	var out []*fragment
	for _, b := range bs {
		out = append(out, b.frags...)
	}
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
