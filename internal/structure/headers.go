package structure

import (
	"strings"
	"unicode"
)

// The margins where running headers, footers and page numbers live, as
// fractions of the page height.
const (
	topMargin    = 0.11
	bottomMargin = 0.11
	edgeMargin   = topMargin // where a single page's margin notes sit
	outerBand    = 0.08      // where a header in small print sits, repeated or not
)

var pageNumberRE = lazyRegexp(`(?i)^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?\d{1,4}(?:\s*(?:de|sur|/|of)\s*\d{1,4})?(?:\s*[-–—])?$`)

// stripRunning removes running headers and footers (lines in the top or
// bottom margin whose text, digits aside, comes back on other pages) and
// page numbers. It returns the removed texts too, once each, in order: the
// year rule of the contract reads running headers.
func stripRunning(pages [][]line, heights []float64) (kept [][]line, removed []string) {
	type zone int
	const (
		body zone = iota
		top
		bottom
	)
	zoneOf := func(p int, l line) zone {
		h := heights[p]
		if h <= 0 {
			return body
		}
		switch {
		case l.y < h*topMargin:
			return top
		case l.y+l.h > h*(1-bottomMargin):
			return bottom
		}
		return body
	}
	// How many pages carry each margin text, digits folded.
	count := map[string]int{}
	for p, ls := range pages {
		seen := map[string]bool{}
		for _, l := range ls {
			if z := zoneOf(p, l); z != body {
				k := runningKey(l.text, z == top)
				if !seen[k] {
					seen[k] = true
					count[k]++
				}
			}
		}
	}
	withText := 0
	for _, ls := range pages {
		if len(ls) > 0 {
			withText++
		}
	}
	need := 2
	if withText >= 4 {
		need = (withText + 1) / 2
	}
	// A line in small print at the edge of a page is a margin note even when
	// nothing repeats it (a single page, a header from page 2 on, a
	// browser's date and address).
	textSize := bodyLineSize(pages)
	edge := func(p int, l line) bool {
		h := heights[p]
		band := edgeMargin
		if withText > 1 {
			band = outerBand
		}
		return h > 0 && textSize > 0 && l.size < textSize-1 &&
			(l.y < h*band || l.y+l.h > h*(1-band))
	}
	seenText := map[string]bool{}
	out := make([][]line, len(pages))
	for p, ls := range pages {
		var keep []line
		for _, l := range ls {
			z := zoneOf(p, l)
			drop := false
			switch {
			case z == body:
			case pageNumberRE().MatchString(strings.TrimSpace(l.text)):
				drop = true
			case count[runningKey(l.text, z == top)] >= need && withText >= 2:
				drop = true
			case edge(p, l):
				drop = true
			}
			if !drop {
				keep = append(keep, l)
				continue
			}
			if !seenText[l.text] {
				seenText[l.text] = true
				removed = append(removed, l.text)
			}
		}
		out[p] = keep
	}
	return out, removed
}

// runningKey identifies a margin text across pages: case, spacing and digits
// (page numbers, dates) aside, and which margin it sits in.
func runningKey(s string, top bool) string {
	var b strings.Builder
	if top {
		b.WriteString("t|")
	} else {
		b.WriteString("b|")
	}
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsDigit(r):
			r = '#'
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// bodyLineSize is the font size that carries most of the text of the lines.
func bodyLineSize(pages [][]line) float64 {
	n := map[float64]int{}
	best, bestN := 0.0, 0
	for _, ls := range pages {
		for _, l := range ls {
			s := round1(l.size)
			n[s] += len(l.text)
			if n[s] > bestN {
				best, bestN = s, n[s]
			}
		}
	}
	return best
}
