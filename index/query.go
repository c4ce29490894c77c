package index

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Limits on what a query word costs.
const (
	minFuzzyRunes  = 6  // shorter words are too often one edit from another word
	maxFuzzyRunes  = 24 // longer "words" are pastes; their automaton is costly
	minPrefixRunes = 3  // « a* » would read half the dictionary
	maxPlaceWords  = 4  // longest place name looked up in a query ("Saint-Jean-de-Luz")
)

// word is one analysed query word.
type word struct {
	stem  string     // as the French analyzer indexes it
	exact string     // folded, unstemmed
	root  string     // the stem's first letters (AnalyzerRoot)
	pos   int        // position in its text, stop words counted
	syns  [][]string // its synonyms' distinct stems (free words only)
}

// plan is a parsed and analysed query, before it becomes Bleve queries for
// one index or the other.
type plan struct {
	words   []word      // free words: the more a document has, the better
	phrases []string    // required phrases
	must    []word      // required words (advanced)
	not     []word      // excluded words (advanced)
	prefix  []clause    // word* (advanced)
	fields  []clause    // field:value on a text field (advanced)
	places  []placeName // place names the query may name
	years   []string    // years the query names
	filters map[string][]string

	analyzed map[string][]word   // phrases' and field values' words
	fuzzy    map[string][]string // exact word -> indexed words one typo away
}

// stems lists every stem the query looks for, for the section filter.
func (p *plan) stems() []string {
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
		w := word{stem: string(t.Term), pos: t.Position}
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
	p.words = dropFrame(ix.analyze(strings.Join(free, " ")))
	ix.synonyms.expand(p.words)
	p.analyzed = map[string][]word{}
	for _, t := range p.phrases {
		p.analyzed[t] = ix.analyze(t)
	}
	for _, c := range p.fields {
		p.analyzed[c.Text] = ix.analyze(c.Text)
	}
	p.places = ix.placeNames(q.Text)
	for _, w := range p.words {
		if isYear(w.exact) && !slices.Contains(p.years, w.exact) {
			p.years = append(p.years, w.exact)
		}
	}
	var exact []string
	for _, ws := range append([][]word{p.words, p.must}, slices.Collect(maps.Values(p.analyzed))...) {
		for _, w := range ws {
			exact = append(exact, w.exact)
		}
	}
	if p.fuzzy, err = ix.typos(exact); err != nil {
		return nil, err
	}
	return p, nil
}

// frameWords are the words with which staff ask about the archive rather
// than name a subject (« quelles missions concernent… », « qu'est-ce que
// les autres villes nous ont appris… »), as AnalyzerExact folds them.
var frameWords = map[string]bool{
	"mission": true, "missions": true, "rapport": true, "rapports": true,
	"appris": true, "apprendre": true, "retenu": true, "retenus": true, "retenir": true,
	"concerne": true, "concernent": true, "concernant": true, "comment": true,
	"autre": true, "autres": true, "quel": true, "quels": true, "quelle": true, "quelles": true,
	"lesquels": true, "lesquelles": true, "parle": true, "parlent": true, "traite": true, "traitent": true,
	"traitant": true, "portant": true, "touchant": true, "lie": true, "lies": true, "liee": true, "liees": true,
	"relatif": true, "relatifs": true, "relative": true, "relatives": true,
	"consacre": true, "consacres": true, "consacree": true, "consacrees": true,
}

// dropFrame drops the frame words of a query that has other words.
func dropFrame(ws []word) []word {
	kept := slices.DeleteFunc(slices.Clone(ws), func(w word) bool { return frameWords[w.exact] })
	if len(kept) == 0 {
		return ws
	}
	return kept
}

// typos finds, once per query, the indexed words one edit away from each
// long query word (its first letter kept), the most frequent first: both
// indexes look them up as plain terms, where Bleve's fuzzy query would build
// its automaton again for every passage search.
func (ix *Index) typos(words []string) (map[string][]string, error) {
	out := map[string][]string{}
	var todo []string
	for _, w := range words {
		if n := utf8.RuneCountInString(w); n >= minFuzzyRunes && n <= maxFuzzyRunes && !slices.Contains(todo, w) {
			todo = append(todo, w)
		}
	}
	if len(todo) == 0 {
		return out, nil
	}
	adv, err := ix.missions.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: typos: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: typos: %w", err)
	}
	defer r.Close()
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return out, nil
	}
	for _, w := range todo {
		_, size := utf8.DecodeRuneInString(w)
		dict, err := fr.FieldDictFuzzy(fExact, w, 1, w[:size])
		if err != nil {
			return nil, fmt.Errorf("index: typos: %w", err)
		}
		var found []*index.DictEntry
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, fmt.Errorf("index: typos: %w", err)
			}
			if e == nil {
				break
			}
			if e.Term != w {
				found = append(found, &index.DictEntry{Term: e.Term, Count: e.Count})
			}
		}
		if err := dict.Close(); err != nil {
			return nil, fmt.Errorf("index: typos: %w", err)
		}
		slices.SortFunc(found, func(a, b *index.DictEntry) int { return cmp.Compare(b.Count, a.Count) })
		for _, e := range found[:min(len(found), maxFuzzyTerms)] {
			out[w] = append(out[w], e.Term)
		}
	}
	return out, nil
}

// placeNames returns the folded word sequences of text (up to maxPlaceWords
// words) and, through Places, the French names they stand for. Looking every
// sequence up as a term is cheaper than deciding which ones are places: a
// sequence no mission went to matches nothing.
func (ix *Index) placeNames(text string) []placeName {
	var toks []string
	for _, t := range ix.exact.Analyze([]byte(text)) {
		toks = append(toks, string(t.Term))
	}
	var out []placeName
	add := func(s string) {
		if s != "" && !slices.ContainsFunc(out, func(p placeName) bool { return p.key == s }) {
			var stems []string
			for _, t := range ix.fr.Analyze([]byte(s)) {
				stems = append(stems, string(t.Term))
			}
			out = append(out, placeName{key: s, stems: stems})
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

// filter wraps a query so that it selects without scoring.
func filter(q query.BoostableQuery) query.Query { return boosted(q, 0) }

// rankedQuery builds the query that selects and ranks documents of one index
// (prof) for p, or nil when p has no text. Every word the query names is
// ranked by rankQuery; what the syntax requires or excludes only selects.
func rankedQuery(p *plan, prof *profile, avg [nRoles]float64, places bool) query.Query {
	rq, sel, nots := rankParts(p, prof, avg, places)
	if rq != nil {
		sel = append([]query.Query{rq}, sel...)
	}
	return selection(sel, nots)
}

// selection is the query for what only selects among the documents (sel
// required, nots excluded), nil when nothing does.
func selection(sel, nots []query.Query) query.Query {
	var q query.Query
	switch {
	case len(sel) > 0:
		q = and(sel...)
	case len(nots) > 0:
		q = query.NewMatchAllQuery()
	default:
		return nil
	}
	if len(nots) > 0 {
		q = query.NewBooleanQuery([]query.Query{q}, nil, nots)
	}
	return q
}

// rankParts splits the text of p into what ranks (a rankQuery over the
// words, nil when none), what selects (phrases, required and prefixed
// words, field clauses) and what excludes.
func rankParts(p *plan, prof *profile, avg [nRoles]float64, places bool) (rq *rankQuery, sel, nots []query.Query) {
	var words []rankWord
	seg := 0
	add := func(ws []word) {
		for _, w := range ws {
			if !slices.ContainsFunc(words, func(o rankWord) bool { return o.stem == w.stem }) {
				words = append(words, rankWord{stem: w.stem, root: w.root, fuzzy: p.fuzzy[w.exact], syns: w.syns, pos: w.pos, seg: seg})
			}
		}
		seg++
	}
	body := prof.field[roleBody]
	// A word required or excluded may sit in the title, which a passage's
	// text does not hold.
	anywhere := func(stem string) query.Query {
		if t := prof.field[roleTitle]; t != "" && body == fText {
			return or(termQuery(body, stem), termQuery(t, stem))
		}
		return termQuery(body, stem)
	}
	add(p.words)
	add(p.must)
	for _, ph := range p.phrases {
		add(p.analyzed[ph])
		sel = append(sel, filter(phraseQuery(fExact, ph)))
	}
	for _, w := range p.must {
		sel = append(sel, boosted(anywhere(w.stem).(query.BoostableQuery), 0))
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
		field := body
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
	if len(words) > 0 {
		rq = &rankQuery{words: words, prof: prof, avg: avg}
		if places {
			rq.places, rq.years = p.places, p.years
		}
	}
	for _, w := range p.not {
		nots = append(nots, anywhere(w.stem))
	}
	return rq, sel, nots
}

func phraseQuery(field, text string) *query.MatchPhraseQuery {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
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
