package index

import "sync"

// A search allocates arrays the size of the index (marks, counts, hits,
// posting lists' bits): megabytes per search at 100,000 missions, which made
// the server's collector run every third or fourth search, and a search of
// several words 2 ms slower over HTTP than in process. They are recycled
// from one search to the next.

// recycler recycles slices of T.
type recycler[T any] struct{ pool sync.Pool }

// get returns a zeroed slice of length n.
func (r *recycler[T]) get(n int) []T {
	if b, ok := r.pool.Get().(*[]T); ok && cap(*b) >= n {
		s := (*b)[:n]
		clear(s)
		return s
	}
	return make([]T, n)
}

// put gives s back; the caller no longer uses it.
func (r *recycler[T]) put(s []T) {
	if cap(s) > 0 {
		r.pool.Put(&s)
	}
}

var (
	byteBufs   recycler[byte]   // per-document marks
	int32Bufs  recycler[int32]  // facet counts
	uint32Bufs recycler[uint32] // hits
	rawLists   sync.Pool        // *rawList, with their bits and chunk ends
	docBufs    sync.Pool        // *[256]uint32, eachDocs's
	normBufs   sync.Pool        // *[nRoles]lengthNorms, rising's
)
