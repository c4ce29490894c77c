package textfile

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"escale/internal/layout"
)

// The Markdown patterns are compiled on first use: most processes read no
// text file (the parent of every extraction, the child of a PDF's).
var (
	mdHeading  = lazyRegexp(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext   = lazyRegexp(`^ {0,3}(=+|-+)[ \t]*$`)
	mdRule     = lazyRegexp(`^ {0,3}([-*_])(?:[ \t]*[-*_]){2,}[ \t]*$`)
	mdBullet   = lazyRegexp(`^([ \t]*)[-*+][ \t]+`)
	mdFence    = lazyRegexp("^ {0,3}(```|~~~)")
	mdLink     = lazyRegexp(`!?\[[^\]\n]*\]\([^)\s]+(?:\s+"[^"]*")?\)`)
	mdBold     = lazyRegexp(`(\*\*|__)\S(?:.*?\S)?(\*\*|__)`)
	mdTableSep = lazyRegexp(`^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?$`)
)

// lazyRegexp returns a regular expression compiled the first time it is
// asked for.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// isMarkdown decides from the content whether a text file is Markdown: ATX
// headings, bold runs, links or code fences. Dash lists alone do not count:
// plain-text reports use them too.
func isMarkdown(lines []string) bool {
	score := 0
	for _, l := range lines {
		switch {
		case mdHeading().MatchString(l) && strings.Contains(l, "# "):
			score += 2
		case mdFence().MatchString(l):
			score += 2
		}
		if mdLink().MatchString(l) {
			score += 2
		}
		if mdBold().MatchString(l) {
			score++
		}
		if score >= 3 {
			return true
		}
	}
	return false
}

// markdownLines renders Markdown lines as layout lines: headings get their
// level, bullets become "•", emphasis becomes span style, links keep their
// text followed by the address, and syntax that carries no text (rules,
// fences, table separators) becomes a blank line so that line numbers and
// paragraph breaks survive.
func markdownLines(lines []string) []layout.Line {
	out := make([]layout.Line, 0, len(lines))
	inCode := false
	bold := false // a bold run open across the lines of a paragraph
	for i, l := range lines {
		if mdFence().MatchString(l) {
			inCode = !inCode
			out = append(out, layout.Line{})
			continue
		}
		if inCode {
			out = append(out, plainLine(l))
			continue
		}
		if strings.TrimSpace(l) == "" || mdBullet().MatchString(strings.TrimLeft(l, " ")) && bold {
			bold = false
		}
		if m := mdHeading().FindStringSubmatch(l); m != nil {
			ln := layout.Line{Spans: inline(m[2]), Heading: len(m[1])}
			if len(ln.Spans) == 0 {
				ln.Heading = 0
			}
			out = append(out, ln)
			continue
		}
		if m := mdSetext().FindStringSubmatch(l); m != nil && i > 0 && len(out) > 0 && len(out[len(out)-1].Spans) > 0 && out[len(out)-1].Heading == 0 && strings.TrimSpace(lines[i-1]) != "" {
			level := 1
			if m[1][0] == '-' {
				level = 2
			}
			out[len(out)-1].Heading = level
			out = append(out, layout.Line{})
			continue
		}
		if mdRule().MatchString(l) || mdTableSep().MatchString(l) {
			out = append(out, layout.Line{})
			continue
		}
		// Indentation is kept: it tells a list item's continuation lines.
		indent := strings.Repeat(" ", len(l)-len(strings.TrimLeft(l, " ")))
		l = strings.TrimLeft(l, " ")
		for strings.HasPrefix(l, ">") {
			l = strings.TrimLeft(l[1:], " ")
		}
		if strings.HasPrefix(strings.TrimSpace(l), "|") {
			l = tableRow(l)
		}
		prefix := indent
		if m := mdBullet().FindStringSubmatch(l); m != nil {
			prefix += "• "
			l = l[len(m[0]):]
		}
		var spans []layout.Span
		spans, bold = inlineIn(l, bold, paragraphRest(lines, i+1))
		if prefix != "" {
			spans = append([]layout.Span{{Text: prefix}}, spans...)
		}
		out = append(out, layout.Line{Spans: spans})
	}
	return out
}

// paragraphRest is the text of the paragraph's lines from i on: up to a
// blank line or a new list item.
func paragraphRest(lines []string, i int) string {
	var b strings.Builder
	for ; i < len(lines) && b.Len() < maxLookahead; i++ {
		l := strings.TrimLeft(lines[i], " ")
		if l == "" || mdBullet().MatchString(l) || mdHeading().MatchString(l) {
			break
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// tableRow turns "| a | b |" into "a\tb".
func tableRow(l string) string {
	l = strings.TrimSpace(l)
	l = strings.TrimPrefix(l, "|")
	l = strings.TrimSuffix(l, "|")
	cells := strings.Split(l, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return strings.Join(cells, "\t")
}

// maxInline bounds the length of a line whose emphasis is parsed: delimiter
// matching is quadratic in the worst case, and no real line is this long.
const maxInline = 4096

// inline parses Markdown emphasis, code, links and escapes in one line into
// styled spans.
func inline(s string) []layout.Span {
	spans, _ := inlineIn(s, false, "")
	return spans
}

// maxLookahead bounds how far past its line a bold run may look for its
// closing delimiter.
const maxLookahead = 2000

// inlineIn is inline for a line inside a paragraph: bold says whether a bold
// run is open from the lines above, and rest is the paragraph's text below,
// where a run opened here may close (« **titre sur / deux lignes** »). It
// returns whether a bold run is still open at the end of the line.
func inlineIn(s string, bold bool, rest string) ([]layout.Span, bool) {
	if len(s) > maxInline {
		return []layout.Span{{Text: s}}, bold
	}
	if len(rest) > maxLookahead {
		rest = rest[:maxLookahead]
	}
	var (
		spans  []layout.Span
		buf    strings.Builder
		italic bool
	)
	// Links found once for the line: matching at every "[" would be quadratic.
	links := map[int]int{}
	for _, loc := range mdLink().FindAllStringIndex(s, -1) {
		links[loc[0]] = loc[1]
	}
	flush := func() {
		if buf.Len() > 0 {
			spans = append(spans, layout.Span{Text: buf.String(), Bold: bold, Italic: italic})
			buf.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			buf.WriteByte(s[i+1])
			i += 2
			continue
		case c == '`':
			n := 1
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			ticks := s[i : i+n]
			if j := strings.Index(s[i+n:], ticks); j >= 0 {
				buf.WriteString(strings.TrimSpace(s[i+n : i+n+j]))
				i += n + j + n
				continue
			}
		case c == '[' || (c == '!' && i+1 < len(s) && s[i+1] == '['):
			if end, ok := links[i]; ok {
				buf.WriteString(linkText(s[i:end]))
				i = end
				continue
			}
		case c == '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				inner := s[i+1 : i+j]
				if isAutolink(inner) {
					buf.WriteString(strings.TrimPrefix(inner, "mailto:"))
					i += j + 1
					continue
				}
				if isHTMLTag(inner) {
					if strings.HasPrefix(strings.ToLower(inner), "br") {
						buf.WriteByte(' ')
					}
					i += j + 1
					continue
				}
			}
		case (c == '*' || c == '_') && i+1 < len(s) && s[i+1] == c:
			d := s[i : i+2]
			if bold && closes(s, i, 2) {
				flush()
				bold = false
				i += 2
				continue
			}
			if !bold && opens(s, i, 2) && (strings.Contains(s[i+2:], d) || strings.Contains(rest, d)) {
				flush()
				bold = true
				i += 2
				continue
			}
		case c == '*' || c == '_':
			if italic && closes(s, i, 1) {
				flush()
				italic = false
				i++
				continue
			}
			if !italic && opens(s, i, 1) && hasCloser(s[i+1:], c) {
				flush()
				italic = true
				i++
				continue
			}
		}
		buf.WriteByte(c)
		i++
	}
	flush()
	return spans, bold
}

// opens reports whether the delimiter run of length n at i can open emphasis:
// followed by a non-space, and for "_" not inside a word (snake_case, URLs).
func opens(s string, i, n int) bool {
	if i+n >= len(s) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[i+n:])
	if unicode.IsSpace(next) {
		return false
	}
	if s[i] == '_' && i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(prev) || unicode.IsDigit(prev) {
			return false
		}
	}
	return true
}

// closes reports whether the delimiter run of length n at i can close
// emphasis: preceded by a non-space, and for "_" not followed by a letter.
func closes(s string, i, n int) bool {
	if i == 0 {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	if unicode.IsSpace(prev) {
		return false
	}
	if s[i] == '_' && i+n < len(s) {
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		if unicode.IsLetter(next) || unicode.IsDigit(next) {
			return false
		}
	}
	return true
}

// hasCloser reports whether a single delimiter c later in s can close an
// emphasis opened just before s.
func hasCloser(s string, c byte) bool {
	for j := 1; j < len(s); j++ {
		if s[j] == c && (j+1 >= len(s) || s[j+1] != c) && s[j-1] != c && closes(s, j, 1) {
			return true
		}
	}
	return false
}

// linkText renders [text](url) as "text (url)" so that both stay readable and
// searchable; an image keeps its description only.
func linkText(link string) string {
	image := strings.HasPrefix(link, "!")
	link = strings.TrimPrefix(link, "!")
	end := strings.Index(link, "](")
	text := link[1:end]
	url := strings.TrimSuffix(link[end+2:], ")")
	if k := strings.IndexAny(url, " \t"); k >= 0 {
		url = url[:k]
	}
	var plain strings.Builder
	for _, sp := range inline(text) {
		plain.WriteString(sp.Text)
	}
	text = plain.String()
	url = strings.TrimPrefix(url, "mailto:")
	switch {
	case image:
		return text
	case text == "" || text == url:
		return url
	case strings.HasPrefix(url, "#"):
		return text
	}
	return text + " (" + url + ")"
}

func isAutolink(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "mailto:")) &&
		!strings.ContainsAny(s, " \t<")
}

// isHTMLTag recognises the few inline tags Markdown writers use (<br>,
// <u>, <sup>...), so that they do not end up in the text.
func isHTMLTag(s string) bool {
	s = strings.TrimPrefix(strings.TrimSuffix(s, "/"), "/")
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return false
	}
	name := strings.ToLower(fields[0])
	switch name {
	case "br", "b", "i", "u", "em", "strong", "sup", "sub", "span", "small", "mark", "p", "div", "!--":
		return true
	}
	return strings.HasPrefix(name, "!--")
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}
