package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compacting. Bleve's tiered merging (runtimeConfig) keeps ingestion cheap
// by leaving up to ten segments of each size: 23 segments at 100,000
// missions. A search looks every word of the query up in every segment,
// and walks its lists segment by segment, so each segment costs each search
// a little: in process, at 100,000 missions, a search of several words took
// 14.2 ms (p50) over those 23 segments and 11.5 ms over the 4 left by
// Compact; a search of one word 5.5 and 4.8.
//
// Compact merges the missions index after a bulk load, when that cost
// is worth paying once: at 100,000 missions it rewrote 1.3 GB in 13 s.
// The passages index is left to Bleve: its segments are already capped
// (passageSegmentDocs) and few.

// compactMin is the fewest missions Compact merges: below, a search takes
// a few milliseconds whatever its segments.
const compactMin = 5000

// compactSegments is the most segments an index Compact leaves alone: what
// it leaves itself (merging them again would rewrite half the index for
// nothing).
const compactSegments = 4

// Compact merges the missions index's segments into a few, each of at most
// half its missions, so that a search still reads the index in two halves
// at once (snapshot.halves). It returns once the merged segments are in
// place, false when it had nothing to do: fewer than compactMin missions,
// compactSegments segments or fewer, or not a scorch index.
func (ix *Index) Compact(ctx context.Context) (bool, error) {
	return ix.compact(ctx, compactMin)
}

func (ix *Index) compact(ctx context.Context, least uint64) (bool, error) {
	n, err := ix.missions.DocCount()
	if err != nil {
		return false, fmt.Errorf("index: compact: %w", err)
	}
	if n < least || n < 2 {
		return false, nil
	}
	adv, err := ix.missions.Advanced()
	if err != nil {
		return false, fmt.Errorf("index: compact: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return false, nil
	}
	s, ok, err := openSnapshot(ix.missions, nil)
	if err != nil || !ok {
		return false, err
	}
	segs := len(s.segs)
	s.close()
	if segs <= compactSegments {
		return false, nil
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.MaxSegmentSize = int64(n/2 + 1)
	if err := sc.ForceMerge(ctx, &opts); err != nil {
		return false, fmt.Errorf("index: compact: %w", err)
	}
	return ctx.Err() == nil, ctx.Err()
}
