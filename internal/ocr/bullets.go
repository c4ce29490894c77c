package ocr

import (
	"image"
)

// Tesseract sometimes drops a bullet altogether: the line then starts at
// its text, and the list item reads as a paragraph. findBullets looks at
// the image left of each line for the mark a reader sees there: one dark
// blob, about as wide as tall and no bigger than a lower-case letter,
// standing at letter height, apart from anything else.
func findBullets(res *Result, g *image.Gray) {
	for i := range res.Lines {
		l := &res.Lines[i]
		if len(l.Words) == 0 || l.Words[0].Text == bullet || l.Baseline <= 0 {
			continue
		}
		xh := xHeight(*l)
		if xh < 4 {
			continue
		}
		first := l.Words[0].Box
		// Where a bullet stands: up to four x-heights left of the text,
		// between the top of the x-height and the baseline.
		top := int(l.Baseline - 1.2*xh)
		r := image.Rect(first.X0-int(4*xh), top, first.X0-int(0.4*xh), int(l.Baseline)+int(0.2*xh)).Intersect(g.Bounds())
		if r.Dx() < 2 || r.Dy() < 2 {
			continue
		}
		box, ok := blob(g, r)
		if !ok {
			continue
		}
		w, h := float64(box.Dx()), float64(box.Dy())
		mid := float64(box.Min.Y+box.Max.Y) / 2
		if w < 0.25*xh || h < 0.25*xh || w > 1.1*xh || h > 1.1*xh || w > 2*h || h > 2*w ||
			mid < l.Baseline-xh || mid > l.Baseline-0.15*xh {
			continue
		}
		mark := Word{Text: bullet, Box: Box{box.Min.X, box.Min.Y, box.Max.X - 1, box.Max.Y - 1}}
		l.Words = append([]Word{mark}, l.Words...)
		l.Box.X0 = min(l.Box.X0, mark.Box.X0)
	}
}

// blob returns the bounding box of the dark pixels in r when they form
// one solid mark (most of its box dark, nothing dark elsewhere in r).
func blob(g *image.Gray, r image.Rectangle) (image.Rectangle, bool) {
	const dark = 128
	box := image.Rectangle{}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if g.Pix[g.PixOffset(x, y)] >= dark {
				continue
			}
			n++
			p := image.Rect(x, y, x+1, y+1)
			if box.Empty() {
				box = p
			} else {
				box = box.Union(p)
			}
		}
	}
	if n == 0 {
		return box, false
	}
	// A round or square bullet fills more than half of its box; a letter,
	// a comma or two marks side by side do not, or not as one box.
	return box, n*2 > box.Dx()*box.Dy()
}
