package index

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Weights of the structure, in one place. Bleve's classic TF-IDF already
// favours short fields (its length norm is 1/√length), so a word of a
// ten-word title weighs about ten times a word of a thousand-word body before
// these boosts; they add what a reader adds: destinations and titles name
// what a mission was about, objectives and outcomes what it was for.
const (
	wTitle = 2.0 // mission title; passage title or heading
	wDest  = 3.0 // destinations ("City Country")
	wLead  = 1.5 // objectives and outcomes
	wNames = 1.0 // organizations met
	wHeads = 2.0 // outcome titles and categories, section headings
	wRoot  = 0.5 // a word of the same root (« partenaire » for « partenariat »)
	wFuzzy = 0.3 // a word within one edit of a query word (typos)
	wPair  = 1.0 // two query words side by side, as typed
	wAll   = 1.0 // every query word present
	wPlace = 3.0 // the query names a place the mission went to

	minFuzzyRunes  = 6  // shorter words are too often one edit from another word
	maxFuzzyRunes  = 24 // longer "words" are pastes; their automaton is costly
	minPrefixRunes = 3  // « a* » would read half the dictionary
	maxPlaceWords  = 4  // longest place name looked up in a query ("Saint-Jean-de-Luz")
)

// word is one analysed query word.
type word struct {
	stem  string // as the French analyzer indexes it
	exact string // folded, unstemmed
	root  string // the stem's first letters (AnalyzerRoot)
	start int    // byte offsets in the text it came from
	end   int
	pos   int // position in that text, stop words counted
}

// plan is a parsed and analysed query, before it becomes Bleve queries for
// one index or the other.
type plan struct {
	text    string   // the free words' text (pairs are cut from it)
	words   []word   // free words: the more a document has, the better
	phrases []string // required phrases
	must    []word   // required words (advanced)
	not     []word   // excluded words (advanced)
	prefix  []clause // word* (advanced)
	fields  []clause // field:value on a text field (advanced)
	places  []string // folded place names the query may name
	filters map[string][]string

	analyzed map[string][]word // phrases' and field values' words
}

// empty reports whether the plan has nothing to match text against.
func (p *plan) empty() bool {
	return len(p.words) == 0 && len(p.phrases) == 0 && len(p.must) == 0 && len(p.prefix) == 0 && len(p.fields) == 0
}

// stems lists every stem the query looks for, for the section filter.
func (p *plan) stems(ix *Index) []string {
	var out []string
	add := func(ws []word) {
		for _, w := range ws {
			if !slices.Contains(out, w.stem) {
				out = append(out, w.stem)
			}
		}
	}
	add(p.words)
	add(p.must)
	for _, ph := range p.phrases {
		add(p.analyzed[ph])
	}
	for _, f := range p.fields {
		add(p.analyzed[f.Text])
	}
	return out
}

// analyze turns text into query words: stemmed as the index stems them, and
// unstemmed for typos; stop words go, repeated words count once.
func (ix *Index) analyze(text string) []word {
	var out []word
	for _, t := range ix.fr.Analyze([]byte(text)) {
		w := word{stem: string(t.Term), start: t.Start, end: t.End, pos: t.Position}
		if ex := ix.exact.Analyze([]byte(text[t.Start:t.End])); len(ex) > 0 {
			w.exact = string(ex[0].Term)
		}
		if r := ix.root.Analyze([]byte(text[t.Start:t.End])); len(r) > 0 {
			w.root = string(r[0].Term)
		}
		if slices.ContainsFunc(out, func(o word) bool { return o.stem == w.stem }) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// newPlan parses and analyses q.
func (ix *Index) newPlan(q Query) (*plan, error) {
	filters, err := normFilters(q.Filters)
	if err != nil {
		return nil, err
	}
	p := &plan{filters: filters}
	var free []string
	for _, c := range parse(q.Text, q.Advanced) {
		switch {
		case c.Field != "" && c.Field != "title" && c.Field != "text":
			if c.Not || c.Field == FacetYear && !isYear(c.Text) {
				continue
			}
			p.filters[c.Field] = append(p.filters[c.Field], c.Text)
		case c.Field != "":
			p.fields = append(p.fields, c)
		case c.Prefix && utf8.RuneCountInString(Fold(c.Text)) >= minPrefixRunes:
			if !slices.ContainsFunc(p.prefix, func(o clause) bool { return Fold(o.Text) == Fold(c.Text) }) {
				p.prefix = append(p.prefix, c)
			}
		case c.Prefix:
			free = append(free, c.Text)
		case c.Phrase && !c.Not:
			if !slices.Contains(p.phrases, c.Text) {
				p.phrases = append(p.phrases, c.Text)
			}
		case c.Not:
			p.not = append(p.not, ix.analyze(c.Text)...)
		case c.Must:
			p.must = append(p.must, ix.analyze(c.Text)...)
		default:
			free = append(free, c.Text)
		}
	}
	p.text = strings.Join(free, " ")
	p.words = ix.analyze(p.text)
	p.analyzed = map[string][]word{}
	for _, t := range p.phrases {
		p.analyzed[t] = ix.analyze(t)
	}
	for _, c := range p.fields {
		p.analyzed[c.Text] = ix.analyze(c.Text)
	}
	p.places = ix.placeNames(q.Text)
	return p, nil
}

// placeNames returns the folded word sequences of text (up to maxPlaceWords
// words) and, through Places, the French names they stand for. Looking every
// sequence up as a term is cheaper than deciding which ones are places: a
// sequence no mission went to matches nothing.
func (ix *Index) placeNames(text string) []string {
	var toks []string
	for _, t := range ix.exact.Analyze([]byte(text)) {
		toks = append(toks, string(t.Term))
	}
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for i := range toks {
		for n := 1; n <= maxPlaceWords && i+n <= len(toks); n++ {
			name := strings.Join(toks[i:i+n], " ")
			if n == 1 && utf8.RuneCountInString(name) < 3 {
				continue // articles and prepositions
			}
			add(name)
			if ix.places != nil {
				if c, ok := ix.places.Canonical(name); ok {
					add(Fold(c))
				}
			}
		}
	}
	if len(out) > 3*maxClauses {
		out = out[:3*maxClauses]
	}
	return out
}

func isYear(s string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil && n >= 1000 && n <= 9999
}

// normFilters checks filter names and values and drops empty values.
func normFilters(in map[string][]string) (map[string][]string, error) {
	out := map[string][]string{}
	for f, vs := range in {
		if !slices.Contains(Facets, f) {
			return nil, fmt.Errorf("%w: filtre inconnu « %s » (filtres possibles : %s)", ErrBadQuery, f, strings.Join(Facets, ", "))
		}
		for _, v := range vs {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if f == FacetYear && !isYear(v) {
				return nil, fmt.Errorf("%w: année « %s » invalide : indiquez une année sur quatre chiffres, par exemple 2023", ErrBadQuery, v)
			}
			out[f] = append(out[f], v)
		}
	}
	return out, nil
}

// Bleve query helpers.

func boosted(q query.BoostableQuery, b float64) query.Query {
	if b != 1 {
		q.SetBoost(b)
	}
	return q
}

func term(field, t string, boost float64) query.Query {
	return boosted(termQuery(field, t), boost)
}

func fuzzy(field, t string, boost float64) query.Query {
	q := query.NewFuzzyQuery(t)
	q.SetField(field)
	q.SetFuzziness(1)
	q.SetPrefix(1)
	return boosted(q, boost)
}

func phrase(field, text string, boost float64) query.Query {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
	return boosted(q, boost)
}

func or(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

func and(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// plus adds the scores of the bonuses that match to base's, without the
// coordination factor a disjunction would apply: documents are those of base.
func plus(base query.Query, bonuses ...query.Query) query.Query {
	for _, b := range bonuses {
		if b == nil {
			continue
		}
		bq := query.NewBooleanQuery([]query.Query{base}, []query.Query{b}, nil)
		base = bq
	}
	return base
}

// filter wraps a query so that it selects without scoring.
func filter(q query.BoostableQuery) query.Query { return boosted(q, 0) }

// missionQuery builds the query that selects and ranks missions for p, or
// nil when p has no text. Every word the query names is ranked by rankQuery;
// what the syntax requires or excludes only selects.
func missionQuery(p *plan, st *stats) query.Query {
	var words []rankWord
	seg := 0
	add := func(ws []word) {
		for _, w := range ws {
			if !slices.ContainsFunc(words, func(o rankWord) bool { return o.stem == w.stem }) {
				words = append(words, rankWord{stem: w.stem, exact: w.exact, root: w.root, pos: w.pos, seg: seg})
			}
		}
		seg++
	}
	add(p.words)
	add(p.must)
	var sel []query.Query
	for _, ph := range p.phrases {
		add(p.analyzed[ph])
		sel = append(sel, filter(phraseQuery(fExact, ph)))
	}
	for _, w := range p.must {
		sel = append(sel, filterTerm(fBody, w.stem))
	}
	for _, c := range p.prefix {
		if t := strings.ReplaceAll(Fold(c.Text), " ", ""); t != "" {
			pq := query.NewPrefixQuery(t)
			pq.SetField(fExact)
			sel = append(sel, filter(pq))
		}
	}
	for _, c := range p.fields {
		add(p.analyzed[c.Text])
		field := fBody
		if c.Field == "title" {
			field = fTitle
		}
		if c.Phrase {
			sel = append(sel, filter(phraseQuery(field, c.Text)))
		} else {
			mq := query.NewMatchQuery(c.Text)
			mq.SetField(field)
			mq.SetOperator(query.MatchQueryOperatorAnd)
			sel = append(sel, filter(mq))
		}
	}
	var qs []query.Query
	if len(words) > 0 {
		qs = append(qs, &rankQuery{words: words, places: p.places, stats: st})
	}
	qs = append(qs, sel...)
	var q query.Query
	switch {
	case len(qs) > 0:
		q = and(qs...)
	case len(p.not) > 0:
		q = query.NewMatchAllQuery()
	default:
		return nil
	}
	if len(p.not) > 0 {
		var nots []query.Query
		for _, w := range p.not {
			nots = append(nots, term(fBody, w.stem, 1))
		}
		q = query.NewBooleanQuery([]query.Query{q}, nil, nots)
	}
	return q
}

func phraseQuery(field, text string) *query.MatchPhraseQuery {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
	return q
}

// fieldSet names the fields a query reads in one of the two indexes.
type fieldSet struct {
	body   string // every word of the document
	extra  []weighted
	exact  string
	root   string
	phrase string // where phrases and word pairs are matched
}

type weighted struct {
	field  string
	weight float64
}

var missionFields = fieldSet{
	body:   fBody,
	extra:  []weighted{{fTitle, wTitle}, {fDest, wDest}, {fLead, wLead}, {fHeads, wHeads}, {fNames, wNames}},
	exact:  fExact,
	root:   fRoot,
	phrase: fBody,
}

var passageFields = fieldSet{
	body:   fText,
	extra:  []weighted{{fTitle, wTitle}},
	exact:  fExact,
	root:   fRoot,
	phrase: fText,
}

// wordQuery matches one query word: in the body (which holds everything), more
// where the structure says it matters, and, weakly, within one edit.
func wordQuery(fs fieldSet, w word) query.Query {
	var bonus []query.Query
	for _, e := range fs.extra {
		bonus = append(bonus, term(e.field, w.stem, e.weight))
	}
	var main query.Query
	if fs.body == fText {
		// A passage's title is not part of its text.
		main = or(append([]query.Query{term(fs.body, w.stem, 1)}, bonus...)...)
	} else {
		main = plus(term(fs.body, w.stem, 1), bonus...)
	}
	alts := []query.Query{main}
	if w.root != "" {
		alts = append(alts, term(fs.root, w.root, wRoot))
	}
	if n := utf8.RuneCountInString(w.exact); n >= minFuzzyRunes && n <= maxFuzzyRunes {
		alts = append(alts, fuzzy(fs.exact, w.exact, wFuzzy))
	}
	return or(alts...)
}

// textQuery builds the scoring query of p over fs, or nil when p has no text.
// Documents with any of the free words match, those with more of them rank
// higher (the disjunction's coordination factor), those with all of them
// higher still; words side by side as typed and places named add to it.
func textQuery(p *plan, fs fieldSet, places bool) query.Query {
	var should query.Query
	if len(p.words) > 0 {
		var ws []query.Query
		for _, w := range p.words {
			ws = append(ws, wordQuery(fs, w))
		}
		should = or(ws...)
		if len(ws) > 1 {
			var pairs []query.Query
			for i := 0; i+1 < len(p.words); i++ {
				a, b := p.words[i], p.words[i+1]
				if a.start < b.start {
					pairs = append(pairs, phrase(fs.phrase, p.text[a.start:b.end], wPair))
				}
			}
			var all query.Query
			if wAll > 0 {
				all = boosted(query.NewConjunctionQuery(ws), wAll)
			}
			var pq query.Query
			if len(pairs) > 0 {
				pq = or(pairs...)
			}
			should = plus(should, all, pq)
		}
		if places && len(p.places) > 0 {
			var pl []query.Query
			for _, name := range p.places {
				pl = append(pl, term(fPlace, name, wPlace))
			}
			should = plus(should, or(pl...))
		}
	}
	var must []query.Query
	for _, ph := range p.phrases {
		must = append(must, phrase(fs.exact, ph, 1))
	}
	for _, w := range p.must {
		must = append(must, wordQuery(fs, w))
	}
	for _, c := range p.prefix {
		if t := Fold(c.Text); t != "" {
			pq := query.NewPrefixQuery(strings.ReplaceAll(t, " ", ""))
			pq.SetField(fs.exact)
			must = append(must, pq)
		}
	}
	for _, c := range p.fields {
		field := fs.body
		if c.Field == "title" {
			field = fTitle
		}
		if c.Phrase {
			must = append(must, phrase(field, c.Text, 1))
		} else {
			mq := query.NewMatchQuery(c.Text)
			mq.SetField(field)
			mq.SetOperator(query.MatchQueryOperatorAnd)
			must = append(must, mq)
		}
	}
	var q query.Query
	switch {
	case len(must) == 0 && should == nil:
		if len(p.not) == 0 {
			return nil
		}
		q = query.NewMatchAllQuery()
	case len(must) == 0:
		q = should
	default:
		q = and(must...)
		if should != nil {
			q = plus(q, should)
		}
	}
	if len(p.not) > 0 {
		var nots []query.Query
		for _, w := range p.not {
			nots = append(nots, term(fs.body, w.stem, 1))
		}
		q = query.NewBooleanQuery([]query.Query{q}, nil, nots)
	}
	return q
}

// filterQuery selects documents by facet values: OR within a facet, AND
// across facets, each facet except the one named skip (for multi-select
// counts). year_from / year_to belong to the year facet. Section filters
// need the query's stems: a selected kind means "where the text matches".
func filterQuery(p *plan, q Query, skip string, stems []string) []query.Query {
	var out []query.Query
	for _, f := range Facets {
		vs := p.filters[f]
		if f == skip || len(vs) == 0 {
			continue
		}
		var alts []query.Query
		for _, v := range vs {
			if f == FacetSection && len(stems) > 0 {
				k := Fold(v)
				for _, s := range stems {
					alts = append(alts, filterTerm(fSecPfx+k, s))
				}
				continue
			}
			alts = append(alts, filterTerm(f+keySuffix, Fold(v)))
		}
		out = append(out, or(alts...))
	}
	if skip != FacetYear && (q.YearFrom != 0 || q.YearTo != 0) {
		var lo, hi *float64
		if q.YearFrom != 0 {
			v := float64(q.YearFrom)
			lo = &v
		}
		if q.YearTo != 0 {
			v := float64(q.YearTo)
			hi = &v
		}
		t := true
		r := query.NewNumericRangeInclusiveQuery(lo, hi, &t, &t)
		r.SetField(fYearN)
		out = append(out, filter(r))
	}
	return out
}

func filterTerm(field, t string) query.Query { return filter(termQuery(field, t)) }

// tokens is a helper for tests: the terms an analyzer makes of text.
func tokens(a analysis.Analyzer, text string) []string {
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}
