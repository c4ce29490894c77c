package structure

import (
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
	return out
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
