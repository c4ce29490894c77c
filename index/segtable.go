package index

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facet counting at scale. Bleve counts a facet by reading every hit's doc
// values and looking each value up in a map of strings: about 4 µs a hit,
// which makes a word every report holds cost most of a second at 100,000
// missions. A Bleve segment never changes once written, so the missions'
// search keeps, per segment, each document's facet values as small integers
// (ordinals into one dictionary of values) and its date as a number, read
// once from the segment's own postings; counting a hit's facets is then a
// few array increments, and filtering it by facet a few bit tests.

// valueDict numbers the facet values met in any segment ("name\x1fvalue"
// terms of fFacets). It only grows: a value no mission holds any more keeps
// its ordinal and counts zero.
type valueDict struct {
	mu    sync.RWMutex
	ord   map[string]uint32
	facet []uint8  // index in Facets
	value []string // display form
	key   []string // folded form, what filters match
	year  []int    // the year facet's values as numbers, 0 for other facets
	group []uint32 // values of one facet that fold alike (« Québec », « Quebec ») share a group
	// groups numbers the folded values, "name\x1fkey"; groupFacet is each one's facet.
	groups     map[string]uint32
	groupFacet []uint8
}

func newValueDict() *valueDict {
	return &valueDict{ord: map[string]uint32{}, groups: map[string]uint32{}}
}

// ordOf returns the ordinal of a fFacets term, numbering it when new; ok is
// false for a term of no known facet.
func (d *valueDict) ordOf(term string) (uint32, bool) {
	d.mu.RLock()
	o, ok := d.ord[term]
	d.mu.RUnlock()
	if ok {
		return o, true
	}
	name, value, found := strings.Cut(term, pairSep)
	fi := facetIndex(name)
	if !found || fi < 0 {
		return 0, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if o, ok := d.ord[term]; ok {
		return o, true
	}
	o = uint32(len(d.value))
	d.ord[term] = o
	d.facet = append(d.facet, uint8(fi))
	d.value = append(d.value, value)
	key := Fold(value)
	d.key = append(d.key, key)
	g, ok := d.groups[name+pairSep+key]
	if !ok {
		g = uint32(len(d.groups))
		d.groups[name+pairSep+key] = g
		d.groupFacet = append(d.groupFacet, uint8(fi))
	}
	d.group = append(d.group, g)
	y := 0
	if name == FacetYear {
		y, _ = strconv.Atoi(value)
	}
	d.year = append(d.year, y)
	return o, true
}

// view is a consistent copy of the dictionary's slices for one search: the
// ordinals a search meets were all numbered before it started counting.
type dictView struct {
	facet      []uint8
	value      []string
	key        []string
	year       []int
	group      []uint32
	groupFacet []uint8
}

func (d *valueDict) view() dictView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return dictView{facet: d.facet, value: d.value, key: d.key, year: d.year, group: d.group, groupFacet: d.groupFacet}
}

func facetIndex(name string) int {
	for i, f := range Facets {
		if f == name {
			return i
		}
	}
	return -1
}

// segTable is one segment's documents as the missions' search reads them.
type segTable struct {
	start []uint32 // document d's ordinals are ords[start[d]:start[d+1]]
	ords  []uint32
	date  []int32 // YYYYMMDD (YYYY0000 for a year alone), −1 when none
	used  time.Time

	mu      sync.Mutex
	total   []int32 // per ordinal: the documents holding it, deleted ones too
	live    []int32 // the same without the deleted ones, for deleted of size liveFor
	liveFor uint64
}

// liveTotals returns, per ordinal, how many live documents of the segment
// hold it: the totals less the deleted documents' (a segment's deletions
// only grow, so their count says whether the cache is current).
func (t *segTable) liveTotals(ss *scorch.SegmentSnapshot) []int32 {
	del := ss.Deleted()
	var nDel uint64
	if del != nil {
		nDel = del.GetCardinality()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live != nil && t.liveFor == nDel {
		return t.live
	}
	live := slices.Clone(t.total)
	if del != nil {
		del.Iterate(func(d uint32) bool {
			if uint64(d) < uint64(len(t.start)-1) {
				for _, o := range t.of(uint64(d)) {
					live[o]--
				}
			}
			return true
		})
	}
	t.live, t.liveFor = live, nDel
	return live
}

func (t *segTable) of(doc uint64) []uint32 { return t.ords[t.start[doc]:t.start[doc+1]] }

// buildTable reads a segment's facet values and dates from its postings.
func buildTable(seg segment.Segment, dict *valueDict) (*segTable, error) {
	n := seg.Count()
	type pair struct{ doc, ord uint32 }
	var pairs []pair
	err := eachTerm(seg, fFacets, func(term string, docs func(func(uint64))) {
		o, ok := dict.ordOf(term)
		if !ok {
			return
		}
		docs(func(d uint64) { pairs = append(pairs, pair{uint32(d), o}) })
	})
	if err != nil {
		return nil, err
	}
	t := &segTable{start: make([]uint32, n+1), ords: make([]uint32, len(pairs)), date: make([]int32, n)}
	for _, p := range pairs {
		t.start[p.doc+1]++
	}
	for d := uint64(1); d <= n; d++ {
		t.start[d] += t.start[d-1]
	}
	fill := append([]uint32(nil), t.start[:n]...)
	var maxOrd uint32
	for _, p := range pairs {
		t.ords[fill[p.doc]] = p.ord
		fill[p.doc]++
		maxOrd = max(maxOrd, p.ord+1)
	}
	t.total = make([]int32, maxOrd)
	for _, p := range pairs {
		t.total[p.ord]++
	}
	for i := range t.date {
		t.date[i] = -1
	}
	err = eachTerm(seg, fDate, func(term string, docs func(func(uint64))) {
		v := dateNumber(term)
		docs(func(d uint64) { t.date[d] = v })
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// dateNumber turns a date key (YYYY-MM-DD, or YYYY) into a number that sorts
// as the key does.
func dateNumber(key string) int32 {
	digits := strings.ReplaceAll(key, "-", "")
	if len(digits) < 4 {
		return -1
	}
	for len(digits) < 8 {
		digits += "0"
	}
	v, err := strconv.Atoi(digits[:8])
	if err != nil || v < 0 {
		return -1
	}
	return int32(v)
}

// eachTerm calls fn with every term of a segment's field and a function
// that lists the documents holding it (deleted ones too).
func eachTerm(seg segment.Segment, field string, fn func(term string, docs func(func(uint64)))) error {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return fmt.Errorf("dictionary %s: %w", field, err)
	}
	it := dict.AutomatonIterator(nil, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			return fmt.Errorf("dictionary %s: %w", field, err)
		}
		if e == nil {
			return nil
		}
		pl, err := dict.PostingsList([]byte(e.Term), nil, nil)
		if err != nil {
			return fmt.Errorf("postings %s:%s: %w", field, e.Term, err)
		}
		pi := pl.Iterator(false, false, false, nil)
		var iterErr error
		fn(e.Term, func(visit func(uint64)) {
			iterErr = eachDoc(pi, visit)
		})
		if iterErr != nil {
			return fmt.Errorf("postings %s:%s: %w", field, e.Term, iterErr)
		}
	}
}

// eachDoc calls visit with every document number of a postings iterator,
// from its bitmap when it has one (much faster than Next).
func eachDoc(pi segment.PostingsIterator, visit func(uint64)) error {
	return eachDocs(pi, func(docs []uint32) {
		for _, d := range docs {
			visit(uint64(d))
		}
	})
}

// eachDocs calls visit with the document numbers of a postings iterator, a
// slice at a time (reused between calls).
func eachDocs(pi segment.PostingsIterator, visit func([]uint32)) error {
	if o, ok := pi.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			buf, _ := docBufs.Get().(*[256]uint32)
			if buf == nil {
				buf = new([256]uint32)
			}
			defer docBufs.Put(buf)
			it := bm.ManyIterator()
			for {
				n := it.NextMany(buf[:])
				if n == 0 {
					return nil
				}
				visit(buf[:n])
			}
		}
	}
	var one [1]uint32
	for {
		p, err := pi.Next()
		if err != nil || p == nil {
			return err
		}
		one[0] = uint32(p.Number())
		visit(one[:])
	}
}

// tables caches the segTables of the segments searched lately, by segment id
// (unique within an index, never reused).
type tables struct {
	mu   sync.Mutex
	segs map[uint64]*segTable
	dict *valueDict
}

func newTables() *tables { return &tables{segs: map[uint64]*segTable{}, dict: newValueDict()} }

// staleAfter is how long a segment merged away keeps its table, for a search
// still reading an older snapshot.
const staleAfter = 30 * time.Second

// get returns the table of segment id, building it when missing, and forgets
// the tables of segments no longer in live that nobody used lately.
func (ts *tables) get(id uint64, seg segment.Segment, live map[uint64]bool) (*segTable, error) {
	now := time.Now()
	ts.mu.Lock()
	t := ts.segs[id]
	if t != nil {
		t.used = now
	}
	for sid, st := range ts.segs {
		if !live[sid] && now.Sub(st.used) > staleAfter {
			delete(ts.segs, sid)
		}
	}
	ts.mu.Unlock()
	if t != nil {
		return t, nil
	}
	// Built outside the lock: two searches may build the same table at once,
	// which costs time but not correctness.
	t, err := buildTable(seg, ts.dict)
	if err != nil {
		return nil, err
	}
	t.used = now
	ts.mu.Lock()
	ts.segs[id] = t
	ts.mu.Unlock()
	return t, nil
}
