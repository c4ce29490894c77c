package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"escale/internal/tools/synth"
)

// stats sum up a run.
type stats struct {
	reports, pdfs, pages int
	byPages              [8]int // PDFs by page count
	bytes                int64
	elapsed              time.Duration
}

// writeArchive writes reports 0 to n-1 with workers goroutines. Each report
// is written as soon as it is made, so memory stays flat whatever n.
func writeArchive(ctx context.Context, g *synth.Generator, dir string, n, workers int, progress io.Writer) (stats, error) {
	start := time.Now()
	files, truths := filepath.Join(dir, "files"), filepath.Join(dir, "truth")
	for _, d := range []string{files, truths} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return stats{}, fmt.Errorf("create %s: %w", d, err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var (
		mu       sync.Mutex
		st       stats
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rep, err := g.Report(i)
				if err != nil {
					fail(fmt.Errorf("report %d: %w", i, err))
					return
				}
				if err := writeReport(files, truths, rep); err != nil {
					fail(err)
					return
				}
				mu.Lock()
				st.reports++
				st.pages += rep.Pages
				st.bytes += int64(len(rep.Data))
				if filepath.Ext(rep.Name) == ".pdf" {
					st.pdfs++
					st.byPages[min(rep.Pages, 7)]++
				}
				if st.reports%1000 == 0 {
					fmt.Fprintf(progress, "%d/%d\n", st.reports, n)
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	st.elapsed = time.Since(start)
	if firstErr != nil {
		return st, firstErr
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	return st, nil
}

func writeReport(files, truths string, rep synth.Report) error {
	if err := os.WriteFile(filepath.Join(files, rep.Name), rep.Data, 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep.Truth); err != nil {
		return fmt.Errorf("encode truth of %s: %w", rep.Name, err)
	}
	if err := os.WriteFile(filepath.Join(truths, rep.Truth.ID+".json"), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write truth: %w", err)
	}
	return nil
}
