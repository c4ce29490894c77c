package index

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// Ranking. Bleve's own scoring gives little hold on structure: its TF-IDF
// computes a separate IDF per field (a word rare in titles weighs ten times
// its weight in the text), compound queries multiply by coordination factors
// at every level, and its BM25 estimates lengths from dictionary sizes. So
// missions, and passages, are ranked by rankQuery, a Bleve query whose
// searcher reads the posting lists itself and scores each document as a
// reader would:
//
//   - per query word, BM25 over the content (for a mission, its text with
//     objectives and outcomes counting twice), plus saturated bonuses for the
//     title, the destinations, the outcome titles and headings, and the
//     organizations: a word in the title says what the mission was about
//     however often the text repeats it;
//   - one IDF per word, from the content;
//   - a word absent as such may be met by its root (« partenaire » for
//     « partenariat ») or, for long words, within one typo, both weighed low;
//   - the sum is multiplied by the share of the query's weight (IDF) found,
//     squared, and by a bonus when every word is there: documents with all
//     the words first, then those with most of them;
//   - query words found side by side (as typed, stop words aside) add to it;
//   - a query naming a city or country a mission went to (unless most reports
//     name it: the home city), or its year, multiplies its score.
//
// Filters, facets, sorting and paging stay Bleve's: rankQuery is one more
// query in a conjunction.
const (
	k1 = 1.2

	wContentLead = 1.0 // an objective or outcome word counts this much more in the content
	wTitleBonus  = 1.0
	wDestBonus   = 1.5
	wHeadsBonus  = 0.6
	wNamesBonus  = 0.5
	wRootTF      = 0.4 // a word of the same root, per occurrence
	wFuzzyTF     = 0.3 // a word one typo away, per occurrence, when the word itself is absent
	wSynTF       = 0.4 // a synonym (synonyms.go), per occurrence
	wPartTF      = 0.1 // the rarest word of a synonym of several words without enough of the others

	coverRoot  = 0.7 // how much a root-only match covers of its word
	coverFuzzy = 0.5 // and a typo-only match
	coverSyn   = 0.7 // and a synonym-only match (at most coverRoot: the engine's bound counts it as a root)
	coverPart  = 0.3 // and a match of a synonym's rarest word alone

	coverPower = 2.0 // final ∝ coverage^coverPower
	allBonus   = 0.5 // final × (1+allBonus) when every word is found as such or by its root

	wPairExact = 1.0 // × the pair's smaller IDF, words in the typed order and distance
	wPairNear  = 0.5 // words within pairSlack of it
	pairSlack  = 2

	wCity    = 1.0 // final × (1+wCity) when the query names a destination city
	wCountry = 0.5 // or a destination country
	wYear    = 0.5 // final × (1+wYear) when the query names the mission's year

	maxFuzzyTerms   = 8  // expansions kept per word, most frequent first
	maxSynonymLists = 64 // posting lists of synonyms one query reads, its first words first
)

// roles of a posting list.
const (
	roleBody = iota // the content
	roleLead        // objectives and outcomes (part of the content too)
	roleTitle
	roleDest
	roleHeads
	roleNames
	roleRoot
	roleFuzzy
	roleSyn     // a synonym, or the rarest word of a synonym of several words
	roleSynPart // another word of such a synonym: it must be there too, and counts no more
	roleCity
	roleCountry
	roleYear
	nRoles
)

// profile says which field plays each role in one of the two indexes, with
// its BM25 length normalisation (b, 0 for fields whose length says nothing)
// and the stats key of its average length.
type profile struct {
	field     [nRoles]string
	b         [nRoles]float64
	avgKey    [nRoles]string
	highlight [nRoles]string // the stored field a match's offsets point into
}

var missionProfile = &profile{
	field: [nRoles]string{roleBody: fBody, roleLead: fLead, roleTitle: fTitle, roleDest: fDest, roleHeads: fHeads, roleNames: fNames,
		roleRoot: fRoot, roleFuzzy: fExact, roleSyn: fBody, roleSynPart: fBody,
		roleCity: FacetCity + keySuffix, roleCountry: FacetCountry + keySuffix, roleYear: FacetYear + keySuffix},
	b: [nRoles]float64{roleBody: 0.75, roleLead: 0.75, roleTitle: 0.3, roleHeads: 0.3, roleNames: 0.3, roleRoot: 0.75, roleFuzzy: 0.75, roleSyn: 0.75},
	avgKey: [nRoles]string{roleBody: fBody, roleLead: fLead, roleTitle: fTitle, roleDest: fDest, roleHeads: fHeads, roleNames: fNames,
		roleRoot: fBody, roleFuzzy: fExact, roleSyn: fBody},
}

// passageProfile ranks the passages of a hit, and outcomes. The root and
// exact fields of a passage hold its text alone, so their offsets are the
// text's and their matches can be highlighted.
var passageProfile = &profile{
	field:     [nRoles]string{roleBody: fText, roleTitle: fTitle, roleRoot: fRoot, roleFuzzy: fExact, roleSyn: fText, roleSynPart: fText},
	b:         [nRoles]float64{roleBody: 0.5, roleTitle: 0.3, roleRoot: 0.5, roleFuzzy: 0.5, roleSyn: 0.5},
	avgKey:    [nRoles]string{roleBody: pText, roleTitle: pTitle, roleRoot: pText, roleFuzzy: pExact, roleSyn: pText},
	highlight: [nRoles]string{roleBody: fText, roleTitle: fTitle, roleRoot: fText, roleFuzzy: fText, roleSyn: fText, roleSynPart: fText},
}

// rankWord is a query word as rankQuery looks for it.
type rankWord struct {
	stem, root string
	fuzzy      []string   // terms of the exact field one typo away
	syns       [][]string // synonyms, each as its distinct stems
	pos        int        // position in the query, stop words counted
	seg        int        // words of different segments (free text, a phrase) are never paired
}

// placeName is a place the query may name: its folded name, as the city and
// country keys hold it, and its stems, as the content holds it.
type placeName struct {
	key   string
	stems []string
}

// rankQuery implements query.Query.
type rankQuery struct {
	words  []rankWord
	places []placeName // looked up among destination cities and countries
	years  []string    // years the query names
	prof   *profile
	avg    [nRoles]float64 // average field lengths
}

// listSpec is one posting list a rankQuery reads: a term of the field that
// plays role, for word (-1 for places and years), and how many documents
// hold it; a synonym's words name their synonym (alt, an index in
// scorer.alts).
type listSpec struct {
	term string
	role int
	word int
	alt  int
	df   uint64
}

// synAlt is a synonym a rankQuery looks for: the word it stands for, and
// how many words besides its rarest one a document must also hold (more
// than half of its words in all: « élévation du niveau marin » is met by
// « élévation du niveau de la mer », not by « aires marines »).
type synAlt struct {
	word int
	need int
}

// dfFunc counts the live documents whose field holds term.
type dfFunc func(field, term string) (uint64, error)

// lists decides which posting lists q reads over an index of n documents,
// and each word's IDF: every role of every word, its root and its typos,
// the places the query names (unless most documents name them: the home
// city) and its years. Only lists that hold a document are kept. Both the
// Bleve searcher (rankSearcher) and the missions' own search (engine.go)
// start from it, so that they score alike.
func (q *rankQuery) lists(df dfFunc, n float64) (specs []listSpec, sc scorer, err error) {
	count := df
	add := func(term string, role, word int) (uint64, error) {
		field := q.prof.field[role]
		if field == "" || term == "" {
			return 0, nil
		}
		c, err := df(field, term)
		if err != nil || c == 0 {
			return 0, err
		}
		specs = append(specs, listSpec{term: term, role: role, word: word, alt: -1, df: c})
		return c, nil
	}
	sc.q = q
	idf := make([]float64, len(q.words))
	var idfSum float64
	for i, w := range q.words {
		df, err := add(w.stem, roleBody, i)
		if err != nil {
			return nil, sc, err
		}
		for _, role := range []int{roleLead, roleTitle, roleDest, roleHeads, roleNames} {
			if _, err := add(w.stem, role, i); err != nil {
				return nil, sc, err
			}
		}
		// A stem shorter than a root is its own root and no other stem's
		// (AnalyzerRoot cuts longer ones to rootLen letters): the root list
		// is then the word's list again, over the same text, and adds
		// nothing to a score (score's extra is 0). It is not read.
		rdf := df
		if w.root != w.stem || utf8.RuneCountInString(w.stem) >= rootLen {
			if rdf, err = add(w.root, roleRoot, i); err != nil {
				return nil, sc, err
			}
		}
		if df == 0 {
			df = rdf
		}
		var sdf uint64
		specs, sc.alts, sdf, err = q.synonymLists(count, i, specs, sc.alts)
		if err != nil {
			return nil, sc, err
		}
		if df == 0 {
			df = sdf
		}
		for _, f := range w.fuzzy {
			fdf, err := add(f, roleFuzzy, i)
			if err != nil {
				return nil, sc, err
			}
			if rdf == 0 {
				df = max(df, fdf)
			}
		}
		idf[i] = math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
		idfSum += idf[i]
	}
	sc.idf, sc.idfSum = idf, idfSum
	for _, p := range q.places {
		before := len(specs)
		var found uint64
		for _, role := range []int{roleCity, roleCountry} {
			c, err := add(p.key, role, -1)
			if err != nil {
				return nil, sc, err
			}
			found += c
		}
		if found == 0 {
			continue
		}
		// A place most reports name (the home city) says nothing of what a
		// query is about: « l’AIVP à Québec » is no query for missions held
		// in Québec.
		common, err := q.common(df, n, p.stems)
		if err != nil {
			return nil, sc, err
		}
		if common {
			specs = specs[:before]
		}
	}
	for _, y := range q.years {
		if _, err := add(y, roleYear, -1); err != nil {
			return nil, sc, err
		}
	}
	return specs, sc, nil
}

// synonymLists adds the lists of word i's synonyms to specs and alts: a
// synonym of several words counts by its rarest one where enough of its
// other words are too (synAlt). It returns the highest count of documents
// holding a synonym's rarest word.
func (q *rankQuery) synonymLists(df dfFunc, i int, specs []listSpec, alts []synAlt) ([]listSpec, []synAlt, uint64, error) {
	field := q.prof.field[roleSyn]
	var most uint64
	lists := 0
	for _, sp := range specs {
		if sp.alt >= 0 {
			lists++
		}
	}
	for _, stems := range q.words[i].syns {
		if lists >= maxSynonymLists {
			break
		}
		if len(stems) == 1 && stems[0] == q.words[i].stem {
			continue
		}
		need := len(stems) / 2
		var found []listSpec // the synonym's words some document holds
		rare := -1
		for _, st := range stems {
			c, err := df(field, st)
			if err != nil {
				return nil, nil, 0, err
			}
			if c == 0 {
				continue
			}
			if rare < 0 || c < found[rare].df {
				rare = len(found)
			}
			found = append(found, listSpec{term: st, role: roleSynPart, word: i, alt: len(alts), df: c})
		}
		if len(found) <= need {
			continue
		}
		found[rare].role = roleSyn
		alts = append(alts, synAlt{word: i, need: need})
		specs = append(specs, found...)
		lists += len(found)
		most = max(most, found[rare].df)
	}
	return specs, alts, most, nil
}

// common reports whether more than half the documents' content holds every
// one of stems.
func (q *rankQuery) common(df dfFunc, n float64, stems []string) (bool, error) {
	if len(stems) == 0 {
		return false, nil
	}
	for _, st := range stems {
		c, err := df(q.prof.field[roleBody], st)
		if err != nil {
			return false, err
		}
		if 2*float64(c) <= n {
			return false, nil
		}
	}
	return true, nil
}

type posting struct {
	r    index.TermFieldReader
	cur  *index.TermFieldDoc
	term string
	word int // index in rankQuery.words; -1 for places
	role int
	alt  int // index in scorer.alts; -1 for others
	done bool
}

func (q *rankQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &rankSearcher{explain: opts.Explain, locs: opts.IncludeTermVectors}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	df := func(field, term string) (uint64, error) {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, err
		}
		c := tfr.Count()
		return c, tfr.Close()
	}
	specs, sc, err := q.lists(df, float64(n))
	if err != nil {
		return nil, err
	}
	s.scorer = sc
	prox := len(q.words) > 1
	for _, sp := range specs {
		vectors := prox && sp.role == roleBody || s.locs && q.prof.highlight[sp.role] != ""
		tfr, err := r.TermFieldReader(ctx, []byte(sp.term), q.prof.field[sp.role], true, true, vectors)
		if err != nil {
			return nil, err
		}
		p := &posting{r: tfr, term: sp.term, word: sp.word, role: sp.role, alt: sp.alt}
		if sp.role == roleSynPart {
			// Read only where another list stands: a synonym's other words
			// make no match by themselves.
			s.parts = append(s.parts, p)
			continue
		}
		s.postings = append(s.postings, p)
	}
	s.doc = newDocState(len(q.words), len(sc.alts))
	for _, p := range s.postings {
		if p.cur, err = p.r.Next(nil); err != nil {
			return nil, err
		}
		if p.cur != nil {
			s.heap = append(s.heap, p)
		}
	}
	heap.Init(&s.heap)
	ok = true
	return s, nil
}

// rankSearcher merges the posting lists of a rankQuery, one document at a time.
type rankSearcher struct {
	scorer
	postings []*posting
	parts    []*posting // roleSynPart lists, advanced to each document
	heap     postingHeap
	explain  bool
	locs     bool     // fill term locations, for highlighting
	doc      docState // the current document's, reset at each
}

// scorer scores documents for a rankQuery once its lists are known.
type scorer struct {
	q      *rankQuery
	idf    []float64
	idfSum float64
	alts   []synAlt
}

// docState is what the posting lists say of one document.
type docState struct {
	matched bool              // a list holds it, other than a synonym's other words
	tf      [][nRoles]float64 // word -> role -> frequency / length norm (roleSyn: see alt)
	pos     [][]uint64        // word -> positions in the content
	alt     []float64         // synonym -> its rarest word's frequency / length norm
	parts   []int             // synonym -> how many of its other words are here
	city    bool
	ctry    bool
	year    bool
}

func newDocState(words, alts int) docState {
	return docState{tf: make([][nRoles]float64, words), pos: make([][]uint64, words), alt: make([]float64, alts), parts: make([]int, alts)}
}

func (d *docState) reset() {
	for i := range d.tf {
		d.tf[i] = [nRoles]float64{}
		d.pos[i] = d.pos[i][:0]
	}
	clear(d.alt)
	clear(d.parts)
	d.city, d.ctry, d.year, d.matched = false, false, false, false
}

// synonyms gives each word's roleSyn frequency, that of its synonyms whose
// rarest word and enough of the others are here, and its roleSynPart
// frequency, that of its synonyms whose rarest word is here without them.
// It may run again on the same document (add never writes those two).
func (d *docState) synonyms(sc *scorer) {
	for i := range d.tf {
		d.tf[i][roleSyn], d.tf[i][roleSynPart] = 0, 0
	}
	for a, al := range sc.alts {
		switch {
		case d.alt[a] == 0:
		case d.parts[a] >= al.need:
			d.tf[al.word][roleSyn] += d.alt[a]
		default:
			d.tf[al.word][roleSynPart] += d.alt[a]
		}
	}
}

// add records one posting of a word's role (or a place or year, word < 0):
// freq occurrences in a field whose Bleve norm is norm.
func (d *docState) add(sc *scorer, role, word, alt int, freq uint64, norm float64) {
	d.addTF(role, word, alt, float64(freq)/lengthNorm(norm, sc.q.prof.b[role], sc.q.avg[role]))
}

// addTF is add with the posting's frequency already divided by its length
// normalisation (tf).
func (d *docState) addTF(role, word, alt int, tf float64) {
	switch role {
	case roleSynPart:
		d.parts[alt]++
		return
	case roleSyn:
		d.alt[alt] += tf
		d.matched = true
		return
	}
	d.matched = true
	switch role {
	case roleCity:
		d.city = true
		return
	case roleCountry:
		d.ctry = true
		return
	case roleYear:
		d.year = true
		return
	}
	d.tf[word][role] += tf
}

type postingHeap []*posting

func (h postingHeap) Len() int           { return len(h) }
func (h postingHeap) Less(i, j int) bool { return h[i].cur.ID.Compare(h[j].cur.ID) < 0 }
func (h postingHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *postingHeap) Push(x any)        { *h = append(*h, x.(*posting)) }
func (h *postingHeap) Pop() any {
	old := *h
	p := old[len(old)-1]
	*h = old[:len(old)-1]
	return p
}

// lengthNorm is BM25's 1 − b + b·len/avg, len read from Bleve's norm (1/√len).
func lengthNorm(norm, b, avg float64) float64 {
	if b == 0 || norm <= 0 || avg <= 0 {
		return 1
	}
	l := 1 / (norm * norm)
	return 1 - b + b*l/avg
}

func (s *rankSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if len(s.heap) == 0 {
		return nil, nil
	}
	s.doc.reset()
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalIDFrom(dm.IndexInternalID, s.heap[0].cur.ID)
	for len(s.heap) > 0 && s.heap[0].cur.ID.Equals(dm.IndexInternalID) {
		p := s.heap[0]
		s.take(p, dm)
		var err error
		p.cur, err = p.r.Next(p.cur)
		if err != nil {
			return nil, err
		}
		if p.cur == nil {
			heap.Pop(&s.heap)
		} else {
			heap.Fix(&s.heap, 0)
		}
	}
	for _, p := range s.parts {
		if p.done {
			continue
		}
		if p.cur == nil || p.cur.ID.Compare(dm.IndexInternalID) < 0 {
			var err error
			if p.cur, err = p.r.Advance(dm.IndexInternalID, p.cur); err != nil {
				return nil, err
			}
			if p.cur == nil {
				p.done = true
				continue
			}
		}
		if p.cur.ID.Equals(dm.IndexInternalID) {
			s.take(p, dm)
		}
	}
	dm.Score = s.score(&s.doc, dm, s.explain)
	return dm, nil
}

// take records what posting p says of the current document dm.
func (s *rankSearcher) take(p *posting, dm *search.DocumentMatch) {
	s.doc.add(&s.scorer, p.role, p.word, p.alt, p.cur.Freq, p.cur.Norm)
	if p.role == roleBody {
		for _, v := range p.cur.Vectors {
			s.doc.pos[p.word] = append(s.doc.pos[p.word], v.Pos)
		}
	}
	if f := s.q.prof.highlight[p.role]; s.locs && f != "" {
		for _, v := range p.cur.Vectors {
			dm.FieldTermLocations = append(dm.FieldTermLocations, search.FieldTermLocation{
				Field: f, Term: p.term, Location: search.Location{Pos: v.Pos, Start: v.Start, End: v.End},
			})
		}
	}
}

func sat(x float64) float64 { return x * (k1 + 1) / (k1 + x) }

// score combines what the posting lists say of one document (see the
// comment at the top of the file); dm receives the explanation when asked.
func (s *scorer) score(d *docState, dm *search.DocumentMatch, explain bool) float64 {
	return s.rank(d, dm, explain, false)
}

// bound is the highest score d can have once its positions are read: each
// pair of query words both in the content counts as side by side, the most
// proximity adds. d's positions are not looked at.
func (s *scorer) bound(d *docState) float64 {
	return s.rank(d, nil, false, true)
}

// rank is score, or bound when unplaced.
func (s *scorer) rank(d *docState, dm *search.DocumentMatch, explain, unplaced bool) float64 {
	d.synonyms(s)
	var base, covered float64
	all := true
	var expl []*search.Explanation
	for i, tf := range d.tf {
		content := tf[roleBody] + wContentLead*tf[roleLead] + wSynTF*tf[roleSyn] + wPartTF*tf[roleSynPart]
		cover := 1.0
		switch {
		case tf[roleBody] > 0:
			if extra := tf[roleRoot] - tf[roleBody]; extra > 0 {
				content += wRootTF * extra
			}
		case tf[roleDest] > 0:
			// A place the mission went to, which its text never names
			// (« États-Unis » in a report on La Nouvelle-Orléans).
		case tf[roleRoot] > 0:
			// The word itself is absent: its family may stand in, or a
			// synonym, or a typo.
			content += wRootTF * tf[roleRoot]
			cover = coverRoot
		case tf[roleSyn] > 0:
			cover = coverSyn
		case tf[roleSynPart] > 0:
			cover = coverPart
		case tf[roleFuzzy] > 0:
			content = wFuzzyTF * tf[roleFuzzy]
			cover = coverFuzzy
			all = false
		default:
			cover = 0
			all = false
		}
		w := sat(content) + wTitleBonus*sat(tf[roleTitle]) + wDestBonus*sat(tf[roleDest]) +
			wHeadsBonus*sat(tf[roleHeads]) + wNamesBonus*sat(tf[roleNames])
		base += s.idf[i] * w
		covered += s.idf[i] * cover
		if explain {
			expl = append(expl, &search.Explanation{Value: s.idf[i] * w, Message: fmt.Sprintf(
				"word %q idf=%.2f content=%.2f title=%.2f dest=%.2f heads=%.2f names=%.2f cover=%.1f",
				s.q.words[i].stem, s.idf[i], content, tf[roleTitle], tf[roleDest], tf[roleHeads], tf[roleNames], cover)})
		}
	}
	var prox float64
	for i := 0; i+1 < len(s.q.words); i++ {
		a, b := s.q.words[i], s.q.words[i+1]
		if a.seg != b.seg || b.pos <= a.pos {
			continue
		}
		if unplaced {
			// A word with positions is in the content (tf > 0).
			if d.tf[i][roleBody] > 0 && d.tf[i+1][roleBody] > 0 {
				prox += max(wPairExact, wPairNear) * math.Min(s.idf[i], s.idf[i+1])
			}
			continue
		}
		if dist := pairDistance(d.pos[i], d.pos[i+1], uint64(b.pos-a.pos)); dist >= 0 {
			wp := wPairNear
			if dist == 0 {
				wp = wPairExact
			}
			prox += wp * math.Min(s.idf[i], s.idf[i+1])
		}
	}
	cov := 1.0
	if s.idfSum > 0 {
		cov = covered / s.idfSum
	}
	score := (base + prox) * math.Pow(cov, coverPower)
	if all && cov >= 1 {
		score *= 1 + allBonus
	}
	switch {
	case d.city:
		score *= 1 + wCity
	case d.ctry:
		score *= 1 + wCountry
	}
	if d.year {
		score *= 1 + wYear
	}
	if explain {
		expl = append(expl, &search.Explanation{Value: prox, Message: "proximity"})
		dm.Expl = &search.Explanation{Value: score, Message: fmt.Sprintf(
			"rank: (words + proximity) × coverage^%.0f (%.2f), all=%v city=%v country=%v year=%v", coverPower, cov, all, d.city, d.ctry, d.year), Children: expl}
	}
	return score
}

// pairDistance returns how far the two words are from sitting gap positions
// apart in that order: 0 when exactly, up to pairSlack when near, −1 else.
func pairDistance(a, b []uint64, gap uint64) int {
	best := -1
	for _, pa := range a {
		for _, pb := range b {
			want := pa + gap
			var d uint64
			switch {
			case pb == want:
				return 0
			case pb > want:
				d = pb - want
			case pb > pa:
				d = want - pb
			default:
				continue
			}
			if d <= pairSlack && (best < 0 || int(d) < best) {
				best = int(d)
			}
		}
	}
	return best
}

func (s *rankSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	moved := false
	for _, p := range s.heap {
		if p.cur.ID.Compare(id) < 0 {
			var err error
			if p.cur, err = p.r.Advance(id, p.cur); err != nil {
				return nil, err
			}
			moved = true
		}
	}
	if moved {
		live := s.heap[:0]
		for _, p := range s.heap {
			if p.cur != nil {
				live = append(live, p)
			}
		}
		s.heap = live
		heap.Init(&s.heap)
	}
	return s.Next(ctx)
}

func (s *rankSearcher) Close() error {
	var errs []string
	for _, p := range append(s.postings, s.parts...) {
		if err := p.r.Close(); err != nil {
			errs = append(errs, err.Error())
		}
	}
	s.postings, s.parts, s.heap = nil, nil, nil
	if len(errs) > 0 {
		return fmt.Errorf("index: rank: close: %s", strings.Join(errs, "; "))
	}
	return nil
}

func (s *rankSearcher) Weight() float64            { return 1 }
func (s *rankSearcher) SetQueryNorm(float64)       {}
func (s *rankSearcher) Min() int                   { return 0 }
func (s *rankSearcher) DocumentMatchPoolSize() int { return 1 }
func (s *rankSearcher) Size() int                  { return 64 * (len(s.postings) + 1) }

// Count estimates how many documents match (an upper bound).
func (s *rankSearcher) Count() uint64 {
	var n uint64
	for _, p := range s.postings {
		n += p.r.Count()
	}
	return n
}
