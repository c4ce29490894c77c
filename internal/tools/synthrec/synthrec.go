// Package synthrec makes mission records from the synthetic generator's
// reports (internal/tools/synth) as Escale's extractor reads them, for the
// benchmarks that need an archive larger than it is reasonable to ingest
// file by file: the search benchmarks at 100,000 missions fill the catalog
// and the index from these records directly. It also holds the benchmark
// queries, so that the index's Go benchmarks and the HTTP benchmark ask the
// same things.
//
// Reports are written as text and Markdown (no PDF): a record does not
// depend on the file's format, and text is quick to write and to read.
package synthrec

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"escale/internal/extract"
	"escale/internal/gazetteer"
	"escale/internal/meta"
	"escale/internal/mission"
	"escale/internal/service"
	"escale/internal/store"
	"escale/internal/taxonomy"
	"escale/internal/tools/synth"
)

// Source makes record i of an archive; the same seed gives the same records.
// It is safe for concurrent use.
type Source struct {
	gen *synth.Generator
	k   meta.Knowledge
}

// New returns the records of the archive genarchive writes with seed, in
// text form.
func New(seed int64) (*Source, error) {
	k := meta.DefaultKnowledge()
	g, err := synth.New(gazetteer.Default(), taxonomy.Default(), synth.Options{Seed: seed, PDF: -1})
	if err != nil {
		return nil, fmt.Errorf("synthrec: %w", err)
	}
	return &Source{gen: g, k: k}, nil
}

// Item is one report and its record, filled in as the service would after
// ingesting it (id, file name, hash, size).
type Item struct {
	Name    string
	Data    []byte
	Mission *mission.Mission
}

// Item makes report i and reads it with the extractor.
func (s *Source) Item(ctx context.Context, i int) (Item, error) {
	r, err := s.gen.Report(i)
	if err != nil {
		return Item{}, fmt.Errorf("synthrec: report %d: %w", i, err)
	}
	m, err := extract.Extract(ctx, r.Data, r.Name, extract.Options{Knowledge: s.k})
	if err != nil {
		return Item{}, fmt.Errorf("synthrec: extract report %d (%s): %w", i, r.Name, err)
	}
	sha := store.Hash(r.Data)
	m.MissionID = service.MissionID(sha)
	m.Filename = service.SafeFilename(r.Name)
	m.SHA256 = sha
	m.Size = int64(len(r.Data))
	m.Normalize()
	return Item{Name: r.Name, Data: r.Data, Mission: m}, nil
}

// Batches makes reports from to from+n−1 with workers goroutines (0: one
// per CPU) and hands them to fn in order, size at a time, so that memory
// stays flat whatever n. It stops at fn's first error.
func (s *Source) Batches(ctx context.Context, from, n, size, workers int, fn func([]Item) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if size <= 0 {
		size = 1
	}
	for lo := from; lo < from+n; lo += size {
		hi := min(lo+size, from+n)
		batch := make([]Item, hi-lo)
		errs := make([]error, hi-lo)
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					batch[i-lo], errs[i-lo] = s.Item(ctx, i)
				}
			}()
		}
		for i := lo; i < hi && ctx.Err() == nil; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		if err := fn(batch); err != nil {
			return err
		}
	}
	return nil
}
