package pdftext

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Advance widths (1/1000 em) of the printable ASCII range of the standard
// fonts, from Adobe's AFM files. Producers may omit /Widths for the 14
// standard fonts; without widths, word gaps and line ends cannot be placed.
var helveticaASCII = [95]float64{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
}

var timesASCII = [95]float64{
	250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
	500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
	921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
	556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
	333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
	500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
}

// standardWidths returns widths for codes 0-255 of a standard font, the
// accented letters taking the width of their base letter.
func standardWidths(name string) ([]float64, int) {
	var ascii *[95]float64
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "courier"):
		w := make([]float64, 256)
		for i := range w {
			w[i] = 600
		}
		return w, 0
	case strings.Contains(n, "times"):
		ascii = &timesASCII
	case strings.Contains(n, "helvetica"), strings.Contains(n, "arial"):
		ascii = &helveticaASCII
	default:
		return nil, 0
	}
	w := make([]float64, 256)
	for c := 0; c < 256; c++ {
		switch {
		case c >= 32 && c < 127:
			w[c] = ascii[c-32]
		case c >= 0xa0:
			r := rune(c)
			if d := norm.NFD.String(string(r)); d[0] < 127 && d[0] >= 32 {
				w[c] = ascii[d[0]-32]
			} else {
				w[c] = ascii['o'-32]
			}
		default:
			w[c] = ascii['o'-32]
		}
	}
	return w, 0
}
