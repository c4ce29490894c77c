package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// highlightEngine fills each hit's best passages as highlight does, reading
// the passages index's segments directly: a hit's passages are found by
// their mission's id (one term per segment, where Bleve's document-id query
// looks every passage id up in every segment), scored exactly in one pass
// over each posting list, and only the few kept are loaded and highlighted,
// by Bleve's highlighter. It reports false, having done nothing, for the
// queries it leaves to highlight: text that only selects (phrases, required
// or excluded words, prefixes, fields).
//
// What it needs before the hits are known, pp, was prepared meanwhile
// (preparePassages).
func (ix *Index) highlightEngine(ctx context.Context, p *plan, pp *passagePrep, hits []Hit) (bool, error) {
	<-pp.done
	if pp.err != nil {
		return false, fmt.Errorf("index: highlight: %w", pp.err)
	}
	if pp.leave {
		return false, nil
	}
	s := pp.s
	if s == nil || len(hits) == 0 {
		return true, nil
	}
	// The hits' passages, in index order, and whose hit each is. A mission's
	// live passages were indexed together: they are all in one segment.
	dicts, err := s.dictionaries(fMission)
	if err != nil {
		return false, fmt.Errorf("index: highlight: %w", err)
	}
	var docs []uint32
	owner := map[uint32]int{}
	var pl segment.PostingsList // reused from segment to segment
	for hi, h := range hits {
		id := []byte(h.MissionID)
		for i := len(s.segs) - 1; i >= 0; i-- {
			ss := s.segs[i]
			pl, err = dicts[i].PostingsList(id, ss.Deleted(), pl)
			if err != nil {
				return false, fmt.Errorf("index: highlight: %w", err)
			}
			if pl.Count() == 0 {
				continue
			}
			base := s.base[i]
			err = eachDoc(pl.Iterator(false, false, false, nil), func(d uint64) {
				docs = append(docs, uint32(base+d))
				owner[uint32(base+d)] = hi
			})
			if err != nil {
				return false, fmt.Errorf("index: highlight: %w", err)
			}
			break
		}
	}
	slices.Sort(docs)
	if kinds := p.filters[FacetSection]; len(kinds) > 0 {
		// Sections selected: only the passages of those kinds.
		if docs, err = inSections(s, docs, kinds); err != nil {
			return false, fmt.Errorf("index: highlight: %w", err)
		}
	}
	if len(docs) == 0 {
		return true, nil
	}
	sc := pp.sc
	r, err := scoreDocs(s, &sc, pp.specs, docs, true)
	if err != nil {
		return false, fmt.Errorf("index: highlight: %w", err)
	}
	// Best first (ties in index order, as Bleve sorts), passagesPerHit per hit.
	var found []int
	for i := range docs {
		if r.matched[i] {
			found = append(found, i)
		}
	}
	slices.SortStableFunc(found, func(a, b int) int { return cmp.Compare(r.scores[b], r.scores[a]) })
	per := make([]int, len(hits))
	req := bleve.NewSearchRequest(nil)
	req.Fields = []string{fMeta}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField(fText)
	req.Highlight.AddField(fTitle)
	highlighter, err := bleve.Config.Cache.HighlighterNamed(*req.Highlight.Style)
	if err != nil {
		return false, fmt.Errorf("index: highlight: %w", err)
	}
	// The passages shown, best first within each hit; loading and
	// highlighting them reads their stored text, one goroutine a processor.
	var shown []int
	for _, i := range found {
		hi := owner[docs[i]]
		if per[hi] < passagesPerHit {
			per[hi]++
			shown = append(shown, i)
		}
	}
	dms := make([]*search.DocumentMatch, len(shown))
	load := func(k int) error {
		i := shown[k]
		if err := ctx.Err(); err != nil {
			return err
		}
		si, local := s.locate(uint64(docs[i]))
		id, err := s.segs[si].DocID(local)
		if err != nil {
			return fmt.Errorf("index: highlight: passage %d: %w", docs[i], err)
		}
		dm := &search.DocumentMatch{ID: string(id), Score: r.scores[i], FieldTermLocations: r.locs[i]}
		dm.Complete(nil)
		known := &knownDoc{IndexReader: s.r, id: dm.ID, seg: s.segs[si], local: local}
		if err, _ := bleve.LoadAndHighlightFields(dm, req, "", known, highlighter); err != nil {
			return fmt.Errorf("index: highlight: %w", err)
		}
		dms[k] = dm
		return nil
	}
	// Worker w loads passages w, w+n, w+2n...
	n := min(runtime.GOMAXPROCS(0), len(shown))
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			for k := w; k < len(shown) && errs[w] == nil; k += n {
				errs[w] = guarded(func() error { return load(k) })
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return false, err
	}
	for k, i := range shown {
		hi, dm := owner[docs[i]], dms[k]
		if !strings.HasPrefix(dm.ID, hits[hi].MissionID+"/") {
			return false, fmt.Errorf("index: highlight: passage %s is not one of mission %s", dm.ID, hits[hi].MissionID)
		}
		hits[hi].Passages = append(hits[hi].Passages, passagesOf([]*search.DocumentMatch{dm})...)
	}
	return true, nil
}

// passagePrep is what highlightEngine needs before the hits are known: the
// passages index's snapshot and the query's posting lists there. Looking
// those lists up in every segment of the passages index took a search of
// several words 0.4 ms; preparePassages does it in a goroutine of its own
// while the missions are searched.
type passagePrep struct {
	done  chan struct{} // closed once prepared
	s     *snapshot     // nil: no word to rank passages by
	specs []listSpec
	sc    scorer
	leave bool // the query only selects: highlight's (Bleve's) to do
	err   error
}

// preparePassages starts preparing the passages' side of a search of p.
// The caller closes what it returns.
func (ix *Index) preparePassages(p *plan, st *stats) *passagePrep {
	pp := &passagePrep{done: make(chan struct{})}
	go func() {
		defer close(pp.done)
		pp.err = guarded(func() error {
			rq, sel, nots := rankParts(p, passageProfile, st.averages(passageProfile), false)
			if len(sel) > 0 || len(nots) > 0 {
				pp.leave = true
				return nil
			}
			if rq == nil {
				return nil
			}
			s, ok, err := openSnapshot(ix.passages, nil)
			if err != nil {
				return err
			}
			if !ok {
				pp.leave = true
				return nil
			}
			pp.s = s
			ix.advised.passages.check(s.segs)
			pp.specs, pp.sc, err = rq.lists(s.df, float64(s.live))
			return err
		})
	}()
	return pp
}

// close waits for the preparation and lets its snapshot go.
func (pp *passagePrep) close() {
	<-pp.done
	if pp.s != nil {
		pp.s.close()
	}
}

// inSections returns the passages of docs (in index order) whose section is
// of one of kinds.
func inSections(s *snapshot, docs []uint32, kinds []string) ([]uint32, error) {
	keep := make([]bool, len(docs))
	for _, k := range kinds {
		err := s.walk(FacetSection+keySuffix, Fold(k), false, docs, func(i int, p segment.Posting) {
			keep[i] = keep[i] || p != nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []uint32
	for i, g := range docs {
		if keep[i] {
			out = append(out, g)
		}
	}
	return out, nil
}

// knownDoc is a snapshot's reader that loads one document it knows the
// place of without looking its id up: Bleve's Document finds a document by
// its id in every segment's dictionary of ids, half the cost of loading and
// highlighting a passage.
type knownDoc struct {
	index.IndexReader
	id    string
	seg   *scorch.SegmentSnapshot
	local uint64
}

// Document is IndexSnapshot.Document for the known document, whose stored
// fields are all text (others go through Bleve's).
func (k *knownDoc) Document(id string) (index.Document, error) {
	if id != k.id {
		return k.IndexReader.Document(id)
	}
	d := document.NewDocument(id)
	text := true
	err := k.seg.VisitDocument(k.local, func(name string, typ byte, val []byte, pos []uint64) bool {
		if name == "_id" {
			return true
		}
		if typ != 't' {
			text = false
			return false
		}
		d.StoredFieldsSize += uint64(len(val))
		d.AddField(document.NewTextField(name, slices.Clone(pos), slices.Clone(val)))
		return true
	})
	if err != nil {
		return nil, err
	}
	if !text {
		return k.IndexReader.Document(id)
	}
	return d, nil
}
