package index

import (
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"escale/internal/mission"
)

// schemaVersion changes whenever the mapping or the documents built from a
// mission change: an index written by another version is rebuilt on Open, and
// every fingerprint changes so that reconciliation puts every mission again.
const schemaVersion = "escale-index-6"

// Facet and filter names, as the HTTP contract spells them. Each facet's
// display values go to one keyword field with doc values, fFacets, as
// "name\x1fvalue" (counting one field per hit costs a seventh of counting
// seven), and its folded values to name + keySuffix, which filters match, so
// « quebec » selects « Québec ».
const (
	FacetCity         = "city"
	FacetCountry      = "country"
	FacetYear         = "year"
	FacetTheme        = "theme"
	FacetCategory     = "category"
	FacetSection      = "section"
	FacetOrganization = "organization"
)

// Facets lists every facet in the order pages show them.
var Facets = []string{FacetCity, FacetCountry, FacetYear, FacetTheme, FacetCategory, FacetSection, FacetOrganization}

const keySuffix = "_key"

// Text fields. Missions and passages live in two Bleve indexes, so that the
// passages (thirty or so per report) do not flatten the missions' term
// statistics; the field names are shared where the meaning is.
const (
	fTitle  = "title"  // mission title; outcome title or section heading for a passage
	fDest   = "dest"   // destinations, "City Country"
	fLead   = "lead"   // objectives and outcomes: what the mission was for and brought
	fHeads  = "heads"  // outcome titles and categories, section headings
	fRoot   = "root"   // the whole text, cut to word roots
	fNames  = "names"  // organizations met
	fBody   = "body"   // the whole text
	fExact  = "exact"  // the whole text unstemmed, for phrases, prefixes and typos
	fText   = "text"   // a passage's text (stored, for highlighting)
	fSecPfx = "sec_"   // + section kind: that kind's text, for the section filter
	fYearN  = "year_n" // numeric year, for year_from / year_to
	fDate   = "date"   // YYYY-MM-DD (or YYYY), for sorting by date
	fFP     = "fp"     // fingerprint of the indexed record
	fMeta   = "meta"   // stored JSON shown with a hit
	fFacets = "facets" // every facet's display values, "name\x1fvalue"
	fLens   = "lens"   // stored JSON: the mission's field lengths (stats.go)
	fPlace  = "place"  // folded city and country names, for the destination boost

	fMission = "mission" // passage: its mission's id
	fKind    = "kind"    // passage: objective, outcome or section
	fOrd     = "ord"     // passage: its rank in the mission
	fPairPfx = "pair_"   // passage: pair_<by>_<split> = "<by value>\x1f<split value>"
)

// Passage kinds.
const (
	KindObjective = "objective"
	KindOutcome   = "outcome"
	KindSection   = "section"
)

// compareBy and compareSplit list what Compare accepts; every pair is indexed.
var (
	compareBy    = []string{FacetYear, FacetCity, FacetCountry}
	compareSplit = []string{FacetCategory, FacetTheme}
)

func textField(analyzer string, store, vectors bool) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = store
	f.IncludeTermVectors = vectors
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

// keywordField is a whole value; docValues for facets and sorting.
func keywordField(docValues bool) *mapping.FieldMapping {
	f := mapping.NewKeywordFieldMapping()
	f.Store = false
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = docValues
	return f
}

func numericField(store bool) *mapping.FieldMapping {
	f := mapping.NewNumericFieldMapping()
	f.Store = store
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func storedField() *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Index = false
	f.Store = true
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func newMapping(fields map[string]*mapping.FieldMapping) (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	if err := addAnalysis(m); err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = AnalyzerFrench
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = index.TFIDFScoring // Bleve's BM25 estimates lengths from dictionary sizes
	dm := mapping.NewDocumentStaticMapping()
	for name, f := range fields {
		dm.AddFieldMappingsAt(name, f)
	}
	m.DefaultMapping = dm
	return m, m.Validate()
}

// facetFields adds, for each facet, the display field and its folded twin.
func facetFields(fields map[string]*mapping.FieldMapping) {
	for _, f := range Facets {
		fields[f+keySuffix] = keywordField(false)
	}
	fields[fFacets] = keywordField(true)
	fields[fYearN] = numericField(false)
	fields[fDate] = keywordField(true)
	fields[fPlace] = keywordField(false)
	fields[fMeta] = storedField()
}

func missionMapping() (*mapping.IndexMappingImpl, error) {
	fields := map[string]*mapping.FieldMapping{
		fTitle: textField(AnalyzerFrench, false, false),
		fDest:  textField(AnalyzerFrench, false, false),
		fLead:  textField(AnalyzerFrench, false, false),
		fNames: textField(AnalyzerFrench, false, false),
		fHeads: textField(AnalyzerFrench, false, false),
		fBody:  textField(AnalyzerFrench, false, true),
		fRoot:  textField(AnalyzerRoot, false, false),
		fExact: textField(AnalyzerExact, false, true),
		fFP:    keywordField(true),
		fLens:  storedField(),
	}
	for _, k := range mission.Kinds {
		fields[fSecPfx+k] = textField(AnalyzerFrench, false, false)
	}
	facetFields(fields)
	return newMapping(fields)
}

func passageMapping() (*mapping.IndexMappingImpl, error) {
	fields := map[string]*mapping.FieldMapping{
		fTitle:   textField(AnalyzerFrench, true, true),
		fText:    textField(AnalyzerFrench, true, true),
		fExact:   textField(AnalyzerExact, false, true),
		fRoot:    textField(AnalyzerRoot, false, false),
		fMission: keywordField(false),
		fKind:    keywordField(false),
		fOrd:     numericDocValues(),
	}
	for _, by := range compareBy {
		for _, split := range compareSplit {
			fields[pairField(by, split)] = keywordField(true)
		}
	}
	facetFields(fields)
	return newMapping(fields)
}

func pairField(by, split string) string { return fPairPfx + by + "_" + split }

// pairSep joins the two values of a pair field; it cannot occur in text.
const pairSep = "\x1f"

func numericDocValues() *mapping.FieldMapping {
	f := numericField(false)
	f.DocValues = true
	return f
}
