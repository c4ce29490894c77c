// Package meta fills a mission record's metadata (destinations, dates, year,
// organizations, themes) from the title, text, objectives and outcomes that
// the structure package found, with the reference data of Knowledge.
package meta

import (
	"strings"
	"unicode"

	"escale/internal/gazetteer"
	"escale/internal/layout"
	"escale/internal/mission"
	"escale/internal/taxonomy"
	"escale/internal/unaccent"
)

// Knowledge is the reference data metadata extraction relies on.
type Knowledge struct {
	Gazetteer *gazetteer.Gazetteer
	Taxonomy  *taxonomy.Taxonomy
	// Home is the city the reports are written from (« Québec »), when an
	// administrator sets it: it is never a destination. Empty, or a name
	// the gazetteer does not know, to detect it in each report (« la Ville
	// de X », « départ de X », running headers).
	Home string
}

// DefaultKnowledge is the embedded gazetteer and taxonomy, with the home city
// detected per report.
func DefaultKnowledge() Knowledge {
	return Knowledge{Gazetteer: gazetteer.Default(), Taxonomy: taxonomy.Default()}
}

// Source is what the reader saw besides the record's text.
type Source struct {
	Headers []string    // running headers and footers removed from the text
	Info    layout.Info // PDF Title, Created YYYY-MM-DD
}

// Fill sets Destinations, StartDate, EndDate, Year, Organizations, Themes and
// each outcome's Themes from the record's Title, Text, Sections, Objectives,
// Outcomes and Filename. Missing knowledge is taken from the defaults.
func Fill(m *mission.Mission, src Source, k Knowledge) {
	if k.Gazetteer == nil {
		k.Gazetteer = gazetteer.Default()
	}
	if k.Taxonomy == nil {
		k.Taxonomy = taxonomy.Default()
	}
	m.Normalize()
	d := newDoc(m, src)
	d.textPlaces = k.Gazetteer.Scan(d.text)
	home := homeCity(d, k)
	when := tripDates(d)
	m.Destinations = destinations(d, k.Gazetteer, home, when.year)
	m.StartDate, m.EndDate, m.Year = when.start, when.end, when.year
	m.Organizations = organizations(d, home)
	m.Themes = themes(m, k.Taxonomy)
	m.Normalize()
}

// doc is the report as metadata extraction reads it.
type doc struct {
	m       *mission.Mission
	src     Source
	title   string
	text    string
	lines   []line // the text's lines
	head    int    // lines[:head] are the heading block: title, place, dates, author
	fileKey string // the file name without extension, separators made spaces
	// textPlaces are the gazetteer's mentions in text, scanned once for the
	// home city, the countries and the destinations.
	textPlaces []gazetteer.Mention
}

type line struct {
	start int // byte offset in text
	text  string
}

func newDoc(m *mission.Mission, src Source) *doc {
	d := &doc{m: m, src: src, text: m.Text}
	if m.Title != nil {
		d.title = *m.Title
	}
	off := 0
	for _, l := range strings.SplitAfter(m.Text, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			d.lines = append(d.lines, line{start: off + strings.Index(l, t), text: t})
		}
		off += len(l)
	}
	d.head = headBlock(d.lines, m.Sections)
	if d.head > 0 && d.lines[0].text != d.title && isSectionStart(d.lines[0].text, m.Sections) {
		d.head = 0 // the report opens on a section: it has no heading block
	}
	name := m.Filename
	if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.LastIndex(name, "."); i > 0 {
		name = name[:i]
	}
	d.fileKey = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' || r == '+' {
			return ' '
		}
		return r
	}, name)
	return d
}

// sectionWords begin the headings of a report's first sections: the heading
// block (title, place and dates, author) ends at the first of them.
var sectionWords = []string{
	"delegation", "participants", "composition", "contexte", "mise en contexte", "rappel", "objectif", "buts",
	"programme", "deroulement", "retombees", "faits saillants", "resultats", "bilan", "suivi", "suites",
	"prochaines etapes", "couts", "budget", "sommaire", "introduction", "apercu", "resume", "presentation",
	"historique", "mandat", "enjeux", "themes", "activites", "rencontres", "table des matieres",
}

// headBlock returns how many lines open the report before its first section
// (at most 8): the first line is always in it, being the title's.
func headBlock(lines []line, sections []mission.Section) int {
	for i, l := range lines {
		if i >= headMost {
			return headMost
		}
		if i > 0 && isSectionStart(l.text, sections) {
			return i
		}
	}
	return min(len(lines), headMost)
}

// headMost is the most lines a heading block has.
const headMost = 8

func isSectionStart(text string, sections []mission.Section) bool {
	f := fold(text)
	for _, s := range sections {
		if s.Heading != "" && fold(s.Heading) == f {
			return true
		}
	}
	for _, w := range sectionWords {
		rest, ok := strings.CutPrefix(f, w)
		if !ok {
			continue
		}
		if r := []rune(rest); len(r) > 0 && unicode.IsLetter(r[0]) && w != "objectif" && w != "suivi" {
			continue
		}
		if len(text) < 100 || strings.HasPrefix(strings.TrimSpace(rest), ":") {
			return true
		}
	}
	return false
}

// fold lowercases s and strips its accents, for comparing words; its
// typographic apostrophes become straight ones.
func fold(s string) string {
	return strings.ReplaceAll(unaccent.Lower(s), "’", "'")
}

// paragraphs splits text into its non-empty lines.
func paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
