package index

import "fmt"

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
