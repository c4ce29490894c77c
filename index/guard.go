package index

import (
	"cmp"
	"fmt"
	"sync"
)

// guarded runs fn and returns its error, or the panic it raised as an
// error. A search's goroutines read the index files through zapx, roaring
// and Bleve, which trust those bytes: on a damaged segment they may panic,
// and a panic in any goroutine but the request's own (which the web server
// recovers) would stop the server. With guarded, the search fails instead.
func guarded(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("index: reading the index failed (damaged?): %v", p)
		}
	}()
	return fn()
}

// both runs a in the calling goroutine and b in another, both guarded, and
// returns once both are done: a panic of either becomes the error, and
// neither outlives the call (the other one could be writing into arrays the
// caller gives back to a pool as it unwinds).
func both(a, b func() error) error {
	var errB error
	var wg sync.WaitGroup
	wg.Go(func() { errB = guarded(b) })
	errA := guarded(a)
	wg.Wait()
	return cmp.Or(errA, errB)
}
