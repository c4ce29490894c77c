package index

import (
	"log/slog"
	"path/filepath"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// advisers are the Index's randomReads, one for each of its Bleve indexes.
type advisers struct {
	missions, passages *randomReads
}

// randomReads, one per Bleve index, makes sure the kernel is told that the index's segment
// files, which Bleve maps into memory, are read at random. Without it, each
// page fault in a mapped file reads ahead the disk's whole read-ahead
// window around the page (8 MB on the project's machine): a search's
// scattered reads then fill memory with pages nobody asked for, and a
// server held to 500 MB (a container, a cgroup) reads its index from disk
// again at every search. The advice is given when a segment is first seen
// (Open, and the segments that ingestion and merges write later).
type randomReads struct {
	dir string // the Bleve index's directory, as the kernel names mapped files
	log *slog.Logger
	mu  sync.Mutex
	// The segments of one Bleve index, by the segment itself: a segment
	// written to disk keeps its id but becomes another, file-backed, one.
	seen map[segment.Segment]bool
}

func newRandomReads(dir string, log *slog.Logger) *randomReads {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return &randomReads{dir: dir, log: log, seen: map[segment.Segment]bool{}}
}

// check advises every mapped segment file of the index when segs holds
// one it has not seen; failures are logged, never returned: the advice
// only spares memory.
func (a *randomReads) check(segs []*scorch.SegmentSnapshot) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fresh := false
	for _, ss := range segs {
		if !a.seen[ss.Segment()] {
			fresh = true
			break
		}
	}
	if !fresh {
		return
	}
	// Forget the segments merged away, so that the set stays small.
	seen := make(map[segment.Segment]bool, len(segs))
	for _, ss := range segs {
		seen[ss.Segment()] = true
	}
	a.seen = seen
	if n, err := adviseRandom(a.dir); err != nil {
		a.log.Warn("index: advise random reads", "dir", a.dir, "mappings", n, "error", err)
	}
}
