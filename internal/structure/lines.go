package structure

import (
	"math"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"escale/internal/layout"
	"escale/internal/mission"
)

// line is one visual line after cleaning, with what the paragraph builder
// and the heading finder need to know about it.
type line struct {
	text       string // cleaned, trimmed; a symbol-font bullet reads "•"
	marker     string // list marker as written ("•", "-", "1.", "a)"), "" if none
	page       int
	x, y, w, h float64
	size       float64
	bold       bool   // every visible character is bold
	lead       string // the bold run that opens the line, after the marker
	heading    int    // Markdown heading level
	blank      int    // text files: blank lines before this one
	indent     int    // text files: leading spaces
	ocr        bool   // recognised from a page image: no reliable font style
}

// allBold reports whether the line's text after its marker is bold.
func (l *line) allBold() bool {
	return l.bold || (l.lead != "" && l.lead == l.body())
}

// body is the line's text without its list marker.
func (l *line) body() string {
	return strings.TrimSpace(strings.TrimPrefix(l.text, l.marker))
}

var (
	// markerRE finds a list marker: a bullet symbol or dash, a number or
	// letter followed by "." or ")", a roman numeral. Lowercase letters only,
	// so that "M. Tremblay" is not a list item.
	markerRE = lazyRegexp(`^(?:[•·◦▪▫■□●○‣⁃∙➢➤►▶✓✔❖◆◇→*+\-–—]|\(?\d{1,2}[.)]|\d{1,2}(?:\.\d{1,2})+\.?|[a-z][.)]|\([a-z]\)|[IVX]{1,4}[.)]|[IVX]{1,4}\s?[-–—])(?:\s+|$)`)
)

var (
	// gluedNumberRE is a list number glued to its text's capital.
	gluedNumberRE = lazyRegexp(`^(\d{1,2}[.)])\p{Lu}`)
	// ruleRE is a line drawn with characters: an underline or a separator.
	ruleRE = lazyRegexp(`^[=\-_*~#.·•+]{3,}$`)
	// textPageNumberRE is a page number left in a text copied from a PDF.
	textPageNumberRE = lazyRegexp(`(?i)^(?:page\s+\d{1,4}(?:\s*(?:de|sur|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4})$`)
)

// readLines turns the pages of a document into cleaned lines, blank lines of
// text files folded into the next line's blank count.
func readLines(doc *layout.Document) [][]line {
	pdf := doc.Format == mission.FormatPDF
	pages := make([][]line, 0, len(doc.Pages))
	for pi, p := range doc.Pages {
		num := p.Number
		if num == 0 {
			num = pi + 1
		}
		var out []line
		blank := 0
		for _, l := range p.Lines {
			ln, ok := makeLine(l, num, pdf)
			if !ok {
				blank++
				continue
			}
			ln.blank = blank
			ln.ocr = p.OCR
			blank = 0
			if n := len(out); pdf && n > 0 && bareMarker(&out[n-1]) && sameBaseline(&out[n-1], &ln) {
				out[n-1] = attachMarker(out[n-1], ln)
				continue
			}
			if n := len(out); pdf && n > 0 && sameBaseline(&out[n-1], &ln) && ln.x-(out[n-1].x+out[n-1].w) < 2*max(ln.size, 4) {
				out[n-1] = appendFragment(out[n-1], ln)
				continue
			}
			out = append(out, ln)
		}
		pages = append(pages, out)
	}
	return pages
}

// bareMarker reports whether a line is nothing but a list marker: some
// writers draw the bullet apart from its text, which the reader then sees as
// a line of its own.
func bareMarker(l *line) bool {
	if l.marker != "" || len([]rune(l.text)) > 4 {
		return false
	}
	m := markerRE().FindString(l.text)
	return m != "" && strings.TrimSpace(m) == l.text
}

// sameBaseline reports whether b sits on a's line, to its right.
func sameBaseline(a, b *line) bool {
	return a.page == b.page && b.x > a.x && math.Abs(a.y-b.y) < 0.5*max(a.h, b.h, 1)
}

// attachMarker puts a bullet drawn apart back in front of its text.
func attachMarker(m, l line) line {
	l.text = m.text + " " + l.text
	l.marker = m.text
	l.w = l.x + l.w - m.x
	l.x = m.x
	l.blank = m.blank
	return l
}

// appendFragment puts back together a line the reader cut at a wide space
// (justified text): a table cell would sit further away.
func appendFragment(a, b line) line {
	a.text = a.text + " " + b.text
	a.w = b.x + b.w - a.x
	a.bold = a.bold && b.bold
	if a.lead != "" && a.lead == a.body() && b.lead != "" {
		a.lead += " " + b.lead
	}
	return a
}

// makeLine cleans one layout line; ok is false for a line with no visible text.
func makeLine(l layout.Line, page int, pdf bool) (line, bool) {
	var raw strings.Builder
	for _, s := range l.Spans {
		raw.WriteString(s.Text)
	}
	rawText := raw.String()
	bullet := startsWithPrivateGlyph(rawText)
	text := strings.TrimRightFunc(dropSoftHyphens(Clean(rawText)), unicode.IsSpace)
	indent := len(text) - len(strings.TrimLeft(text, " \t"))
	text = strings.TrimSpace(text)
	if bullet {
		text = strings.TrimSpace("• " + text)
	}
	if !hasVisible(text) {
		return line{}, false
	}
	if !pdf {
		if ruleRE().MatchString(text) || textPageNumberRE().MatchString(text) {
			return line{}, false
		}
		text = collapseSpaces(text)
	}
	ln := line{
		text:    text,
		page:    page,
		x:       l.X,
		y:       l.Y,
		w:       l.W,
		h:       l.H,
		size:    l.Size(),
		bold:    l.Bold(),
		heading: l.Heading,
		indent:  indent,
	}
	if m := markerRE().FindString(text); m != "" && len([]rune(strings.TrimSpace(m))) < len([]rune(text)) {
		ln.marker = strings.TrimSpace(m)
	} else if rest, ok := strings.CutPrefix(text, "o "); ok && unicode.IsUpper(firstRune(rest)) {
		ln.marker = "o" // the sub-bullet of word processors
	} else if m := gluedNumberRE().FindStringSubmatch(text); m != nil {
		// « 10.Échange »: a wide number left no room for the space.
		ln.marker = m[1]
		ln.text = m[1] + " " + text[len(m[1]):]
	}
	ln.lead = boldLead(l.Spans)
	return ln, true
}

// boldLead returns the bold run that opens a line, after any list marker:
// the outcome title of a report that sets it in bold.
func boldLead(spans []layout.Span) string {
	var b strings.Builder
	started := false
	for _, s := range spans {
		t := Clean(s.Text)
		if !started {
			if strings.TrimSpace(t) == "" || isMarkerOnly(t) {
				continue
			}
			if !s.Bold {
				return ""
			}
			started = true
		}
		if !s.Bold && strings.TrimSpace(t) != "" {
			break
		}
		b.WriteString(t)
	}
	lead := strings.TrimSpace(b.String())
	if m := markerRE().FindString(lead); m != "" {
		lead = strings.TrimSpace(lead[len(m):])
	}
	return lead
}

func isMarkerOnly(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	m := markerRE().FindString(s + " ")
	return m != "" && strings.TrimSpace(m) == s
}

// startsWithPrivateGlyph reports whether the first visible character is a
// private-use glyph: the bullet of a Symbol or Wingdings font.
func startsWithPrivateGlyph(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		return isPrivate(r)
	}
	return false
}

func hasVisible(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return true
		}
	}
	return false
}

// collapseSpaces turns runs of spaces into one, keeping tabs (table cells).
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	prev := false
	for _, r := range s {
		if r == ' ' {
			if prev {
				continue
			}
			prev = true
		} else {
			prev = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// firstRune and lastRune of a string, utf8.RuneError when empty.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// lazyRegexp returns a regular expression compiled the first time it is
// asked for: every process of the binary links this package (the parent of
// each extraction, the server), only extraction children run it.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
