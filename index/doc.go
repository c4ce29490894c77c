package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"escale/internal/mission"
)

// missionMeta is what a hit shows of its mission, stored with the mission's
// document so that a search needs no catalog look-up.
type missionMeta struct {
	MissionID    string                `json:"mission_id"`
	Filename     string                `json:"filename"`
	Title        *string               `json:"title"`
	Destinations []mission.Destination `json:"destinations"`
	StartDate    *string               `json:"start_date"`
	EndDate      *string               `json:"end_date"`
	Year         *int                  `json:"year"`
	Themes       []string              `json:"themes"`
	DuplicateOf  string                `json:"duplicate_of,omitempty"`
	Passages     int                   `json:"np,omitempty"` // passages indexed, ids id/0 … id/np−1 (mission documents only)
}

// passageMeta is what an outcome or a hit's passage shows.
type passageMeta struct {
	Kind     string   `json:"kind"`
	Section  string   `json:"section"`
	Heading  string   `json:"heading,omitempty"`
	Category *string  `json:"category"`
	Title    *string  `json:"title"`
	Text     string   `json:"text,omitempty"`
	Page     int      `json:"page"`
	Themes   []string `json:"themes,omitempty"`
	Ord      int      `json:"ord"`
}

// storedPassage is a passage's stored JSON: itself and its mission.
type storedPassage struct {
	Mission missionMeta `json:"m"`
	Passage passageMeta `json:"p"`
}

// fingerprint identifies the indexed form of m: the same record indexed by the
// same schema gives the same fingerprint.
func fingerprint(m *mission.Mission) (string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(schemaVersion))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

func metaOf(m *mission.Mission) missionMeta {
	return missionMeta{
		MissionID:    m.MissionID,
		Filename:     m.Filename,
		Title:        m.Title,
		Destinations: nonNil(m.Destinations),
		StartDate:    m.StartDate,
		EndDate:      m.EndDate,
		Year:         m.Year,
		Themes:       nonNil(m.Themes),
		DuplicateOf:  m.DuplicateOf,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// facetValues holds a mission's values for every facet, display form.
type facetValues map[string][]string

func missionFacets(m *mission.Mission) facetValues {
	fv := facetValues{}
	for _, d := range m.Destinations {
		fv.add(FacetCity, d.City)
		fv.add(FacetCountry, d.Country)
	}
	if m.Year != nil {
		fv.add(FacetYear, strconv.Itoa(*m.Year))
	}
	for _, t := range m.Themes {
		fv.add(FacetTheme, t)
	}
	for _, o := range m.Outcomes {
		if o.Category != nil {
			fv.add(FacetCategory, *o.Category)
		}
	}
	for _, s := range m.Sections {
		if strings.TrimSpace(s.Text) != "" {
			fv.add(FacetSection, s.Kind)
		}
	}
	if len(m.Objectives) > 0 {
		fv.add(FacetSection, mission.KindObjectives)
	}
	if len(m.Outcomes) > 0 {
		fv.add(FacetSection, mission.KindOutcomes)
	}
	for _, o := range m.Organizations {
		fv.add(FacetOrganization, o)
	}
	return fv
}

// add appends v to the facet unless it is empty or already there (folded).
func (fv facetValues) add(facet, v string) {
	v = strings.Join(strings.Fields(v), " ")
	if v == "" {
		return
	}
	k := Fold(v)
	if slices.ContainsFunc(fv[facet], func(x string) bool { return Fold(x) == k }) {
		return
	}
	fv[facet] = append(fv[facet], v)
}

// put writes the facet fields into doc: display values and folded keys.
func (fv facetValues) put(doc map[string]any) {
	var all []string
	for _, f := range Facets {
		vals := fv[f]
		if len(vals) == 0 {
			continue
		}
		keys := make([]string, len(vals))
		for i, v := range vals {
			keys[i] = Fold(v)
			all = append(all, f+pairSep+v)
		}
		doc[f+keySuffix] = keys
	}
	if len(all) > 0 {
		doc[fFacets] = all
	}
}

// dateKey sorts missions by date: the start date, else the end date, else the
// year alone (which sorts before any date of that year).
func dateKey(m *mission.Mission) string {
	switch {
	case m.StartDate != nil && *m.StartDate != "":
		return *m.StartDate
	case m.EndDate != nil && *m.EndDate != "":
		return *m.EndDate
	case m.Year != nil:
		return fmt.Sprintf("%04d", *m.Year)
	}
	return ""
}

// commonFields are the fields missions and their passages share: facets,
// year, date and places.
func commonFields(m *mission.Mission, fv facetValues) map[string]any {
	doc := map[string]any{}
	fv.put(doc)
	if m.Year != nil {
		doc[fYearN] = float64(*m.Year)
	}
	if d := dateKey(m); d != "" {
		doc[fDate] = d
	}
	var places []string
	for _, d := range m.Destinations {
		for _, p := range []string{d.City, d.Country} {
			if k := Fold(p); k != "" && !slices.Contains(places, k) {
				places = append(places, k)
			}
		}
	}
	if len(places) > 0 {
		doc[fPlace] = places
	}
	return doc
}

// missionDoc is the document that ranks a mission: its structure in separate
// fields so that a query can weigh a title above a passing mention. Its
// destinations hold the world regions of their countries (zones, when not
// nil), so that « missions en Asie » finds the missions to Yokohama.
func missionDoc(m *mission.Mission, fp string, zones func(country string) []string) (map[string]any, error) {
	fv := missionFacets(m)
	doc := commonFields(m, fv)
	if m.Title != nil {
		doc[fTitle] = *m.Title
	}
	var dest []string
	for _, d := range m.Destinations {
		dest = append(dest, strings.TrimSpace(d.City+" "+d.Country))
	}
	var regions []string
	for _, d := range m.Destinations {
		if zones == nil || d.Country == "" {
			continue
		}
		for _, z := range zones(d.Country) {
			if !slices.Contains(regions, z) {
				regions = append(regions, z)
			}
		}
	}
	dest = append(dest, regions...)
	doc[fDest] = strings.Join(dest, " ; ")
	var lead []string
	for _, o := range m.Objectives {
		lead = append(lead, o.Text)
	}
	for _, o := range m.Outcomes {
		if o.Title != nil {
			lead = append(lead, *o.Title)
		}
		lead = append(lead, o.Text)
	}
	doc[fLead] = strings.Join(lead, "\n")
	var heads []string
	for _, o := range m.Outcomes {
		for _, h := range []string{derefOr(o.Title, ""), derefOr(o.Category, "")} {
			if h != "" && !slices.Contains(heads, h) {
				heads = append(heads, h)
			}
		}
	}
	for _, s := range m.Sections {
		if s.Heading != "" && !slices.Contains(heads, s.Heading) {
			heads = append(heads, s.Heading)
		}
	}
	doc[fHeads] = strings.Join(heads, "\n")
	doc[fNames] = strings.Join(m.Organizations, " ; ")
	body := m.Text
	if strings.TrimSpace(body) == "" {
		body = strings.Join(append(append([]string{derefOr(m.Title, "")}, dest...), lead...), "\n")
	}
	doc[fBody] = body
	doc[fRoot] = body
	doc[fExact] = body
	secs := map[string][]string{}
	for _, s := range m.Sections {
		secs[s.Kind] = append(secs[s.Kind], s.Heading, s.Text)
	}
	// Objectives and outcomes found without their own section still count as
	// text of that kind.
	if len(secs[mission.KindObjectives]) == 0 {
		for _, o := range m.Objectives {
			secs[mission.KindObjectives] = append(secs[mission.KindObjectives], o.Text)
		}
	}
	if len(secs[mission.KindOutcomes]) == 0 {
		for _, o := range m.Outcomes {
			secs[mission.KindOutcomes] = append(secs[mission.KindOutcomes], derefOr(o.Category, ""), derefOr(o.Title, ""), o.Text)
		}
	}
	for k, parts := range secs {
		if slices.Contains(mission.Kinds, k) {
			doc[fSecPfx+k] = strings.Join(parts, "\n")
		}
	}
	doc[fFP] = fp
	mm := metaOf(m)
	mm.Passages = len(passages(m))
	meta, err := json.Marshal(mm)
	if err != nil {
		return nil, err
	}
	doc[fMeta] = string(meta)
	return doc, nil
}

func derefOr(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

// maxPassage bounds a section passage: longer sections are cut at line ends
// so that a hit points at the part that matched.
const maxPassage = 4000

// passages lists the passages of m: every objective, every outcome, and the
// sections that do not merely repeat them.
func passages(m *mission.Mission) []passageMeta {
	var out []passageMeta
	for _, o := range m.Objectives {
		out = append(out, passageMeta{Kind: KindObjective, Section: mission.KindObjectives, Text: o.Text, Page: o.Page})
	}
	for _, o := range m.Outcomes {
		out = append(out, passageMeta{Kind: KindOutcome, Section: mission.KindOutcomes, Category: o.Category, Title: o.Title, Text: o.Text, Page: o.Page, Themes: o.Themes})
	}
	for _, s := range m.Sections {
		if s.Kind == mission.KindObjectives && len(m.Objectives) > 0 || s.Kind == mission.KindOutcomes && len(m.Outcomes) > 0 {
			continue
		}
		for _, part := range split(s.Text, maxPassage) {
			out = append(out, passageMeta{Kind: KindSection, Section: s.Kind, Heading: s.Heading, Text: part, Page: s.Page})
		}
	}
	if len(m.Sections) == 0 {
		for _, part := range split(m.Text, maxPassage) {
			out = append(out, passageMeta{Kind: KindSection, Section: mission.KindOther, Text: part})
		}
	}
	for i := range out {
		out[i].Ord = i
	}
	return out
}

// split cuts s into pieces of at most about max bytes, at line ends when it can.
func split(s string, max int) []string {
	s = strings.TrimSpace(s)
	var out []string
	for len(s) > max {
		cut := strings.LastIndexByte(s[:max], '\n')
		if cut < max/2 {
			cut = strings.LastIndexByte(s[:max], ' ')
		}
		if cut <= 0 {
			cut = max
			for cut < len(s) && !isRuneStart(s[cut]) {
				cut++
			}
		}
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// passageID names passage i of mission id; "/" cannot be confused with the
// mission ids the store makes (hex digests).
func passageID(id string, i int) string { return id + "/" + strconv.Itoa(i) }

// passageDoc is one passage's document: its text, and its mission's facets so
// that Outcomes and Compare filter and count without a second query.
func passageDoc(m *mission.Mission, fv facetValues, p passageMeta) (map[string]any, error) {
	pf := facetValues{}
	for f, v := range fv {
		pf[f] = v
	}
	// A passage has its own category, section kind and themes.
	delete(pf, FacetCategory)
	delete(pf, FacetSection)
	pf.add(FacetSection, p.Section)
	if p.Category != nil {
		pf.add(FacetCategory, *p.Category)
	}
	if p.Kind == KindOutcome && len(p.Themes) > 0 {
		delete(pf, FacetTheme)
		for _, t := range p.Themes {
			pf.add(FacetTheme, t)
		}
	}
	doc := commonFields(m, pf)
	doc[fMission] = m.MissionID
	doc[fKind] = p.Kind
	doc[fOrd] = float64(p.Ord)
	title := derefOr(p.Title, p.Heading)
	if title != "" {
		doc[fTitle] = title
	}
	doc[fText] = p.Text
	// Text alone, so that offsets in these fields are the text's (highlights).
	doc[fExact] = p.Text
	doc[fRoot] = p.Text
	if p.Kind == KindOutcome {
		cat := "" // an outcome without a category still counts, in an empty column
		if p.Category != nil {
			cat = strings.Join(strings.Fields(*p.Category), " ")
		}
		splits := map[string][]string{FacetCategory: {cat}, FacetTheme: pf[FacetTheme]}
		for _, by := range compareBy {
			for _, sp := range compareSplit {
				var pairs []string
				for _, a := range pf[by] {
					for _, b := range splits[sp] {
						pairs = append(pairs, a+pairSep+b)
					}
				}
				if len(pairs) > 0 {
					doc[pairField(by, sp)] = pairs
				}
			}
		}
	}
	p.Text = "" // stored once, in fText, which the highlighter reads
	meta, err := json.Marshal(storedPassage{Mission: metaOf(m), Passage: p})
	if err != nil {
		return nil, err
	}
	doc[fMeta] = string(meta)
	return doc, nil
}
