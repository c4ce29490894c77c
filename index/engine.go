package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"escale/internal/mission"
)

// The missions' search at scale. Bleve's searcher and collector handle one
// hit at a time, through interfaces and allocations, and count facets from
// doc values (see segtable.go); a word every report holds then costs tens of
// milliseconds at 10,000 missions. The missions' search instead reads the
// segments of a snapshot of the index directly:
//
//  1. every posting list the query names (rankQuery.lists) is read as a
//     bitmap of documents, which marks each document with the roles each
//     word plays in it: cheap, and enough to know the hits;
//  2. each hit is filtered by facet and its facets counted from the
//     segment tables (multi-select: a hit failing only facet f's selection
//     counts in f);
//  3. only the hits whose score could reach the page are scored: a hit's
//     score is bounded from its marks alone (every saturated term is below
//     k1+1; coverage, place and year factors are exact); hits are taken in
//     index order, each half of the hits (halfway) in its own goroutine,
//     and scored exactly (frequencies, norms, then positions) unless their
//     bound is below the worst of the best so far. Each goroutine reads a
//     posting list forward only.
//
// The scores, the order (ties by index order, as Bleve's) and the counts are
// those of the Bleve searcher over the same query; TestEngineMatchesBleve
// checks it.

// snapshot is one point-in-time view of the missions index.
type snapshot struct {
	r      index.IndexReader
	segs   []*scorch.SegmentSnapshot
	base   []uint64 // global number of each segment's first document, as Bleve numbers them
	tabs   []*segTable
	maxDoc uint64
	live   uint64
	dict   dictView
	lists  map[string][]segment.PostingsList   // postings read so far, by field and term
	dicts  map[string][]segment.TermDictionary // dictionaries opened so far, by field
}

// openSnapshot returns a view of the missions index with its segment
// tables, or ok false when the index is not a scorch index (the caller then
// searches through Bleve).
func (ix *Index) openSnapshot() (*snapshot, bool, error) {
	s, ok, err := openSnapshot(ix.missions, ix.tables)
	if ok {
		ix.advised.missions.check(s.segs)
	}
	return s, ok, err
}

// openSnapshot returns a view of idx, with the tables of its segments when
// ts is not nil.
func openSnapshot(idx bleve.Index, ts *tables) (*snapshot, bool, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, false, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, false, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, false, nil
	}
	s := &snapshot{r: r, segs: snap.Segments()}
	live := map[uint64]bool{}
	for _, ss := range s.segs {
		live[ss.Id()] = true
	}
	for _, ss := range s.segs {
		s.base = append(s.base, s.maxDoc)
		if ts != nil {
			t, err := ts.get(ss.Id(), ss.Segment(), live)
			if err != nil {
				r.Close()
				return nil, false, fmt.Errorf("segment table: %w", err)
			}
			s.tabs = append(s.tabs, t)
		}
		s.maxDoc += ss.Segment().Count()
	}
	if s.live, err = r.DocCount(); err != nil {
		r.Close()
		return nil, false, err
	}
	if ts != nil {
		s.dict = ts.dict.view()
	}
	return s, true, nil
}

func (s *snapshot) close() error { return s.r.Close() }

// locate returns the segment of global document g and its number there.
func (s *snapshot) locate(g uint64) (int, uint64) {
	i, found := slices.BinarySearch(s.base, g)
	if !found {
		i--
	}
	return i, g - s.base[i]
}

// postings returns the postings of term in field in every segment, live
// documents only; a search asks for the same lists several times (counts,
// marks, scores), so they are kept for the snapshot's life.
func (s *snapshot) postings(field, term string) ([]segment.PostingsList, error) {
	key := field + "\x00" + term
	if pls, ok := s.lists[key]; ok {
		return pls, nil
	}
	dicts, err := s.dictionaries(field)
	if err != nil {
		return nil, err
	}
	pls := make([]segment.PostingsList, len(s.segs))
	for i, ss := range s.segs {
		if pls[i], err = dicts[i].PostingsList([]byte(term), ss.Deleted(), nil); err != nil {
			return nil, err
		}
	}
	if s.lists == nil {
		s.lists = map[string][]segment.PostingsList{}
	}
	s.lists[key] = pls
	return pls, nil
}

// dictionaries returns field's dictionary in every segment, opened once per
// snapshot: a search looks several terms up in each field.
func (s *snapshot) dictionaries(field string) ([]segment.TermDictionary, error) {
	if ds, ok := s.dicts[field]; ok {
		return ds, nil
	}
	ds := make([]segment.TermDictionary, len(s.segs))
	for i, ss := range s.segs {
		var err error
		if ds[i], err = ss.Segment().Dictionary(field); err != nil {
			return nil, err
		}
	}
	if s.dicts == nil {
		s.dicts = map[string][]segment.TermDictionary{}
	}
	s.dicts[field] = ds
	return ds, nil
}

// lookUp looks the lists of specs up (postings), before goroutines share
// the snapshot's lists, which they then only read.
func (s *snapshot) lookUp(prof *profile, specs []listSpec) error {
	for _, sp := range specs {
		if _, err := s.postings(prof.field[sp.role], sp.term); err != nil {
			return err
		}
	}
	return nil
}

// walk calls fn with each of docs (global numbers, in index order) and its
// posting in term's list in field (nil when the list does not hold it),
// with its locations when locs; one cursor reads the list, segment after
// segment.
func (s *snapshot) walk(field, term string, locs bool, docs []uint32, fn func(i int, p segment.Posting)) error {
	pls, err := s.postings(field, term)
	if err != nil {
		return err
	}
	seg := -1
	var c cursor
	defer c.close()
	for i, g := range docs {
		si, local := s.locate(uint64(g))
		if si != seg {
			seg = si
			c.open(pls[si], s.segs[si], field, locs)
		}
		p, err := c.at(local)
		if err != nil {
			return err
		}
		fn(i, p)
	}
	return nil
}

// orPostings sets bit in marks[base+d] for every live document d of
// segment i holding term in field (marks indexed by global number). *it is
// an iterator to reuse, or nil.
func (s *snapshot) orPostings(i int, field, term string, marks []byte, bit byte, it *segment.PostingsIterator) error {
	pls, err := s.postings(field, term)
	if err != nil {
		return err
	}
	base := s.base[i]
	*it = pls[i].Iterator(false, false, false, *it)
	return eachDocs(*it, func(docs []uint32) {
		for _, d := range docs {
			marks[base+uint64(d)] |= bit
		}
	})
}

// df counts the live documents holding term in field.
func (s *snapshot) df(field, term string) (uint64, error) {
	pls, err := s.postings(field, term)
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, pl := range pls {
		n += pl.Count()
	}
	return n, nil
}

// Marks of a document, besides its words' roles.
const (
	markHit  = 1 << iota // in some posting list of the rankQuery
	markCity             // a destination city the query names
	markCtry             // a destination country
	markYear             // a year the query names
	markSel              // passes the selection (phrases, required, excluded words)
	markMain             // a hit: passes everything
	markDead             // deleted (marked only when every document is a candidate)
)

// engineSearch is one search over a snapshot.
type engineSearch struct {
	s      *snapshot
	q      Query
	p      *plan
	rq     *rankQuery
	specs  []listSpec
	sc     scorer
	nWords int
	mark   []byte // per global document
	roles  []byte // per global document and word: bit r for role r
	secs   []byte // per global document: the section kinds whose text holds a stem
	text   bool   // the query has text (rank words or a selection)
	// selScore is Bleve's score of the selection, which ranks when the
	// query has no word to rank by (« -port », « port* »).
	selScore map[uint32]float64
	scored   int // documents whose frequencies were read, positions or not (for tests and benchmarks)
}

// searchEngine runs Search over a snapshot; see the comment at the top of the file.
func (ix *Index) searchEngine(ctx context.Context, s *snapshot, q Query, p *plan, st *stats) (*Result, error) {
	e := &engineSearch{s: s, q: q, p: p}
	var pp *passagePrep // the highlight's, when the query has text
	rq, sel, nots := rankParts(p, missionProfile, st.averages(missionProfile), true)
	e.rq = rq
	e.text = rq != nil || len(sel) > 0 || len(nots) > 0
	e.mark = byteBufs.get(int(s.maxDoc))
	defer byteBufs.put(e.mark)
	if rq != nil {
		var err error
		if e.specs, e.sc, err = rq.lists(s.df, float64(s.live)); err != nil {
			return nil, err
		}
		e.nWords = len(rq.words)
		e.roles = byteBufs.get(int(s.maxDoc) * e.nWords)
		defer byteBufs.put(e.roles)
	}
	var stems []string
	if e.text {
		pp = ix.preparePassages(p, st)
		defer pp.close()
		stems = p.stems()
		e.secs = byteBufs.get(int(s.maxDoc))
		defer byteBufs.put(e.secs)
	}
	if err := e.markHits(stems); err != nil {
		return nil, err
	}
	selq := selection(sel, nots)
	if selq != nil {
		if err := e.markSelection(ctx, ix, selq); err != nil {
			return nil, err
		}
	}
	need := byte(0)
	if rq != nil {
		need = markHit
	}
	if selq != nil {
		need |= markSel
	}
	f := newFacetFilter(s.dict, p, q, e.text, len(stems) > 0)
	hits, counts, secCounts, err := e.filterAndCount(f, need)
	if err != nil {
		return nil, err
	}
	defer uint32Bufs.put(hits)
	defer int32Bufs.put(counts)

	out := &Result{Total: uint64(len(hits)), Page: q.Page, Size: q.Size, Hits: []Hit{}}
	out.Facets = f.facets(counts, secCounts)
	out.Years = years(out.Facets[FacetYear])

	from := (q.Page - 1) * q.Size
	var page []scored
	if !e.text || q.Sort == SortDate {
		page, err = e.topByDate(hits, from+q.Size)
	} else {
		page, err = e.topByScore(hits, from+q.Size)
	}
	if err != nil {
		return nil, err
	}
	if ix.trace != nil {
		ix.trace(len(hits), e.scored)
	}
	if from >= len(page) {
		return out, nil
	}
	page = page[from:]
	var counts2 []int
	for _, h := range page {
		hit, np, err := s.hit(h.doc)
		if err != nil {
			return nil, err
		}
		if e.text {
			hit.Score = h.score
		}
		out.Hits = append(out.Hits, hit)
		counts2 = append(counts2, np)
	}
	if e.text && len(out.Hits) > 0 {
		done, err := ix.highlightEngine(ctx, p, pp, out.Hits)
		if err != nil {
			return nil, err
		}
		if !done {
			if err := ix.highlight(ctx, p, st, out.Hits, counts2); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// markHits marks the documents of the rankQuery's lists (markLists) and
// the kinds of section holding the stems (markSections), each half of the
// segments in its own goroutine when there are two processors (halves).
// Every list is looked up first: both then only read the snapshot's.
func (e *engineSearch) markHits(stems []string) error {
	if e.rq != nil {
		if err := e.s.lookUp(e.rq.prof, e.specs); err != nil {
			return err
		}
	}
	for _, kind := range mission.Kinds {
		for _, stem := range stems {
			if _, err := e.s.postings(fSecPfx+kind, stem); err != nil {
				return err
			}
		}
	}
	var errs [2]error
	err := e.s.halves(func(h, lo, hi int) {
		if e.rq != nil {
			errs[h] = e.markLists(lo, hi)
		}
		errs[h] = cmp.Or(errs[h], e.markSections(stems, lo, hi))
	})
	return cmp.Or(err, errs[0], errs[1])
}

// markSections sets bit k of secs for the documents of segments lo to hi
// (hi excluded) whose sections of kind k hold one of stems.
func (e *engineSearch) markSections(stems []string, lo, hi int) error {
	var it segment.PostingsIterator
	for i := lo; i < hi; i++ {
		for k, kind := range mission.Kinds {
			for _, stem := range stems {
				if err := e.s.orPostings(i, fSecPfx+kind, stem, e.secs, 1<<k, &it); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// markLists marks every document of segments lo to hi (hi excluded) of
// every posting list of the rankQuery, and the role the list gives its
// word, in one pass over each list.
func (e *engineSearch) markLists(lo, hi int) error {
	s := e.s
	n := uint64(e.nWords)
	var it segment.PostingsIterator // reused
	for _, sp := range e.specs {
		if sp.role == roleSynPart {
			continue
		}
		field := e.rq.prof.field[sp.role]
		m := byte(markHit)
		switch sp.role {
		case roleCity:
			m |= markCity
		case roleCountry:
			m |= markCtry
		case roleYear:
			m |= markYear
		}
		pls, err := s.postings(field, sp.term)
		if err != nil {
			return fmt.Errorf("postings %s:%s: %w", field, sp.term, err)
		}
		rb, w := roleBit(sp.role), uint64(sp.word)
		for i := lo; i < hi; i++ {
			base := s.base[i]
			it = pls[i].Iterator(false, false, false, it)
			err := eachDocs(it, func(docs []uint32) {
				for _, d := range docs {
					g := base + uint64(d)
					e.mark[g] |= m
					if sp.word >= 0 {
						e.roles[g*n+w] |= rb
					}
				}
			})
			if err != nil {
				return fmt.Errorf("postings %s:%s: %w", field, sp.term, err)
			}
		}
	}
	return nil
}

// roleBit is the bit of role in a word's roles: one byte holds the roles
// of a word, so a synonym shares the root's bit (bound counts both alike).
func roleBit(role int) byte {
	if role == roleSyn {
		role = roleRoot
	}
	return byte(1) << role
}

// markSelection marks the documents the selection query matches, through
// Bleve's own searchers (phrases and the like are rare and cheap).
func (e *engineSearch) markSelection(ctx context.Context, ix *Index, q query.Query) error {
	opts := search.SearcherOptions{Score: "none"}
	if e.rq == nil {
		opts.Score = ""
		e.selScore = map[uint32]float64{}
	}
	sr, err := q.Searcher(ctx, e.s.r, ix.missions.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("selection: %w", err)
	}
	defer sr.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0)}
	for {
		dm, err := sr.Next(sctx)
		if err != nil {
			return fmt.Errorf("selection: %w", err)
		}
		if dm == nil {
			return nil
		}
		if len(dm.IndexInternalID) == 8 {
			if g := binary.BigEndian.Uint64(dm.IndexInternalID); g < e.s.maxDoc {
				e.mark[g] |= markSel
				if e.selScore != nil {
					e.selScore[uint32(g)] = dm.Score
				}
			}
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}

// facetFilter is a query's facet selection as ordinals, and the counts it
// gathers.
type facetFilter struct {
	dict     dictView
	selected uint32 // bit f: facet f has a selection (bit len(Facets) unused)
	accept   []bool // per ordinal: the value is selected (or, for years, in range)
	secSel   byte   // with text: the section kinds selected
	text     bool   // section counts come from the text (secs), not the facet values
	p        *plan
}

// sectionFacet is the index of FacetSection in Facets.
var sectionFacet = uint8(facetIndex(FacetSection))

// With stems, a selected section kind means "where the text matches"
// (secByText); the section facet counts so whenever the query has text.
func newFacetFilter(d dictView, p *plan, q Query, text, secByText bool) *facetFilter {
	f := &facetFilter{dict: d, accept: make([]bool, len(d.value)), text: text, p: p}
	keys := make([]map[string]bool, len(Facets))
	for i, name := range Facets {
		vs := p.filters[name]
		ranged := name == FacetYear && (q.YearFrom != 0 || q.YearTo != 0)
		if len(vs) == 0 && !ranged {
			continue
		}
		if name == FacetSection && secByText {
			for _, v := range vs {
				if k := slices.Index(mission.Kinds, Fold(v)); k >= 0 {
					f.secSel |= 1 << k
				}
			}
			f.selected |= 1 << i
			continue
		}
		f.selected |= 1 << i
		if len(vs) > 0 {
			keys[i] = map[string]bool{}
			for _, v := range vs {
				keys[i][Fold(v)] = true
			}
		}
	}
	if f.selected == 0 {
		return f
	}
	for o := range d.value {
		fi := int(d.facet[o])
		if f.selected&(1<<fi) == 0 || uint8(fi) == sectionFacet && secByText {
			continue
		}
		ok := keys[fi] == nil || keys[fi][d.key[o]]
		if fi == facetIndex(FacetYear) {
			y := d.year[o]
			ok = ok && (q.YearFrom == 0 || y >= q.YearFrom) && (q.YearTo == 0 || y <= q.YearTo)
		}
		f.accept[o] = ok
	}
	return f
}

// filterAndCount goes through the documents marked need, keeps those that
// pass every facet selection (the hits, in index order) and counts facets:
// a value of facet f counts the hits, and, when f has a selection, the
// documents failing that selection alone. When most documents are hits (a
// word every report holds, or no words), it counts the others and takes
// them off each segment's totals instead.
func (e *engineSearch) filterAndCount(f *facetFilter, need byte) (hits []uint32, counts []int32, secCounts [8]int32, err error) {
	s := e.s
	if need == 0 {
		// Every live document is a candidate.
		for si, ss := range s.segs {
			if del := ss.Deleted(); del != nil {
				base := s.base[si]
				del.Iterate(func(d uint32) bool {
					e.mark[base+uint64(d)] |= markDead
					return true
				})
			}
		}
	}
	// Each half of the segments is filtered and counted on its own, at
	// once when there are two processors, then the halves are added up.
	var parts [2]filtered
	if err := s.halves(func(h, lo, hi int) { parts[h] = e.filterSegs(f, need, lo, hi) }); err != nil {
		return nil, nil, secCounts, err
	}
	hits = append(parts[0].hits, parts[1].hits...)
	var secHist [256]int32
	for _, p := range parts {
		for mask, n := range p.secHist {
			secHist[mask] += n
		}
	}
	for mask, n := range secHist {
		for k := range secCounts {
			if mask&(1<<k) != 0 {
				secCounts[k] += n
			}
		}
	}
	most := 2*uint64(len(hits)) > s.live
	if err := s.halves(func(h, lo, hi int) { e.countSegs(&parts[h], most, lo, hi) }); err != nil {
		return nil, nil, secCounts, err
	}
	counts = parts[0].counts
	for o, n := range parts[1].counts {
		counts[o] += n
	}
	// countSegs read the second half's hits: only now are they given back.
	uint32Bufs.put(parts[1].hits)
	int32Bufs.put(parts[1].counts)
	return hits, counts, secCounts, nil
}

// filtered is what filterSegs and countSegs find in a range of segments.
type filtered struct {
	hits    []uint32
	counts  []int32
	secHist [256]int32 // hits by the set of section kinds their text matches in
}

// filterSegs is filterAndCount's first pass over segments lo to hi: the
// hits, and the counts of the documents failing one facet's selection.
func (e *engineSearch) filterSegs(f *facetFilter, need byte, lo, hi int) filtered {
	s := e.s
	r := filtered{counts: int32Bufs.get(len(s.dict.value)), hits: uint32Bufs.get(0)}
	for si := lo; si < hi; si++ {
		base, n, tab := s.base[si], s.segs[si].Segment().Count(), s.tabs[si]
		for local := uint64(0); local < n; local++ {
			g := base + local
			m := e.mark[g]
			if m&need != need || m&markDead != 0 {
				continue
			}
			fail := uint32(0)
			if f.selected != 0 {
				var passed uint32
				for _, o := range tab.of(local) {
					if int(o) < len(f.accept) && f.accept[o] {
						passed |= 1 << s.dict.facet[o]
					}
				}
				if f.secSel != 0 && e.secs[g]&f.secSel != 0 {
					passed |= 1 << sectionFacet
				}
				fail = f.selected &^ passed
			}
			switch {
			case fail == 0:
				r.hits = append(r.hits, uint32(g))
				e.mark[g] |= markMain
				if f.text {
					r.secHist[e.secs[g]]++
				}
			case fail&(fail-1) == 0: // fails one facet's selection: counts there
				fi := uint8(bitIndex(fail))
				if fi == sectionFacet && f.text {
					r.secHist[e.secs[g]]++
					continue
				}
				for _, o := range tab.of(local) {
					if int(o) < len(r.counts) && s.dict.facet[o] == fi {
						r.counts[o]++
					}
				}
			}
		}
	}
	return r
}

// countSegs is filterAndCount's second pass over segments lo to hi: it
// counts the values of r's hits or, when most documents are hits, the
// segments' totals less the values of the others.
func (e *engineSearch) countSegs(r *filtered, most bool, lo, hi int) {
	s := e.s
	if !most {
		// The hits are in index order: each segment's are counted from its
		// table, without looking the segment up for each.
		hits := r.hits
		for si := lo; si < hi && len(hits) > 0; si++ {
			base, tab := uint32(s.base[si]), s.tabs[si]
			end := uint32(s.base[si] + s.segs[si].Segment().Count())
			k := 0
			for ; k < len(hits) && hits[k] < end; k++ {
				for _, o := range tab.of(uint64(hits[k] - base)) {
					if int(o) < len(r.counts) {
						r.counts[o]++
					}
				}
			}
			hits = hits[k:]
		}
		return
	}
	for si := lo; si < hi; si++ {
		ss := s.segs[si]
		for o, n := range s.tabs[si].liveTotals(ss) {
			if o < len(r.counts) {
				r.counts[o] += n
			}
		}
		base, n, tab := s.base[si], ss.Segment().Count(), s.tabs[si]
		del := ss.Deleted()
		for local := uint64(0); local < n; local++ {
			g := base + local
			if e.mark[g]&markMain != 0 || e.mark[g]&markDead != 0 || del != nil && del.Contains(uint32(local)) {
				continue
			}
			for _, o := range tab.of(local) {
				if int(o) < len(r.counts) {
					r.counts[o]--
				}
			}
		}
	}
}

func bitIndex(x uint32) int {
	for i := 0; i < 32; i++ {
		if x&(1<<i) != 0 {
			return i
		}
	}
	return -1
}

// facetGroup sums the counts of the values of a facet that fold alike.
type facetGroup struct {
	value     string
	best, sum int32
	key       string
}

// groupBufs recycles facets' per-group sums, left zeroed.
var groupBufs sync.Pool

func getGroups(n int) []facetGroup {
	if b, ok := groupBufs.Get().(*[]facetGroup); ok {
		if cap(*b) >= n {
			return (*b)[:n]
		}
	}
	return make([]facetGroup, n)
}

// facets turns the counts into the result's facets, as facetList would
// from Bleve's terms: values that fold alike merged under the most frequent
// spelling (ties: the first in byte order), most frequent first (ties: by
// value), each facet cut to its facetSize.
func (f *facetFilter) facets(counts []int32, secCounts [8]int32) map[string][]FacetValue {
	d := f.dict
	groups := getGroups(len(d.groupFacet))
	used := uint32Bufs.get(0)
	defer func() {
		for _, gi := range used {
			groups[gi] = facetGroup{}
		}
		groupBufs.Put(&groups)
		uint32Bufs.put(used)
	}()
	for o, n := range counts {
		if n == 0 {
			continue
		}
		g := &groups[d.group[o]]
		if g.sum == 0 {
			used = append(used, d.group[o])
			g.key = d.key[o]
		}
		g.sum += n
		if n > g.best || n == g.best && d.value[o] < g.value {
			g.best, g.value = n, d.value[o]
		}
	}
	// The facetSize first of each facet, kept sorted as they come.
	type entry struct {
		v   FacetValue
		key string
	}
	less := func(a, b FacetValue) bool { // a before b
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Value < b.Value
	}
	tops := make([][]entry, len(Facets))
	for _, gi := range used {
		fi := d.groupFacet[gi]
		size, top := facetSize[Facets[fi]], tops[fi]
		g := &groups[gi]
		v := FacetValue{Value: g.value, Count: int(g.sum)}
		if len(top) == size && !less(v, top[size-1].v) {
			continue
		}
		at := sort.Search(len(top), func(j int) bool { return less(v, top[j].v) })
		top = slices.Insert(top, at, entry{v, g.key})
		if len(top) > size {
			top = top[:size]
		}
		tops[fi] = top
	}
	out := map[string][]FacetValue{}
	for i, name := range Facets {
		if name == FacetSection && f.text {
			var sv []FacetValue
			for k, kind := range mission.Kinds {
				if n := secCounts[k]; n > 0 {
					sv = append(sv, FacetValue{Value: kind, Count: int(n), Selected: slices.ContainsFunc(f.p.filters[FacetSection], func(v string) bool { return Fold(v) == kind })})
				}
			}
			sortFacet(sv)
			out[name] = nonNil(sv)
			continue
		}
		top := tops[i]
		selected := map[string]bool{}
		for _, v := range f.p.filters[name] {
			selected[Fold(v)] = true
		}
		vs := make([]FacetValue, len(top))
		for j, e := range top {
			vs[j] = e.v
			vs[j].Selected = selected[e.key]
		}
		out[name] = vs
	}
	return out
}

// scored is a hit and its score.
type scored struct {
	doc   uint32
	score float64
}

// better reports whether a ranks before b: higher score, then index order.
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.doc < b.doc
}

// topByScore returns the n best hits, best first, scoring only those whose
// bound could reach the worst kept so far.
func (e *engineSearch) topByScore(hits []uint32, n int) ([]scored, error) {
	if e.rq == nil {
		// Only a selection: its own scores, usually all alike.
		out := make([]scored, len(hits))
		for i, g := range hits {
			out[i] = scored{doc: g, score: e.selScore[g]}
		}
		slices.SortStableFunc(out, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
		return out[:min(n, len(out))], nil
	}
	// The lists are read forward, in index order; with two processors, each
	// half of the hits in its own goroutine, which keeps its own best.
	shared := newSharedBar()
	var parts [2]topN
	err := e.s.inHalves(e.rq.prof, e.specs, hits, func(h, lo, hi int) (err error) {
		parts[h], err = e.rising(hits[lo:hi], n, shared)
		return err
	})
	if err != nil {
		return nil, err
	}
	top := parts[0]
	e.scored += top.scored + parts[1].scored
	for _, c := range parts[1].best {
		top.keep(c)
	}
	return top.best, nil
}

// topN keeps the n best documents offered, best first.
type topN struct {
	n      int
	best   []scored
	scored int // documents whose frequencies were read (for tests and benchmarks)
}

// bar is the score a document must reach to be kept, -Inf while there
// are fewer than n.
func (t *topN) bar() float64 {
	if len(t.best) < t.n {
		return math.Inf(-1)
	}
	return t.best[len(t.best)-1].score
}

func (t *topN) keep(c scored) {
	if len(t.best) == t.n && !better(c, t.best[len(t.best)-1]) {
		return
	}
	at, _ := slices.BinarySearchFunc(t.best, c, func(a, b scored) int {
		if better(a, b) {
			return -1
		}
		return 1
	})
	t.best = slices.Insert(t.best, at, c)
	if len(t.best) > t.n {
		t.best = t.best[:t.n]
	}
}

// sharedBar is the highest bar of the goroutines of a search: the worst
// of the n best of any part of the index is a bar for the whole.
type sharedBar struct{ bits atomic.Uint64 }

func newSharedBar() *sharedBar {
	b := &sharedBar{}
	b.bits.Store(math.Float64bits(math.Inf(-1)))
	return b
}

func (b *sharedBar) get() float64 { return math.Float64frombits(b.bits.Load()) }

func (b *sharedBar) raise(v float64) {
	for {
		old := b.bits.Load()
		if math.Float64frombits(old) >= v || b.bits.CompareAndSwap(old, math.Float64bits(v)) {
			return
		}
	}
}

// rising scores docs (in index order) one after the other, each against
// every posting list, skipping those whose bound (bounds) is below the
// worst of the n best so far (or the shared bar, when higher):
// the bar rises as documents are scored, and each list is read forward, up
// to the last document scored (a body list by two cursors: frequencies,
// and positions opened apart). A document's positions are read last, when
// its score without them (scorer.bound) can still reach the bar: most
// documents of a query of several words stop there.
func (e *engineSearch) rising(docs []uint32, n int, shared *sharedBar) (topN, error) {
	s, sc := e.s, &e.sc
	top := topN{n: n}
	prox := len(sc.q.words) > 1
	lists := make([]cursor, len(e.specs))  // frequencies and norms, in the current segment
	places := make([]cursor, len(e.specs)) // positions of the content's lists, when prox
	defer func() {
		for j := range lists {
			lists[j].close()
			places[j].close()
		}
	}()
	pls := make([][]segment.PostingsList, len(e.specs))
	for j, sp := range e.specs {
		var err error
		if pls[j], err = s.postings(sc.q.prof.field[sp.role], sp.term); err != nil {
			return top, err
		}
	}
	norms, _ := normBufs.Get().(*[nRoles]lengthNorms)
	if norms == nil {
		norms = new([nRoles]lengthNorms)
	}
	defer normBufs.Put(norms)
	for role := range norms {
		clear(norms[role].memo)
		norms[role].b, norms[role].avg = sc.q.prof.b[role], sc.q.avg[role]
	}
	placed := func(sp listSpec) bool { return prox && sp.role == roleBody }
	st := newDocState(len(sc.q.words), len(sc.alts))
	ub := e.bounds()
	seg, placedSeg := -1, -1
	for _, g := range docs {
		bar := max(top.bar(), shared.get()) * (1 - 1e-9)
		if ub.of(g) < bar {
			continue
		}
		si, local := s.locate(uint64(g))
		if si != seg {
			seg = si
			for j, sp := range e.specs {
				if sp.word < 0 {
					continue // a place or a year: marked
				}
				lists[j].open(pls[j][si], s.segs[si], sc.q.prof.field[sp.role], false)
			}
		}
		st.reset()
		// The places and years the query names: the marks say which are
		// the document's (markLists), their lists need no reading again.
		m := e.mark[g]
		st.city, st.ctry, st.year = m&markCity != 0, m&markCtry != 0, m&markYear != 0
		for j, sp := range e.specs {
			var tf float64
			var ok bool
			var err error
			switch {
			case sp.word < 0:
				continue
			case sp.role == roleSynPart:
				// Only whether the document is there counts.
				ok, err = lists[j].has(local)
			case sp.role == roleFuzzy:
				// A typo counts only where the word is absent.
				if e.roles[uint64(g)*uint64(e.nWords)+uint64(sp.word)]&(1<<roleBody|1<<roleRoot|1<<roleDest) != 0 {
					continue
				}
				fallthrough
			default:
				tf, ok, err = lists[j].tf(local, &norms[sp.role])
			}
			if err != nil {
				return top, err
			}
			if ok {
				st.addTF(sp.role, sp.word, sp.alt, tf)
			}
		}
		top.scored++
		if prox {
			if sc.bound(&st) < bar {
				continue
			}
			if placedSeg != si {
				// The positions' cursors of this segment, opened for the
				// first of its documents to need them.
				placedSeg = si
				for j, sp := range e.specs {
					if placed(sp) {
						places[j].open(pls[j][si], s.segs[si], sc.q.prof.field[sp.role], true)
					}
				}
			}
			for j, sp := range e.specs {
				if !placed(sp) {
					continue
				}
				p, err := places[j].at(local)
				if err != nil {
					return top, err
				}
				if p != nil {
					st.pos[sp.word] = appendPositions(st.pos[sp.word], p)
				}
			}
		}
		top.keep(scored{doc: g, score: sc.score(&st, nil, false)})
		if len(top.best) == n {
			shared.raise(top.bar())
		}
	}
	return top, nil
}

// bounds gives documents' bounds (engineSearch.bound). A bound depends
// only on the document's marks: hits share a few patterns, each computed
// once when they fit a key, and kept in a table indexed by the key's hash
// (a pattern meeting another's slot is computed again: a map lookup per hit
// cost a search of several words a millisecond). One goroutine's.
type bounds struct {
	e    *engineSearch
	keys [boundSlots]uint64 // a pattern's key + 1; 0 for an empty slot
	vals [boundSlots]float64
	st   docState // compute's scratch
}

// boundSlots is the size of bounds' table: more than the patterns of a
// query's hits (a few hundred at most).
const (
	boundBits  = 11
	boundSlots = 1 << boundBits
)

func (e *engineSearch) bounds() *bounds {
	return &bounds{e: e, st: newDocState(e.nWords, len(e.sc.alts))}
}

// packable is the most words whose roles, with the place and year marks, fit
// bounds' key: a byte each, the marks in the eighth.
const packable = 7

func (b *bounds) of(g uint32) float64 {
	e := b.e
	if e.nWords > packable {
		return b.compute(g)
	}
	key := b.key(g)
	slot := boundSlot(key)
	if b.keys[slot] == key+1 {
		return b.vals[slot]
	}
	u := b.compute(g)
	b.keys[slot], b.vals[slot] = key+1, u
	return u
}

// key packs document g's marks: its words' roles a byte each, the place and
// year marks in the top byte (at most packable words).
func (b *bounds) key(g uint32) uint64 {
	e := b.e
	key := uint64(e.mark[g]&(markCity|markCtry|markYear)) << 56
	at := uint64(g) * uint64(e.nWords)
	if at+8 <= uint64(len(e.roles)) {
		// The words' roles bytes at once, the next document's masked off.
		return key | binary.LittleEndian.Uint64(e.roles[at:])&(1<<(8*e.nWords)-1)
	}
	for i, r := range e.roles[at : at+uint64(e.nWords)] {
		key |= uint64(r) << (8 * i)
	}
	return key
}

// boundSlot is key's slot in bounds' table (Fibonacci hashing).
func boundSlot(key uint64) uint64 { return key * 0x9e3779b97f4a7c15 >> (64 - boundBits) }

// compute is the highest score document g could have, from its marks
// alone: the scorer's own bound (scorer.bound, so that the two cannot drift
// apart) of a document holding each word, in each role its marks give it,
// as often as can be (boundTF), and in its place and year if marked. A
// synonym shares its root's mark (roleBit) and counts as the root, which
// covers at least as much.
func (b *bounds) compute(g uint32) float64 {
	e, d := b.e, &b.st
	d.reset()
	for i, r := range e.roles[uint64(g)*uint64(e.nWords) : (uint64(g)+1)*uint64(e.nWords)] {
		for role := range 8 {
			if r&(1<<role) != 0 {
				d.tf[i][role] = boundTF
			}
		}
	}
	m := e.mark[g]
	d.city, d.ctry, d.year = m&markCity != 0, m&markCtry != 0, m&markYear != 0
	return e.sc.bound(d)
}

// boundTF is the frequency compute gives a marked role: sat of it is below
// k1+1 by some 1e-12 of it, and above that of any real frequency.
const boundTF = 1e12

// scoreDocs scores documents (in index order) exactly, as rankSearcher does.
func (e *engineSearch) scoreDocs(docs []uint32) ([]float64, error) {
	e.scored += len(docs)
	r, err := scoreDocs(e.s, &e.sc, e.specs, docs, false)
	return r.scores, err
}

// docScores is what scoreDocs found of each document.
type docScores struct {
	scores  []float64
	matched []bool                       // some list holds it (docState.matched)
	locs    [][]search.FieldTermLocation // with highlights: where its terms are
}

// scoreDocs scores documents of s (in index order) exactly, as rankSearcher
// does, reading each posting list once; with highlights, it keeps the term
// locations in the fields the profile highlights, as rankSearcher does for
// Bleve's highlighter. Reading the lists is most of a search's time: with
// more than one processor, the two halves of the documents are read at
// once (inHalves).
func scoreDocs(s *snapshot, sc *scorer, specs []listSpec, docs []uint32, highlights bool) (docScores, error) {
	var parts [2]docScores
	err := s.inHalves(sc.q.prof, specs, docs, func(h, lo, hi int) (err error) {
		parts[h], err = scoreRange(s, sc, specs, docs[lo:hi], highlights)
		return err
	})
	if err != nil {
		return docScores{}, err
	}
	r, late := parts[0], parts[1]
	r.scores = append(r.scores, late.scores...)
	r.matched = append(r.matched, late.matched...)
	if highlights {
		r.locs = append(r.locs, late.locs...)
	}
	return r, nil
}

// middle returns the segment boundary nearest the middle of the index (the
// number of the first segment after it), 0 when there is none.
func (s *snapshot) middle() int {
	if len(s.segs) < 2 {
		return 0
	}
	i, _ := slices.BinarySearch(s.base, s.maxDoc/2)
	if i == len(s.base) || i > 0 && s.maxDoc/2-s.base[i-1] < s.base[i]-s.maxDoc/2 {
		i--
	}
	return max(i, 0)
}

// halves calls fn for the segments before the middle (h = 0, segments lo
// to hi, hi excluded) and after it (h = 1), in two goroutines when there
// are two processors. Either range may be empty. A panic of either is
// returned as an error (both, or guarded in one goroutine).
func (s *snapshot) halves(fn func(h, lo, hi int)) error {
	m := s.middle()
	if m == 0 || runtime.GOMAXPROCS(0) < 2 {
		return guarded(func() error {
			fn(0, 0, len(s.segs))
			fn(1, len(s.segs), len(s.segs))
			return nil
		})
	}
	return both(func() error { fn(0, 0, m); return nil }, func() error { fn(1, m, len(s.segs)); return nil })
}

// halfway returns where to cut docs (global numbers in index order) into two
// halves of as many documents, 0 when they are too few to be worth two
// goroutines. The cut may fall inside a segment: each goroutine reads the
// lists with cursors of its own. (Cut on the segment boundary nearest the
// middle of the index, the halves of a search of several words over the
// 100,000 missions' four segments held 55 % and 45 % of its hits.)
func halfway(docs []uint32) int {
	const minDocs = 64
	if len(docs) < minDocs {
		return 0
	}
	return len(docs) / 2
}

// inHalves calls fn for each half of the documents, docs[lo:hi]
// with h = 0 then 1, in two goroutines when there are two processors and
// halfway finds a cut; else fn(0, 0, len(docs)) alone. A panic is returned
// as an error either way. The specs' lists are looked up first: the
// goroutines then only read the snapshot's.
func (s *snapshot) inHalves(prof *profile, specs []listSpec, docs []uint32, fn func(h, lo, hi int) error) error {
	cut := halfway(docs)
	if cut == 0 || runtime.GOMAXPROCS(0) < 2 {
		return guarded(func() error { return fn(0, 0, len(docs)) })
	}
	if err := s.lookUp(prof, specs); err != nil {
		return err
	}
	return both(func() error { return fn(0, 0, cut) }, func() error { return fn(1, cut, len(docs)) })
}

// scoreRange is scoreDocs in one goroutine.
func scoreRange(s *snapshot, sc *scorer, specs []listSpec, docs []uint32, highlights bool) (docScores, error) {
	nWords := len(sc.q.words)
	prof := sc.q.prof
	states := make([]docState, len(docs))
	for i := range states {
		states[i] = newDocState(nWords, len(sc.alts))
	}
	r := docScores{scores: make([]float64, len(docs)), matched: make([]bool, len(docs))}
	if highlights {
		r.locs = make([][]search.FieldTermLocation, len(docs))
	}
	prox := nWords > 1
	for _, sp := range specs {
		field := prof.field[sp.role]
		hl := prof.highlight[sp.role]
		locs := prox && sp.role == roleBody || highlights && hl != ""
		err := s.walk(field, sp.term, locs, docs, func(i int, p segment.Posting) {
			if p == nil {
				return
			}
			st := &states[i]
			st.add(sc, sp.role, sp.word, sp.alt, p.Frequency(), p.Norm())
			if !locs {
				return
			}
			for _, l := range p.Locations() {
				if prox && sp.role == roleBody {
					st.pos[sp.word] = append(st.pos[sp.word], l.Pos())
				}
				if highlights && hl != "" {
					r.locs[i] = append(r.locs[i], search.FieldTermLocation{
						Field: hl, Term: sp.term, Location: search.Location{Pos: l.Pos(), Start: l.Start(), End: l.End()},
					})
				}
			}
		})
		if err != nil {
			return r, err
		}
	}
	for i := range states {
		r.matched[i] = states[i].matched
		r.scores[i] = sc.score(&states[i], nil, false)
	}
	return r, nil
}

// topByDate returns the n newest hits (those without a date last), ties by
// score when the query has words, then in index order.
func (e *engineSearch) topByDate(hits []uint32, n int) ([]scored, error) {
	s := e.s
	date := func(g uint32) int32 {
		si, local := s.locate(uint64(g))
		return s.tabs[si].date[local]
	}
	type dated struct {
		doc  uint32
		date int32
	}
	// The n-th newest date, by year first (a histogram), then within its year.
	ds := make([]dated, len(hits))
	for i, g := range hits {
		ds[i] = dated{g, date(g)}
	}
	cut := int32(math.MinInt32)
	if len(ds) > n {
		byYear := map[int32]int{}
		for _, d := range ds {
			byYear[yearOf(d.date)]++
		}
		ys := make([]int32, 0, len(byYear))
		for y := range byYear {
			ys = append(ys, y)
		}
		slices.Sort(ys)
		seen := 0
		for k := len(ys) - 1; k >= 0; k-- {
			seen += byYear[ys[k]]
			if seen >= n {
				var in []int32
				for _, d := range ds {
					if yearOf(d.date) == ys[k] {
						in = append(in, d.date)
					}
				}
				slices.Sort(in)
				cut = in[len(in)-(n-(seen-len(in)))]
				break
			}
		}
	}
	var keep []dated
	for _, d := range ds {
		if d.date >= cut {
			keep = append(keep, d)
		}
	}
	scores := make([]float64, len(keep))
	for i, d := range keep {
		scores[i] = e.selScore[d.doc] // 0 without a selection
	}
	if e.rq != nil {
		docs := make([]uint32, len(keep))
		for i, d := range keep {
			docs[i] = d.doc
		}
		var err error
		if scores, err = e.scoreDocs(docs); err != nil {
			return nil, err
		}
	}
	out := make([]scored, len(keep))
	idx := make([]int, len(keep))
	for i := range keep {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(keep[b].date, keep[a].date); c != 0 {
			return c
		}
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(keep[a].doc, keep[b].doc)
	})
	for i, k := range idx {
		out[i] = scored{doc: keep[k].doc, score: scores[k]}
	}
	return out[:min(n, len(out))], nil
}

// yearOf is the year of a date number; −1 (no date) stays below every year.
func yearOf(d int32) int32 {
	if d < 0 {
		return -1
	}
	return d / 10000
}

// hit loads a document's id and stored meta.
func (s *snapshot) hit(g uint32) (Hit, int, error) {
	si, local := s.locate(uint64(g))
	var id string
	var meta []byte
	err := s.segs[si].VisitDocument(local, func(field string, _ byte, value []byte, _ []uint64) bool {
		switch field {
		case "_id":
			id = string(value)
		case fMeta:
			meta = slices.Clone(value)
		}
		return true
	})
	if err != nil {
		return Hit{}, 0, fmt.Errorf("index: search: document %d: %w", g, err)
	}
	var m missionMeta
	if len(meta) > 0 {
		if err := json.Unmarshal(meta, &m); err != nil {
			return Hit{}, 0, fmt.Errorf("index: search: hit %s: %w", id, err)
		}
	}
	return Hit{
		MissionID: id, Filename: m.Filename, Title: m.Title,
		Destinations: nonNil(m.Destinations), StartDate: m.StartDate, EndDate: m.EndDate,
		Year: m.Year, Themes: nonNil(m.Themes), DuplicateOf: m.DuplicateOf, Passages: []Passage{},
	}, m.Passages, nil
}
