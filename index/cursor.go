package index

import (
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapx "github.com/blevesearch/zapx/v17"
)

// cursor reads the postings of one list in one segment at documents asked
// for in increasing order, with their frequencies, norms and, when asked,
// locations.
//
// zapx's Advance walks the list's bitmap one document at a time from where
// it stands to the document asked for, because its frequencies are read in
// chunks of documents: a search that scores a few documents far apart (a
// page's passages, the best hits of an index half) read whole lists. A
// cursor over a zapx list of a segment without deletions first moves the
// bitmap to the start of the asked document's chunk, when that is past the
// posting it stands on: zapx then loads that chunk, as it does on reaching
// it, and skips only the chunk's postings before the document.
// TestCursorMatchesIterator holds a cursor's postings to the iterator's.
type cursor struct {
	pi    segment.PostingsIterator
	zi    *zapx.PostingsIterator // pi, when chunks can be skipped
	chunk uint64                 // the list's chunk size, in documents
	p     segment.Posting        // the posting pi stands on
	done  bool
	skips int // chunk skips made (for tests)
}

// newCursor returns a cursor over pl, a list of ss's segment read with
// ss's deletions.
func newCursor(pl segment.PostingsList, ss *scorch.SegmentSnapshot, locs bool) cursor {
	c := cursor{pi: pl.Iterator(true, true, locs, nil)}
	zi, ok := c.pi.(*zapx.PostingsIterator)
	seg, mode := ss.Segment().(interface{ ChunkMode() uint32 })
	// Without deletions, zapx's iterator walks one bitmap iterator, Actual,
	// for both the documents and the chunks; with them, a second one that
	// cannot be moved from here. A list of one posting has no bitmap.
	if !ok || !mode || ss.Deleted() != nil || zi.Actual == nil || zi.ActualBM == nil {
		return c
	}
	if size := chunkSize(seg.ChunkMode(), zi.ActualBM.GetCardinality(), ss.Segment().Count()); size > 0 {
		c.zi, c.chunk = zi, size
	}
	return c
}

// at returns the posting of document local (a segment's number), nil when
// the list does not hold it. Documents are asked for in increasing order.
func (c *cursor) at(local uint64) (segment.Posting, error) {
	if c.done {
		return nil, nil
	}
	if c.p == nil || c.p.Number() < local {
		if c.zi != nil {
			// The posting stood on, if any, is in an earlier chunk:
			// zapx will load the document's chunk afresh.
			if start := local / c.chunk * c.chunk; start > 0 && (c.p == nil || c.p.Number() < start) {
				c.zi.Actual.AdvanceIfNeeded(uint32(start))
				c.skips++
			}
		}
		p, err := c.pi.Advance(local)
		if err != nil {
			return nil, err
		}
		if p == nil {
			c.done = true
			return nil, nil
		}
		c.p = p
	}
	if c.p.Number() != local {
		return nil, nil
	}
	return c.p, nil
}

// chunkSize is zapx's chunk size, in documents, for the frequencies of a
// list of card postings in a segment of docs documents written in
// chunkMode (zapx v17's getChunkSize); 0 for a mode it does not know.
func chunkSize(chunkMode uint32, card, docs uint64) uint64 {
	switch {
	case chunkMode == 0:
		return 0
	case chunkMode <= 1024:
		return uint64(chunkMode)
	case chunkMode == 1025:
		if card <= 1024 {
			return docs
		}
		return 1024
	case chunkMode == 1026:
		return docs / (card/1024 + 1)
	}
	return 0
}
