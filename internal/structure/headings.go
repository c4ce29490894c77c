package structure

import (
	"slices"
	"strings"
	"unicode"
)

// capsRank is the rank of a heading in capitals in a text file.
const capsRank = 20

// head says whether a paragraph is a heading and how strong it looks.
type head struct {
	is   bool
	weak bool    // a heading only by its place (a short line alone before a list)
	rank float64 // visual strength: bigger, bolder, capitals, Markdown level
	kind string  // the kind of section its words name, "" if none
	ocr  bool    // ranked by a size measured on a page image
}

// findHeadings decides which paragraphs are headings: from font size and
// weight in a PDF, from the level in Markdown, and from capitals, section
// vocabulary, numbering and position in every format.
func findHeadings(ps []para, pdf bool) []head {
	body := bodySize(ps)
	out := make([]head, len(ps))
	for i := range ps {
		p := &ps[i]
		if p.heading == 0 && !headingShape(p) {
			continue
		}
		h := head{kind: headingKind(p.text)}
		if p.heading > 0 {
			h.is, h.rank = true, float64(100*(7-p.heading))
			out[i] = h
			continue
		}
		caps := isCaps(p.body())
		numbered := p.marker != "" && isNumbering(p.marker)
		if p.marker != "" && !numbered {
			continue
		}
		if pdf && !p.ocr {
			h.rank = p.size*10 + b2f(p.bold)*2 + b2f(caps)
			larger := body > 0 && p.size >= body+0.9
			switch {
			case p.bold, larger:
				h.is = !numbered || p.bold || larger
			case caps && p.words() <= 10:
				h.is = true
			case h.kind != "" && p.words() <= 6 && p.lines == 1 && p.gap >= 1.3 && !numbered:
				h.is = true
			case !numbered && p.words() <= 6 && i+1 < len(ps) && leadsContent(&ps[i+1]):
				h.is, h.weak = true, true
			}
		} else if p.ocr && body > 0 && p.size >= body*(1+ocrSizeStep) && !numbered && !caps {
			// Recognised text: a size above the body's is a heading's,
			// ranked by size; weight read from pixels is left out, and so
			// is the size of capitals, which accents make look taller.
			h.is, h.rank, h.ocr = true, p.size*10, true
		} else {
			switch {
			case caps:
				h.is, h.rank = true, capsRank
			case p.bold && p.words() <= 12:
				h.is, h.rank = true, 15
			case h.kind != "" && p.words() <= 8:
				h.is, h.rank = true, 10
			case !numbered && p.words() <= 6 && i+1 < len(ps) && leadsContent(&ps[i+1]):
				h.is, h.weak, h.rank = true, true, 10
			}
		}
		out[i] = h
	}
	levelOCR(out, ps)
	return out
}

// levelOCR ranks the headings of recognised pages by level: sorted sizes
// measured on pixels less than a size step apart are one level (13.2 and
// 12.9 for type set at 14 and 13; 13.2 to 14.6 for six headings set at 13;
// 21.1 to 25.0 for five set at 22, apart from 17.9 to 19.2 for three set
// at 16.5), each ranked by the largest size in it.
func levelOCR(hs []head, ps []para) {
	var sizes []float64
	for i, h := range hs {
		if h.ocr {
			sizes = append(sizes, ps[i].size)
		}
	}
	slices.Sort(sizes)
	level := map[float64]float64{}
	for i := 0; i < len(sizes); {
		j := i
		for j+1 < len(sizes) && sizes[j+1] <= sizes[j]*(1+ocrSizeStep) {
			j++
		}
		for _, s := range sizes[i : j+1] {
			level[s] = sizes[j]
		}
		i = j + 1
	}
	for i := range hs {
		if hs[i].ocr {
			hs[i].rank = level[ps[i].size] * 10
		}
	}
}

// headingShape is what every heading looks like: short, no sentence end,
// not starting in lowercase, not a table row.
func headingShape(p *para) bool {
	t := p.body()
	n := p.words()
	switch {
	case p.table, n == 0, n > 16, len(t) > 160, startsLower(t):
		return false
	}
	switch lastRune(strings.TrimRight(t, " \u00a0")) {
	case '.', ';', ',', '!', '?':
		return false
	case ':':
		return n <= 6
	}
	return hasLetter(t)
}

// leadsContent reports whether a paragraph looks like content that a short
// line above it would head: a list item or a real paragraph.
func leadsContent(p *para) bool {
	return p.heading == 0 && !p.table && (p.marker != "" || p.words() > 16)
}

func isNumbering(marker string) bool {
	r := firstRune(marker)
	return unicode.IsDigit(r) || r == '(' || strings.ContainsRune("IVX", r)
}

// isCaps reports whether a text is written in capitals (at least three
// letters, nearly all uppercase).
func isCaps(s string) bool {
	up, low := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			up++
		case unicode.IsLower(r):
			low++
		}
	}
	return up >= 3 && low*10 <= up
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// bodySize is the font size that carries most of the text.
func bodySize(ps []para) float64 {
	n := map[float64]int{}
	best, bestN := 0.0, 0
	for _, p := range ps {
		s := round1(p.size)
		n[s] += len(p.text)
		if n[s] > bestN {
			best, bestN = s, n[s]
		}
	}
	return best
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
