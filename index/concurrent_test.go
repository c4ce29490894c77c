package index

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"escale/internal/tools/synthrec"
)

// TestConcurrentSearchesAgree runs searches of every kind from several
// goroutines at once and checks that each gives what it gives alone: a
// search recycles its arrays (recycle.go), and one given back while still
// read hands another search's data to it.
func TestConcurrentSearchesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 300 synthetic records")
	}
	ix, _ := syntheticIndex(t, 5, 300, 60) // a segment a batch: two halves to search
	defer ix.Close()
	ctx := context.Background()
	var qs []Query
	for _, c := range synthrec.Classes {
		for _, sq := range c.Queries {
			qs = append(qs, Query{Text: sq.Text, Filters: sq.Filters, YearFrom: sq.YearFrom})
		}
	}
	want := make([]*Result, len(qs))
	for i, q := range qs {
		var err error
		if want[i], err = ix.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for w := range 8 {
		wg.Go(func() {
			for k := range 15 * len(qs) {
				i := (k*7 + w*3) % len(qs)
				got, err := ix.Search(ctx, qs[i])
				if err != nil {
					errs <- err.Error()
					return
				}
				if !reflect.DeepEqual(got, want[i]) {
					errs <- "search " + qs[i].Text + " gave another result at once with others"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
