// Package textfile reads reports saved as plain text or Markdown. The encoding
// (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252 / ISO-8859-1), the
// line ends and the Markdown dialect are all decided from the content, never
// from the file name. Binary content is refused with mission.ErrUnsupported.
//
// The result is a one-page layout.Document with one layout.Line per line of
// the file, blank lines included (as lines without spans), so that the
// structure package sees paragraph breaks as the writer made them. Markdown
// syntax is turned into layout: heading levels, bold and italic spans, "•"
// bullets, link text followed by the address.
package textfile

import (
	"strings"

	"escale/internal/layout"
	"escale/internal/mission"
)

// Read decodes a text or Markdown file into a one-page document.
func Read(data []byte) (*layout.Document, error) {
	if len(data) == 0 {
		return nil, mission.Refuse(mission.ErrEmpty, "le fichier texte est vide")
	}
	text, warnings, err := decode(data)
	if err != nil {
		return nil, err
	}
	lines := splitLines(text)
	doc := &layout.Document{Format: mission.FormatText, Warnings: warnings}
	var out []layout.Line
	if isMarkdown(lines) {
		doc.Format = mission.FormatMarkdown
		out = markdownLines(lines)
	} else {
		out = make([]layout.Line, len(lines))
		for i, l := range lines {
			out[i] = plainLine(l)
		}
	}
	doc.Pages = []layout.Page{{Number: 1, Lines: out}}
	return doc, nil
}

// splitLines splits on CRLF, CR and LF alike; a form feed (a page break in
// some exports) counts as a blank line. The final empty line after a
// trailing newline is dropped.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\f", "\n")
	s = strings.TrimPrefix(s, "\ufeff")
	lines := strings.Split(s, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\v")
	}
	return lines
}

// plainLine is one line of a plain-text file; a blank line has no span.
func plainLine(l string) layout.Line {
	if strings.TrimSpace(l) == "" {
		return layout.Line{}
	}
	return layout.Line{Spans: []layout.Span{{Text: l}}}
}
