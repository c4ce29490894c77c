// Package layout is the page as a reader saw it: pages of positioned lines made
// of styled spans. Every reader (PDF, text, Markdown, OCR) produces a Document;
// the structure package turns it into a mission record. Nothing here knows about
// missions.
package layout

import "strings"

// Document is a whole file as read, before any cleaning.
type Document struct {
	Format   string // mission.FormatPDF, FormatText or FormatMarkdown
	Pages    []Page
	Info     Info
	Warnings []string // what the reader noticed, in French
}

// Info is the file's own metadata, when it has any (PDF Info dictionary or XMP).
type Info struct {
	Title    string
	Author   string
	Created  string // YYYY-MM-DD when known
	Producer string
}

// Page is one page in reading order. Text files are one page.
type Page struct {
	Number        int     // from 1
	Width         float64 // in PDF points; 0 for text files
	Height        float64
	Lines         []Line // in reading order
	OCR           bool   // recognised from the page image
	OCRConfidence float64
}

// Line is one visual line of text. For text files, one line of the file.
type Line struct {
	Spans []Span
	// Box in PDF points, origin at the top-left of the page, y growing down.
	// Zero for text files.
	X, Y, W, H float64
	// Heading is the Markdown heading level (1 for "#"), 0 otherwise. List
	// markers ("•", "-", "1.") stay in the text: the structure package reads them.
	Heading int
}

// Span is a run of text in one style.
type Span struct {
	Text   string
	Font   string  // base font name without subset prefix, "" when unknown
	Size   float64 // font size in points (0 for text files)
	Bold   bool
	Italic bool
}

// Text returns the line's text.
func (l Line) Text() string {
	if len(l.Spans) == 1 {
		return l.Spans[0].Text
	}
	var b strings.Builder
	for _, s := range l.Spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Size returns the line's dominant font size, weighted by characters.
func (l Line) Size() float64 {
	best, bestN := 0.0, -1
	n := map[float64]int{}
	for _, s := range l.Spans {
		n[s.Size] += len([]rune(strings.TrimSpace(s.Text)))
		if n[s.Size] > bestN {
			best, bestN = s.Size, n[s.Size]
		}
	}
	return best
}

// Bold reports whether every visible character of the line is bold.
func (l Line) Bold() bool {
	seen := false
	for _, s := range l.Spans {
		if strings.TrimSpace(s.Text) == "" {
			continue
		}
		if !s.Bold {
			return false
		}
		seen = true
	}
	return seen
}
