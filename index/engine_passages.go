package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// highlightEngine fills each hit's best passages as highlight does, reading
// the passages index's segments directly: a hit's passages are found by
// their mission's id (one term per segment, where Bleve's document-id query
// looks every passage id up in every segment), scored exactly in one pass
// over each posting list, and only the few kept are loaded and highlighted,
// by Bleve's highlighter. It reports false, having done nothing, for the
// queries it leaves to highlight: text that only selects (phrases, required
// or excluded words, prefixes, fields) or a section selected.
func (ix *Index) highlightEngine(ctx context.Context, p *plan, st *stats, hits []Hit) (bool, error) {
	rq, sel, nots := rankParts(p, passageProfile, st.averages(passageProfile), false)
	if len(sel) > 0 || len(nots) > 0 || len(p.filters[FacetSection]) > 0 {
		return false, nil
	}
	if rq == nil || len(hits) == 0 {
		return true, nil
	}
	s, ok, err := openSnapshot(ix.passages, nil)
	if err != nil || !ok {
		return false, err
	}
	defer s.close()
	ix.random[1].check(s.segs)
	// The hits' passages, in index order, and whose hit each is. A mission's
	// live passages were indexed together: they are all in one segment.
	var docs []uint32
	owner := map[uint32]int{}
	for hi, h := range hits {
		for i := len(s.segs) - 1; i >= 0; i-- {
			ss := s.segs[i]
			dict, err := ss.Segment().Dictionary(fMission)
			if err != nil {
				return false, fmt.Errorf("index: highlight: %w", err)
			}
			pl, err := dict.PostingsList([]byte(h.MissionID), ss.Deleted(), nil)
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
	if len(docs) == 0 {
		return true, nil
	}
	slices.Sort(docs)
	specs, sc, err := rq.lists(s.df, float64(s.live))
	if err != nil {
		return false, fmt.Errorf("index: highlight: %w", err)
	}
	r, err := scoreDocs(s, &sc, specs, docs, true)
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
	for _, i := range found {
		g := docs[i]
		hi := owner[g]
		if per[hi] == passagesPerHit {
			continue
		}
		per[hi]++
		if err := ctx.Err(); err != nil {
			return false, err
		}
		si, local := s.locate(uint64(g))
		id, err := s.segs[si].DocID(local)
		if err != nil {
			return false, fmt.Errorf("index: highlight: passage %d: %w", g, err)
		}
		dm := &search.DocumentMatch{ID: string(id), Score: r.scores[i], FieldTermLocations: r.locs[i]}
		dm.Complete(nil)
		if err, _ := bleve.LoadAndHighlightFields(dm, req, "", s.r, highlighter); err != nil {
			return false, fmt.Errorf("index: highlight: %w", err)
		}
		if !strings.HasPrefix(dm.ID, hits[hi].MissionID+"/") {
			return false, fmt.Errorf("index: highlight: passage %s is not one of mission %s", dm.ID, hits[hi].MissionID)
		}
		hits[hi].Passages = append(hits[hi].Passages, passagesOf([]*search.DocumentMatch{dm})...)
	}
	return true, nil
}
