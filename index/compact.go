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
// Compact merges the missions index when that cost is worth paying once:
// after a bulk load (at 100,000 missions it rewrote 1.3 GB in 13 s), and
// when a server has had no write for a while (internal/service). It is the
// one place that decides whether merging is worth it: callers call it after
// any write, and it says no when it is not. The passages index is left to
// Bleve: its segments are already capped (passageSegmentDocs) and few.

// compactMin is the fewest missions Compact merges: below, a search takes
// a few milliseconds whatever its segments.
const compactMin = 5000

// compactSegments is the most segments Compact leaves: each of them is at
// most half the missions, and merging more of them would rewrite half the
// index for one segment less.
const compactSegments = 4

// compactAbove is the most segments an index Compact leaves alone: twice
// what it leaves itself. Writes after a compaction each add a small segment;
// merging as soon as there was one more than compactSegments rewrote the
// index again and again for nothing a search would notice: over 60 missions
// added one at a time to 4,000 compacted ones, compacting after each, 15,930
// missions rewritten with a limit of 4 segments (mean 3.5 segments), 1,192
// with this one (mean 5.8).
const compactAbove = 2 * compactSegments

// Compact merges the missions index's segments into a few (compactSegments
// at most), each of at most half its missions, so that a search still reads
// the index in two halves at once (snapshot.halves). It returns once the
// merged segments are in place, with the segments it found and those it
// left: fewer when it merged (writes meanwhile add theirs), the same when it
// had nothing worth doing: fewer than compactMin missions, compactAbove
// segments or fewer, or not a scorch index. Writes and searches go on while
// it merges. A cancelled ctx stops the merge: the index stays as it was, or
// partly merged, and whole either way.
func (ix *Index) Compact(ctx context.Context) (before, after int, err error) {
	return ix.compact(ctx, compactMin)
}

func (ix *Index) compact(ctx context.Context, least uint64) (before, after int, err error) {
	s, ok, err := openSnapshot(ix.missions, nil)
	if err != nil || !ok {
		return 0, 0, err // not scorch's: nothing to merge
	}
	before, n := len(s.segs), s.live
	s.close()
	adv, err := ix.missions.Advanced()
	if err != nil {
		return 0, 0, fmt.Errorf("index: compact: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok || n < least || n < 2 || before <= compactAbove {
		return before, before, nil
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.MaxSegmentSize = int64(n/2 + 1)
	if err := sc.ForceMerge(ctx, &opts); err != nil {
		return 0, 0, fmt.Errorf("index: compact: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	if after, err = ix.countSegments(); err != nil {
		return 0, 0, fmt.Errorf("index: compact: %w", err)
	}
	return before, after, nil
}

// countSegments counts the missions index's segments, what Compact reduces: 0
// for an index that is not scorch's.
func (ix *Index) countSegments() (int, error) {
	s, ok, err := openSnapshot(ix.missions, nil)
	if err != nil || !ok {
		return 0, err
	}
	defer s.close()
	return len(s.segs), nil
}
