// Package structure reads the structure of a mission report from the page
// as a reader produced it (layout.Document, from a PDF or a text file): the
// clean text in reading order, without running headers, footers and page
// numbers; paragraphs rebuilt from wrapped lines; headings and the sections
// they open, each with its kind; the report's own title; the objectives; the
// outcomes with their category, title and text.
//
// Everything is decided from how French reports are written (fonts,
// capitals, numbering, section vocabulary, list markers, run-in titles), not
// from any particular report.
package structure

import (
	"strings"

	"escale/internal/layout"
	"escale/internal/mission"
)

// Result is the part of a mission record that the text of a report gives.
type Result struct {
	Title      *string // the report's own title, nil when it has none
	Sections   []mission.Section
	Objectives []mission.Objective
	Outcomes   []mission.Outcome
	Text       string // the whole readable text, one paragraph per line
	Pages      int
	// Headers are the running headers, footers and page numbers taken out
	// of Text, once each.
	Headers []string
}

// Parse reads the structure of a document.
func Parse(doc *layout.Document) *Result {
	pdf := doc.Format == mission.FormatPDF
	pages := readLines(doc)
	r := &Result{Pages: len(doc.Pages)}
	if pdf {
		heights := make([]float64, len(doc.Pages))
		for i, p := range doc.Pages {
			heights[i] = p.Height
		}
		pages, r.Headers = stripRunning(pages, heights)
	}
	v := newVocabulary(pages)
	var ps []para
	if pdf {
		ps = pdfParagraphs(pages, v)
	} else {
		var all []line
		for _, ls := range pages {
			all = append(all, ls...)
		}
		ps = textParagraphs(all, v, doc.Format == mission.FormatMarkdown)
	}
	if len(ps) == 0 {
		return r
	}
	hs := findHeadings(ps, pdf)
	title := findTitle(ps, hs, doc.Format)
	if title >= 0 {
		t := titleText(&ps[title])
		r.Title = &t
	}
	secs := buildSections(ps, hs, title, pdf)
	texts := make([]string, len(ps))
	for i := range ps {
		texts[i] = ps[i].text
	}
	r.Text = strings.Join(texts, "\n")
	for _, s := range secs {
		if s.head < 0 {
			continue
		}
		var body []string
		for _, i := range s.paras {
			body = append(body, ps[i].text)
		}
		r.Sections = append(r.Sections, mission.Section{
			Heading: ps[s.head].body(),
			Kind:    s.kind,
			Text:    strings.Join(body, "\n"),
			Page:    ps[s.head].page,
		})
		switch s.kind {
		case mission.KindObjectives:
			r.Objectives = append(r.Objectives, objectives(ps, s)...)
		case mission.KindOutcomes:
			r.Outcomes = append(r.Outcomes, outcomes(ps, s, pdf)...)
		}
	}
	return r
}
