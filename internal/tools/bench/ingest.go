package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"escale/internal/store"
)

// benchIngest ingests a synthetic archive of n reports into an empty data
// directory with `escale ingest`, then rebuilds its index with `escale
// reindex`; twoPage archives hold two-page PDFs only (the issue's target),
// and are also read by pdftotext, two at a time as ingest extracts, for the
// floor of reading them. It returns the data directory.
func benchIngest(ctx context.Context, c config, t *table, n int, twoPage bool) (string, error) {
	name, what := fmt.Sprintf("archive-%d-seed%d", n, c.seed), "mixed reports"
	args := []string{"-seed", strconv.FormatInt(c.seed, 10)}
	if twoPage {
		name, what = fmt.Sprintf("archive-2p-%d-seed%d", n, c.seed+2), "two-page PDFs"
		args = []string{"-seed", strconv.FormatInt(c.seed+2, 10), "-pdf", "1", "-pages", "2"}
	}
	files, err := archive(ctx, c, name, n, args...)
	if err != nil {
		return "", err
	}
	data := filepath.Join(c.work, "data-"+name)
	if err := os.RemoveAll(data); err != nil {
		return "", err
	}
	const workers = 2 // ingest's default: one extraction per core here
	tm, err := timed(ctx, nil, c.escale, "ingest", "--data", data, "--workers", strconv.Itoa(workers), files)
	if err != nil {
		return "", err
	}
	count, pages, err := catalogPages(ctx, data)
	if err != nil {
		return "", err
	}
	if count != n {
		t.note("Ingest of %d %s: %d missions in the catalog (the others refused or twins of another).", n, what, count)
	}
	size := fmt.Sprintf("%s %s, %s pages", thousands(n), what, thousands(pages))
	rate := float64(n) / tm.wall.Seconds()
	r := row{measure: "Ingest (`escale ingest`, empty data dir)", size: size,
		escale: fmt.Sprintf("%.1f reports/s, %.1f pages/s (%.0f s)", rate, float64(pages)/tm.wall.Seconds(), tm.wall.Seconds())}
	if twoPage {
		r.target, r.met = "≥ 50 two-page reports/s", yesNo(rate >= 50)
		if !c.skipPeers {
			floor, err := pdftotextAll(ctx, files, workers)
			if err != nil {
				return "", err
			}
			r.peer = fmt.Sprintf("pdftotext alone %.0f reports/s", float64(n)/floor.Seconds())
		}
	}
	t.add(r)

	tm, err = timed(ctx, nil, c.escale, "reindex", "--data", data)
	if err != nil {
		return "", err
	}
	t.add(row{measure: "Reindex (`escale reindex`)", size: fmt.Sprintf("%s missions", thousands(count)),
		escale: fmt.Sprintf("%.1f s (%.0f missions/s)", tm.wall.Seconds(), float64(count)/tm.wall.Seconds())})
	if !slices.Contains(c.search, n) || twoPage {
		if err := addSizes(t, data, count); err != nil {
			return "", err
		}
	}
	return data, nil
}

// catalogPages reads the catalog of a data directory no process holds: how
// many missions, and their pages.
func catalogPages(ctx context.Context, data string) (int, int, error) {
	st, err := store.Open(ctx, data)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	ids, err := st.IDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	pages := 0
	for _, id := range ids {
		e, err := st.Get(ctx, id)
		if err != nil {
			return 0, 0, err
		}
		pages += e.Mission.Pages
	}
	return len(ids), pages, nil
}

// pdftotextAll reads every file of dir with pdftotext, workers at a time.
func pdftotextAll(ctx context.Context, dir string, workers int) (time.Duration, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		next     int
		firstErr error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := firstErr != nil
				mu.Unlock()
				if i >= len(es) || stop {
					return
				}
				if _, err := timed(ctx, nil, "pdftotext", filepath.Join(dir, es[i].Name()), os.DevNull); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(t0), firstErr
}
