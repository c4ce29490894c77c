package ocr

import (
	"image"
	"image/color"
	"testing"
)

// TestFindBullets draws marks left of a line of text and checks which ones
// read as the bullet Tesseract dropped.
func TestFindBullets(t *testing.T) {
	// A line of x-height 12 on baseline 100, text starting at x 200.
	text := Word{Text: "Relancer", Box: Box{200, 84, 300, 104}}
	tests := []struct {
		name string
		mark image.Rectangle // painted black; empty for none
		want bool
	}{
		{"round bullet", image.Rect(165, 89, 173, 97), true},
		{"square bullet", image.Rect(160, 88, 170, 98), true},
		{"nothing", image.Rectangle{}, false},
		{"a period on the baseline", image.Rect(180, 97, 183, 100), false},
		{"the end of a word in the next column", image.Rect(160, 84, 190, 100), false},
		{"a dash", image.Rect(170, 92, 185, 94), false},
		{"too far", image.Rect(100, 89, 108, 97), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := image.NewGray(image.Rect(0, 0, 400, 200))
			for i := range g.Pix {
				g.Pix[i] = 255
			}
			for y := tt.mark.Min.Y; y < tt.mark.Max.Y; y++ {
				for x := tt.mark.Min.X; x < tt.mark.Max.X; x++ {
					g.SetGray(x, y, color.Gray{20})
				}
			}
			res := &Result{Width: 400, Height: 200, Lines: []Line{{
				Box: text.Box, Height: 21, Ascenders: 5, Descenders: 4, Baseline: 100, Words: []Word{text},
			}}}
			findBullets(res, g)
			got := res.Lines[0].Words[0].Text == bullet
			if got != tt.want {
				t.Errorf("findBullets with %s at %v: bullet %v, want %v (line %q)", tt.name, tt.mark, got, tt.want, wordsOf(res.Lines[0]))
			}
		})
	}
}
