package ocr

import (
	"bytes"
	"image"
	"image/draw"
	_ "image/jpeg" // page images come as JPEG or PNG
	_ "image/png"
	"slices"
)

// Tesseract does not say which words are bold, and the structure of a
// report hangs on bold: headings, the lead phrase that titles an outcome.
// Bold is measured here from the page image instead: the mean thickness of
// a word's strokes, relative to its line's x-height. Over a word, ink area
// over half the ink's edge length is the stroke width (a stem w wide and h
// tall has area w·h and edges 2h + 2w). Ink is what is darker than halfway
// between the word's darkest tone and white, so that grey headings measure
// like black text.

// boldRatio is how much thicker than the page's usual strokes a run of
// words must be to count as bold. Regular text measures within ±12 % of the
// page median, bold 35 to 60 % above it (reports set in Times and Calibri,
// scanned at 150 dpi).
const (
	boldRatio    = 1.35
	regularRatio = 1.2
)

// minBoldWords is the least number of measured words a page needs for its
// median stroke to mean anything.
const minBoldWords = 20

// ink is a word's measure: ink pixels and ink edges.
type ink struct{ area, edges int }

func (a ink) add(b ink) ink { return ink{a.area + b.area, a.edges + b.edges} }

// width is the stroke width over x-height, 0 when nothing was measured.
func (a ink) width(xh float64) float64 {
	if a.edges == 0 || xh <= 0 {
		return 0
	}
	return 2 * float64(a.area) / float64(a.edges) / xh
}

// look completes what Tesseract read with what the page image shows:
// bullets it dropped, and bold. An image it cannot decode, or one of
// another size than the one Tesseract read, changes nothing.
func look(res *Result, data []byte) {
	gray := decodeGray(data, res.Width, res.Height)
	if gray == nil {
		return
	}
	findBullets(res, gray)
	markBold(res, gray)
}

// decodeGray decodes a page image of the given size in shades of gray, or
// returns nil.
func decodeGray(data []byte, w, h int) *image.Gray {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != w || cfg.Height != h || int64(w)*int64(h) > 64<<20 {
		return nil
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	if g, ok := src.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(src.Bounds())
	draw.Draw(g, g.Bounds(), src, src.Bounds().Min, draw.Src)
	return g
}

// markBold sets Bold on the words of res that the image shows bold: whole
// lines (headings) and the leading words of a line (a bold lead phrase).
// A page of too few words stays regular.
func markBold(res *Result, gray *image.Gray) {
	measures := make([][]ink, len(res.Lines))
	var widths []float64
	for i, l := range res.Lines {
		xh := xHeight(l)
		measures[i] = make([]ink, len(l.Words))
		for j, w := range l.Words {
			if w.Text == bullet {
				continue // a blob, not a stroke
			}
			m := measure(gray, w.Box)
			measures[i][j] = m
			if len([]rune(w.Text)) >= 3 { // short words measure wide: serifs, dots
				if v := m.width(xh); v > 0 {
					widths = append(widths, v)
				}
			}
		}
	}
	if len(widths) < minBoldWords {
		return
	}
	slices.Sort(widths)
	median := widths[len(widths)/2]
	for i := range res.Lines {
		l := &res.Lines[i]
		xh := xHeight(*l)
		total := ink{}
		for _, m := range measures[i] {
			total = total.add(m)
		}
		// A bold lead phrase: the split of the line into two runs of words
		// that differ most in stroke (Otsu's criterion over the sequence),
		// kept when the first run is bold and the rest regular.
		best, bestScore, prefix := 0, 0.0, ink{}
		for k := 1; k < len(l.Words); k++ {
			prefix = prefix.add(measures[i][k-1])
			rest := ink{total.area - prefix.area, total.edges - prefix.edges}
			p, r := prefix.width(xh), rest.width(xh)
			if p < boldRatio*median || r >= regularRatio*median {
				continue
			}
			score := float64(prefix.area) * float64(rest.area) * (p - r) * (p - r)
			if score > bestScore {
				best, bestScore = k, score
			}
		}
		if best == 0 && total.width(xh) >= boldRatio*median {
			best = len(l.Words) // a bold line: a heading
		}
		for j := range best {
			l.Words[j].Bold = l.Words[j].Text != bullet
		}
	}
}

// measure returns the ink of the box: pixels darker than halfway between
// the box's darkest tones and white, and the edges between ink and paper.
func measure(g *image.Gray, b Box) ink {
	r := image.Rect(b.X0, b.Y0, b.X1+1, b.Y1+1).Intersect(g.Bounds())
	if r.Dx() < 2 || r.Dy() < 2 {
		return ink{}
	}
	var hist [256]int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := g.Pix[g.PixOffset(r.Min.X, y):g.PixOffset(r.Max.X, y)]
		for _, v := range row {
			hist[v]++
		}
	}
	// The darkest 5 % of the box is the ink's own tone.
	n, dark := r.Dx()*r.Dy(), 0
	for c := 0; ; dark++ {
		c += hist[dark]
		if c*20 >= n || dark == 255 {
			break
		}
	}
	threshold := uint8((dark + 255) / 2)
	if dark > 200 { // nothing printed here
		return ink{}
	}
	var m ink
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			in := g.Pix[g.PixOffset(x, y)] < threshold
			if !in {
				continue
			}
			m.area++
			if x+1 >= r.Max.X || g.Pix[g.PixOffset(x+1, y)] >= threshold {
				m.edges++
			}
			if x == r.Min.X || g.Pix[g.PixOffset(x-1, y)] >= threshold {
				m.edges++
			}
			if y+1 >= r.Max.Y || g.Pix[g.PixOffset(x, y+1)] >= threshold {
				m.edges++
			}
			if y == r.Min.Y || g.Pix[g.PixOffset(x, y-1)] >= threshold {
				m.edges++
			}
		}
	}
	return m
}
