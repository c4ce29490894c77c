package synth

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// textStyle is how a plain-text or Markdown report is saved.
type textStyle struct {
	markdown bool
	wrap     int    // hard wrap column, 0 for one line per paragraph
	bullet   string // how « • » items are written
	blank    bool   // a blank line between list items too
	indent   bool   // wrapped list lines are indented under the text
	trailing bool   // lines end with a stray space (text copied from a PDF)
	cp1252   bool
	bom      bool
	crlf     bool
	upperH   bool // headings in capitals (text only)
}

func (b *builder) chooseTextStyle(markdown bool) textStyle {
	r := b.r
	s := textStyle{markdown: markdown}
	if r.chance(0.35) {
		s.wrap = r.between(68, 105)
	}
	if markdown {
		s.bullet = pick(r, []string{"-", "*"})
	} else {
		s.bullet = []string{"•", "-", "–", "*"}[r.weighted(4, 3, 1, 1)]
		s.trailing = r.chance(0.1)
		s.upperH = r.chance(0.3)
	}
	s.blank = r.chance(0.6)
	s.indent = r.chance(0.5)
	s.cp1252 = r.chance(0.2)
	s.bom = !s.cp1252 && r.chance(0.08)
	s.crlf = r.chance(0.25)
	return s
}

// renderText writes a report as text or Markdown; ok is false when it cannot
// be encoded as asked (the caller then saves it as UTF-8).
func renderText(d *doc, s textStyle) ([]byte, bool) {
	var lines []string
	emit := func(ls ...string) { lines = append(lines, ls...) }
	sep := func() {
		if len(lines) > 0 && lines[len(lines)-1] != "" {
			lines = append(lines, "")
		}
	}
	for i, bl := range d.blocks {
		prevItem := i > 0 && d.blocks[i-1].kind == bItem && d.blocks[i-1].section == bl.section
		if bl.kind != bItem || !prevItem || s.blank {
			sep()
		}
		switch bl.kind {
		case bTitle:
			if s.markdown {
				emit("# " + bl.text)
			} else {
				emit(bl.text)
			}
		case bSubtitle:
			if s.markdown {
				emit("*" + bl.text + "*")
			} else {
				emit(s.wrapped(bl.text, "", "")...)
			}
		case bMeta:
			t := bl.text
			if bl.lead != "" {
				if s.markdown {
					t = "**" + bl.lead + "** " + t
				} else {
					t = bl.lead + " " + t
				}
			}
			emit(s.wrapped(t, "", "")...)
		case bHeading:
			switch {
			case s.markdown:
				emit("## " + bl.text)
			case s.upperH:
				emit(strings.ToUpper(bl.text))
			default:
				emit(bl.text)
			}
		case bCategory:
			if s.markdown {
				emit("### " + bl.text)
			} else {
				emit(bl.text)
			}
		case bPara:
			emit(s.wrapped(bl.text, "", "")...)
		case bItem:
			marker := bl.marker
			if marker == "•" {
				marker = s.bullet
			}
			if s.markdown && marker != "" && !strings.HasSuffix(marker, ".") && !strings.HasSuffix(marker, ")") {
				marker = s.bullet
			}
			if s.markdown && strings.HasSuffix(marker, ")") && marker[0] >= 'a' {
				marker = s.bullet // « a) » is no Markdown list
			}
			t := bl.text
			if bl.lead != "" {
				if s.markdown {
					t = "**" + bl.lead + "** " + t
				} else {
					t = bl.lead + " " + t
				}
			}
			if marker == "" {
				emit(s.wrapped(t, "", "")...)
				break
			}
			hang := ""
			if s.indent || s.markdown {
				hang = strings.Repeat(" ", utf8.RuneCountInString(marker)+1)
			}
			emit(s.wrapped(t, marker+" ", hang)...)
		case bTable:
			if s.markdown {
				for k, row := range bl.rows {
					emit("| " + strings.Join(row, " | ") + " |")
					if k == 0 {
						emit("|" + strings.Repeat(" --- |", len(row)))
					}
				}
				break
			}
			for _, row := range bl.rows {
				emit(strings.Join(row, "\t"))
			}
		}
	}
	var out bytes.Buffer
	eol := "\n"
	if s.crlf {
		eol = "\r\n"
	}
	for _, l := range lines {
		if s.trailing && l != "" {
			l += " "
		}
		out.WriteString(l)
		out.WriteString(eol)
	}
	if s.cp1252 {
		enc, err := charmap.Windows1252.NewEncoder().Bytes(out.Bytes())
		if err == nil {
			return enc, true
		}
	}
	if s.bom {
		return append([]byte("\ufeff"), out.Bytes()...), false
	}
	return out.Bytes(), false
}

// wrapped breaks text at the style's column, the first line after first and
// the others after hang.
func (s textStyle) wrapped(text, first, hang string) []string {
	if s.wrap == 0 {
		return []string{first + text}
	}
	var out []string
	cur := first
	n := utf8.RuneCountInString(cur)
	empty := true
	for _, w := range strings.Split(text, " ") {
		wn := utf8.RuneCountInString(w)
		if !empty && n+1+wn > s.wrap {
			out = append(out, cur)
			cur, n, empty = hang, utf8.RuneCountInString(hang), true
		}
		if !empty {
			cur += " "
			n++
		}
		cur += w
		n += wn
		empty = false
	}
	return append(out, cur)
}
