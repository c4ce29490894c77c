package ocr

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"escale/internal/layout"
)

// emPerLine is the share of the font's em that Tesseract's line height
// (descender to ascender, its x_size) spans: measured at 0.92 on reports
// set in 11 pt at 150 dpi (21 px lines).
const emPerLine = 0.92

// Layout turns a recognised page into layout lines in PDF points, for a
// page of pageW × pageH points drawn from the whole image. Lines get the
// box their font gives them (baseline, ascenders, descenders), not the box
// of the letters that happen to be in them, so that line spacing reads the
// same on every line; font sizes come from the line heights, snapped to
// the page's body size when within a few percent of it; words marked bold
// make bold spans.
func (r *Result) Layout(pageW, pageH float64) []layout.Line {
	if r.Width <= 0 || r.Height <= 0 {
		return nil
	}
	sx, sy := pageW/float64(r.Width), pageH/float64(r.Height)
	sizes := make([]float64, len(r.Lines))
	for i, l := range r.Lines {
		h := l.Height
		if h <= 0 {
			h = float64(l.Box.Y1 - l.Box.Y0)
		}
		sizes[i] = h * sy / emPerLine
	}
	body := bodySize(r.Lines, sizes)
	out := make([]layout.Line, 0, len(r.Lines))
	for i, l := range r.Lines {
		if len(l.Words) == 0 {
			continue
		}
		size := sizes[i]
		if body > 0 && size > body*(1-sizeTolerance) && size < body*(1+sizeTolerance) {
			size = body
		}
		size = round1(size)
		var spans []layout.Span
		for j, w := range l.Words {
			text := w.Text
			if j < len(l.Words)-1 {
				text += " "
			}
			if n := len(spans); n > 0 && spans[n-1].Bold == w.Bold {
				spans[n-1].Text += text
				continue
			}
			spans = append(spans, layout.Span{Text: text, Size: size, Bold: w.Bold})
		}
		top, height := float64(l.Box.Y0), float64(l.Box.Y1-l.Box.Y0)
		if l.Baseline > 0 && l.Height > 0 {
			top, height = l.Baseline-(l.Height-l.Descenders), l.Height
		}
		out = append(out, layout.Line{
			Spans: spans,
			X:     float64(l.Box.X0) * sx, Y: top * sy,
			W: float64(l.Box.X1-l.Box.X0) * sx, H: height * sy,
		})
	}
	return out
}

// sizeTolerance is how far a line's measured size may stray from the body
// size and still be body text: Tesseract's line heights vary by a pixel or
// two with the letters in the line.
const sizeTolerance = 0.12

// bodySize is the size of most of the page's text, weighted by words.
func bodySize(lines []Line, sizes []float64) float64 {
	count := map[float64]int{}
	for i, l := range lines {
		count[round1(sizes[i])] += len(l.Words)
	}
	// Sizes within the tolerance vote together: the best is the size with
	// most words within reach of it.
	best, bestN := 0.0, 0
	for s := range count {
		n := 0
		for t, c := range count {
			if t > s*(1-sizeTolerance/2) && t < s*(1+sizeTolerance/2) {
				n += c
			}
		}
		if n > bestN || n == bestN && s < best {
			best, bestN = s, n
		}
	}
	return best
}

// clean drops "words" that are only strokes (« __ », « | »), joins an
// elided article to its word (« l’ Agenda »), undoes doubled apostrophes
// (« l’'AIVP »), and turns the bullets that Tesseract reads as a letter or a symbol (« e », « © »,
// « + ») back into « • ».
func (r *Result) clean() {
	for i := range r.Lines {
		l := &r.Lines[i]
		words := l.Words[:0]
		for _, w := range l.Words {
			// Underlines stuck to a word: « _Le », « °__ ». The box
			// shrinks in proportion, so that a bullet keeps a bullet's size.
			if t := strings.Trim(w.Text, "_"); t != "" && t != w.Text {
				n, k := utf8.RuneCountInString(w.Text), utf8.RuneCountInString(t)
				lead := utf8.RuneCountInString(w.Text) - utf8.RuneCountInString(strings.TrimLeft(w.Text, "_"))
				width := w.Box.X1 - w.Box.X0
				w.Box.X0 += width * lead / n
				w.Box.X1 = w.Box.X0 + width*k/n
				w.Text = t
			}
			if noise(w.Text) {
				continue
			}
			w.Text = strings.NewReplacer("’'", "’", "'’", "’", "''", "'").Replace(w.Text)
			if n := len(words); n > 0 && elided(words[n-1].Text) {
				// « l’ Agenda »: an elided article read apart from its word.
				prev := &words[n-1]
				prev.Text += w.Text
				prev.Box.X1, prev.Box.Y0, prev.Box.Y1 = w.Box.X1, min(prev.Box.Y0, w.Box.Y0), max(prev.Box.Y1, w.Box.Y1)
				prev.Confidence = min(prev.Confidence, w.Confidence)
				continue
			}
			words = append(words, w)
		}
		l.Words = words
		if len(words) > 1 && isBullet(*l, words[0], words[1]) {
			l.Words[0].Text = bullet
		}
	}
	lines := r.Lines[:0]
	for _, l := range r.Lines {
		if len(l.Words) > 0 {
			lines = append(lines, l)
		}
	}
	r.Lines = lines
}

const bullet = "•"

// xHeight is the height of the line's lower-case letters, in pixels.
func xHeight(l Line) float64 {
	if x := l.Height - l.Ascenders - l.Descenders; x > 2 {
		return x
	}
	if l.Height > 0 {
		return l.Height / 2
	}
	return float64(l.Box.Y1-l.Box.Y0) / 2
}

// bulletShapes are what Tesseract makes of a round or square bullet.
const bulletShapes = "•·∙●○◦▪■□◆◇➢➤►>»«*+oO0°eé©®@¢¤o"

// isBullet tells a bullet misread: one small glyph at the head of a line,
// no taller or wider than a lower-case letter, set apart from the text by
// a gap wider than a word space.
func isBullet(l Line, w, next Word) bool {
	r, n := utf8.DecodeRuneInString(w.Text)
	if n != len(w.Text) || !strings.ContainsRune(bulletShapes, r) {
		return false
	}
	x := xHeight(l)
	bw, bh := float64(w.Box.X1-w.Box.X0), float64(w.Box.Y1-w.Box.Y0)
	gap := float64(next.Box.X0 - w.Box.X1)
	return bw <= 1.3*x && bh <= 1.3*x && gap >= 1.2*x
}

// elided tells a French elided word that must join the next one: l’, d’,
// qu’, jusqu’...
func elided(s string) bool {
	base, ok := strings.CutSuffix(s, "’")
	if !ok {
		base, ok = strings.CutSuffix(s, "'")
	}
	if !ok || base == "" || len([]rune(base)) > 7 {
		return false
	}
	for _, r := range base {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// noise tells a "word" made only of strokes: underlines, rules, table
// borders.
func noise(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("_|~¦^`—", r) {
			return false
		}
	}
	return s != "—" // a dash alone is punctuation
}

func round1(v float64) float64 { return float64(int(v*10+0.5)) / 10 }

// countWords counts the words of a text that read as words: a letter at least,
// and mostly letters. It measures how usable a text is.
func countWords(s string) (words, total int) {
	for f := range strings.FieldsSeq(s) {
		total++
		letters, other := 0, 0
		for _, r := range f {
			switch {
			case unicode.IsLetter(r):
				letters++
			case unicode.IsDigit(r) || strings.ContainsRune(".,;:!?'’\"«»()-–—/%", r):
			default:
				other++
			}
		}
		if letters > 0 && other*4 <= letters {
			words++
		}
	}
	return words, total
}
